"""Whether a procedure accepts an application now: the one rule behind the resident's pages, the
JSON API, paper intake and the public lists, for procedures with or without 定員.

The rule exists in two forms kept side by side: ``unavailable_reason`` for a procedure in hand
(with the reason to tell the applicant) and ``accepting`` as a database condition, which the
public lists filter with and the seat count's conditional UPDATE applies atomically.
"""

from django.db.models import F, Q
from django.template.defaultfilters import date as date_format
from django.utils import timezone

from jichitai.core.japanese import format_wareki
from jichitai.procedures.models import Procedure


class ProcedureUnavailable(Exception):
    """The procedure does not accept this application now (closed, full, already applied).

    ``code`` is what the API answers (stable: ``not_open``, ``closed``, ``full``, …); ``reason``
    tells the pages which closed case it is (``offline``, ``not_open``, ``ended``, ``full``,
    ``stopped``)."""

    def __init__(self, message: str, code: str, reason: str = ""):
        super().__init__(message)
        self.message = message
        self.code = code
        self.reason = reason or code


def _when(moment) -> str:
    local = timezone.localtime(moment)
    return f"{format_wareki(local.date())} {date_format(local, 'H:i')}"


def unavailable_reason(
    procedure: Procedure, *, persons: int = 1, at=None, paper: bool = False
) -> ProcedureUnavailable | None:
    """None when ``procedure`` accepts an application for ``persons`` at ``at`` (default now).
    A paper-only procedure (``online`` off) accepts only what its staff enter from paper."""
    at = at or timezone.now()
    if (
        procedure.status not in {Procedure.Status.PUBLISHED, Procedure.Status.CLOSED}
        or not (procedure.online or paper)
        or procedure.current_version_id is None
    ):
        return ProcedureUnavailable(
            "この手続は現在オンラインで受け付けていません。", "closed", "offline"
        )
    if procedure.opens_at and at < procedure.opens_at:
        return ProcedureUnavailable(
            f"受付開始前です。{_when(procedure.opens_at)} から受け付けます。", "not_open"
        )
    if procedure.closes_at and at >= procedure.closes_at:
        return ProcedureUnavailable(
            f"この手続の受付は {_when(procedure.closes_at)} に終了しました。", "closed", "ended"
        )
    # A procedure that fills up is closed automatically; it is told as full, not as closed.
    if procedure.capacity is not None and procedure.seats_taken + persons > procedure.capacity:
        left = max(0, procedure.capacity - procedure.seats_taken)
        return ProcedureUnavailable(
            "定員に達したため受付を終了しました。"
            if left == 0
            else f"残りは {left} 人分です。人数を減らしてお申し込みください。",
            "full",
        )
    if procedure.status == Procedure.Status.CLOSED:
        return ProcedureUnavailable("この手続の受付は終了しました。", "closed", "stopped")
    return None


def accepting(*, persons: int = 1, at=None) -> Q:
    """The same rule as a condition on ``Procedure`` rows."""
    at = at or timezone.now()
    return (
        Q(status=Procedure.Status.PUBLISHED, online=True, current_version__isnull=False)
        & (Q(opens_at__isnull=True) | Q(opens_at__lte=at))
        & (Q(closes_at__isnull=True) | Q(closes_at__gt=at))
        & (Q(capacity__isnull=True) | Q(seats_taken__lte=F("capacity") - persons))
    )
