"""Whether a procedure accepts an application now: the one rule behind the resident's pages, the
JSON API, paper intake and the public lists, for procedures with or without 定員.

The rule exists in two forms kept side by side: ``unavailable_reason`` for a procedure in hand
(with the reason to tell the applicant) and ``accepting`` as a database condition, which the
public lists filter with and the seat count's conditional UPDATE applies atomically.
"""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.db.models import F, Q
from django.template.defaultfilters import date as date_format
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from jichitai.core.japanese import format_wareki
from jichitai.procedures.models import Procedure


class ProcedureUnavailable(Exception):
    """The procedure does not accept this application now (closed, full, already applied).

    ``code`` is what the API answers (stable: ``not_open``, ``closed``, ``full``, …); ``reason``
    tells the pages which closed case it is (``offline``, ``not_open``, ``ended``, ``full``,
    ``stopped``). ``message`` is written when it is read, in the language active then: the
    resident's page tells it in the language they chose, the API (which has no language) and
    staff in Japanese. It is given as a msgid (``gettext_noop``) or as a function writing it."""

    def __init__(self, message: str | Callable[[], str], code: str, reason: str = ""):
        super().__init__(code)
        self._message = message
        self.code = code
        self.reason = reason or code

    @property
    def message(self) -> str:
        return self._message() if callable(self._message) else gettext(self._message)

    def __str__(self) -> str:
        return self.message


def _when(moment) -> str:
    """令和8年4月1日 09:30; 2026-04-01 09:30 for a resident reading a language other than
    Japanese, who may not know the eras."""
    local = timezone.localtime(moment)
    language = translation.get_language() or "ja"
    day = format_wareki(local.date()) if language.startswith("ja") else local.date().isoformat()
    return f"{day} {date_format(local, 'H:i')}"


def _moments(at: datetime | None, received_on: date | None) -> tuple[datetime, datetime]:
    """The earliest and the latest moment the application may count as received: ``at`` (default
    now) itself, or any time of the day a paper application was received on. A paper that arrived
    (or, for 消印有効, was postmarked) within the period is entered after it: its day decides, and
    a day that overlaps the period at all is within it, as the hour is not known."""
    if received_on is None:
        moment = at or timezone.now()
        return moment, moment
    start = timezone.make_aware(datetime.combine(received_on, time.min))
    return start, start + timedelta(days=1, microseconds=-1)


def unavailable_reason(
    procedure: Procedure,
    *,
    persons: int = 1,
    at: datetime | None = None,
    paper: bool = False,
    received_on: date | None = None,
) -> ProcedureUnavailable | None:
    """None when ``procedure`` accepts an application for ``persons`` at ``at`` (default now), or
    a paper one received on ``received_on``. A paper-only procedure (``online`` off) accepts only
    what its staff enter from paper."""
    earliest, latest = _moments(at, received_on)
    if (
        procedure.status not in {Procedure.Status.PUBLISHED, Procedure.Status.CLOSED}
        or not (procedure.online or paper)
        or procedure.current_version_id is None
    ):
        return ProcedureUnavailable(
            gettext_noop("この手続は現在オンラインで受け付けていません。"), "closed", "offline"
        )
    opens_at, closes_at = procedure.opens_at, procedure.closes_at
    if opens_at and latest < opens_at:
        return ProcedureUnavailable(
            lambda: (
                gettext("受付開始前です。%(date)s から受け付けます。") % {"date": _when(opens_at)}
            ),
            "not_open",
        )
    if closes_at and earliest >= closes_at:
        return ProcedureUnavailable(
            lambda: (
                gettext("この手続の受付は %(date)s に終了しました。") % {"date": _when(closes_at)}
            ),
            "closed",
            "ended",
        )
    # A procedure that fills up is closed automatically; it is told as full, not as closed.
    if procedure.capacity is not None and procedure.seats_taken + persons > procedure.capacity:
        left = max(0, procedure.capacity - procedure.seats_taken)
        return ProcedureUnavailable(
            gettext_noop("定員に達したため受付を終了しました。")
            if left == 0
            else lambda: (
                gettext("残りは %(left)s 人分です。人数を減らしてお申し込みください。")
                % {"left": left}
            ),
            "full",
        )
    if procedure.status == Procedure.Status.CLOSED:
        return ProcedureUnavailable(
            gettext_noop("この手続の受付は終了しました。"), "closed", "stopped"
        )
    return None


def accepting(
    *,
    persons: int = 1,
    at: datetime | None = None,
    paper: bool = False,
    received_on: date | None = None,
) -> Q:
    """The same rule as a condition on ``Procedure`` rows."""
    earliest, latest = _moments(at, received_on)
    return (
        Q(status=Procedure.Status.PUBLISHED, current_version__isnull=False)
        & (Q() if paper else Q(online=True))
        & (Q(opens_at__isnull=True) | Q(opens_at__lte=latest))
        & (Q(closes_at__isnull=True) | Q(closes_at__gt=earliest))
        & (Q(capacity__isnull=True) | Q(seats_taken__lte=F("capacity") - persons))
    )
