"""The staff's work on applications: status changes through ``TRANSITIONS``, notes and
assignment."""

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jichitai.accounts.models import User
from jichitai.audit import services as audit
from jichitai.procedures import notifications, published, selectors, workload
from jichitai.procedures.models import Application, ApplicationEvent, ClosedDay, Procedure
from jichitai.procedures.registry import fee_of
from jichitai.tenancy.models import Organization

Status = Application.Status

# Which status a clerk may move an application to from each status. 差戻し goes back to 受付
# when the applicant resubmits; 取下げ is the applicant's own action.
TRANSITIONS = {
    Status.RECEIVED: {Status.REVIEWING, Status.RETURNED, Status.APPROVED, Status.REJECTED},
    Status.REVIEWING: {Status.RETURNED, Status.APPROVED, Status.REJECTED},
    Status.RETURNED: {Status.REVIEWING, Status.REJECTED},
    Status.APPROVED: {Status.COMPLETED},
    Status.REJECTED: set(),
    Status.COMPLETED: set(),
    Status.WITHDRAWN: set(),
}
WITHDRAWABLE = {Status.RECEIVED, Status.REVIEWING, Status.RETURNED}
# Statuses in which an application no longer holds a seat or the one-per-person slot.
RELEASED = {Status.REJECTED, Status.WITHDRAWN}


def _release(application: Application) -> None:
    """A rejected or withdrawn application gives back its seats and its one-per-person slot."""
    procedure = application.procedure
    if procedure.capacity is not None:
        Procedure.objects.filter(pk=procedure.pk).update(
            seats_taken=F("seats_taken") - application.persons
        )
        published.changed()  # a seat free again may open it to residents the API refused
    application.one_per_person_key = None


def _resume_due_date(application: Application) -> dict:
    """An application back from 差戻し (resubmitted, or a correction staff received): its due
    date leaves out the days it waited. Returns the audit change, if any."""
    returned_on = workload.returned_on(application)
    if returned_on is None or application.due_date is None:
        return {}
    before = application.due_date
    application.due_date = workload.due_date_on_return(
        application, returned_on=returned_on, back_on=timezone.localdate()
    )
    return {"due_date": [before, application.due_date]} if application.due_date != before else {}


@transaction.atomic
def change_status(
    *, actor: User | None, application: Application, to_status: str, message: str = ""
) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    from_status = application.status
    if to_status not in TRANSITIONS[Status(from_status)]:
        raise ValidationError(
            {
                "to_status": _("「%(from_status)s」から「%(to_status)s」には変更できません。")
                % {
                    "from_status": Status(from_status).label,
                    "to_status": Status(to_status).label,
                }
            }
        )
    if to_status == Status.COMPLETED:
        fee = fee_of(application)
        if fee is not None and fee["status"] == "unpaid":
            raise ValidationError(
                {
                    "to_status": _(
                        "手数料が納付されていないため完了にできません(未払 %(amount)s円)。納付を確認してから完了にしてください。"
                    )
                    % {"amount": format(fee["amount"], ",")}
                }
            )
    if to_status == Status.RETURNED and not message.strip():
        raise ValidationError(
            {
                "message": _(
                    "差戻しの理由と修正してほしい点を、申請者へのメッセージに書いてください。"
                )
            }
        )
    application.status = to_status
    if to_status in RELEASED:
        _release(application)
    due_change = {}
    if from_status == Status.RETURNED and to_status in workload.AWAITING_STAFF:
        due_change = _resume_due_date(application)
    application.save(update_fields=["status", "one_per_person_key", "due_date", "updated_at"])
    event = ApplicationEvent.objects.create(
        application=application,
        kind=ApplicationEvent.Kind.STATUS,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        message=message.strip(),
    )
    audit.record(
        action="procedures.application.status_changed",
        actor=actor,
        target=application,
        changes={"status": [from_status, to_status], **due_change},
        summary=message[:200],
    )
    notifications.event_recorded(event, message.strip())
    return application


@transaction.atomic
def bulk_change_status(
    *,
    actor: User | None,
    applications: Iterable[Application],
    to_status: str,
    message: str = "",
) -> tuple[int, list[str]]:
    """Changes every application that may move to ``to_status``; returns how many changed and the
    receipt numbers skipped with the reason."""
    changed = 0
    skipped = []
    for application in applications:
        if to_status not in TRANSITIONS[Status(application.status)]:
            skipped.append(
                f"{application.receipt_number}(現在「{application.get_status_display()}」)"
            )
            continue
        try:
            change_status(
                actor=actor, application=application, to_status=to_status, message=message
            )
        except ValidationError as refusal:
            skipped.append(f"{application.receipt_number}({'、'.join(refusal.messages)})")
            continue
        changed += 1
    return changed, skipped


@transaction.atomic
def add_comment(*, actor: User | None, application: Application, text: str) -> ApplicationEvent:
    if not text.strip():
        raise ValidationError({"text": _("メモを入力してください。")})
    event = ApplicationEvent.objects.create(
        application=application,
        kind=ApplicationEvent.Kind.COMMENT,
        actor=actor,
        message=text.strip(),
        internal=True,
    )
    audit.record(
        action="procedures.application.commented",
        actor=actor,
        target=application,
        summary=text[:200],
    )
    return event


@transaction.atomic
def assign(*, actor: User | None, application: Application, assignee: User | None) -> Application:
    if (
        assignee is not None
        and not selectors.assignable_staff(application.organization).filter(pk=assignee.pk).exists()
    ):
        raise ValidationError({"assignee": _("この団体の職員を選んでください。")})
    before = application.assigned_to
    application.assigned_to = assignee
    application.save(update_fields=["assigned_to", "updated_at"])
    ApplicationEvent.objects.create(
        application=application,
        kind=ApplicationEvent.Kind.ASSIGNED,
        actor=actor,
        message=str(assignee) if assignee else "",
        internal=True,
    )
    audit.record(
        action="procedures.application.assigned",
        actor=actor,
        target=application,
        changes={"assigned_to": [before, assignee]},
    )
    return application


@transaction.atomic
def bulk_assign(
    *, actor: User | None, applications: Sequence[Application], assignee: User | None
) -> int:
    """Gives every chosen application to ``assignee`` (None: back to 未割当)."""
    for application in applications:
        assign(actor=actor, application=application, assignee=assignee)
    return len(applications)


@transaction.atomic
def add_closed_day(
    *, actor: User | None, organization: Organization, date: datetime.date, name: str
) -> ClosedDay:
    """A day the organization is closed; 標準処理期間 counted from now on skips it."""
    if not name.strip():
        raise ValidationError({"name": _("閉庁日の名称を入力してください(例: 庁舎移転)。")})
    if selectors.closed_days(organization).filter(date=date).exists():
        raise ValidationError({"date": _("この日はすでに閉庁日です。")})
    day = ClosedDay.objects.create(organization=organization, date=date, name=name.strip())
    audit.record(action="procedures.closed_day.added", actor=actor, target=day, summary=str(day))
    return day


@transaction.atomic
def remove_closed_day(*, actor: User | None, day: ClosedDay) -> None:
    audit.record(
        action="procedures.closed_day.removed",
        actor=actor,
        organization=day.organization,
        summary=str(day),
    )
    day.delete()
