"""Schedules of production runs: requested by one person, enabled only by another manager, and
started when due by the periodic job ``automation.schedules``."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jichitai.accounts.models import User
from jichitai.audit import services as audit
from jichitai.automation.models import Run, Scenario, Schedule
from jichitai.automation.services import start_run
from jichitai.core.actors import signed_in
from jichitai.tenancy.models import Membership, Role


def _summary(schedule: Schedule) -> str:
    """「電気使用量の集計 平日(月〜金) 6:00」: audit entries are kept in Japanese, whatever the
    language of the page that wrote them."""
    with translation.override("ja"):
        return f"{schedule.scenario.title} {schedule.timing}"


@transaction.atomic
def request_schedule(
    *, actor: User, scenario: Scenario, cron: str, values: dict[str, Any] | None = None
) -> Schedule:
    """Records a schedule for production runs; it stays off until another manager enables it."""
    from croniter import croniter

    if not croniter.is_valid(cron):
        raise ValidationError(
            {"cron": [_("cron 形式(分 時 日 月 曜日)で入力してください。例: 0 6 * * 1-5")]}
        )
    declared = {
        entry["name"]: entry for entry in scenario.current_version.definition.get("inputs", [])
    }
    files = [name for name, entry in declared.items() if entry["kind"] in {"file", "folder"}]
    if files:
        raise ValidationError(
            {
                "cron": [
                    _("ファイルを入力するシナリオは定期実行できません(入力「%(inputs)s」)。")
                    % {"inputs": "」「".join(files)}
                ]
            }
        )
    schedule = Schedule.objects.create(
        organization=scenario.organization,
        scenario=scenario,
        cron=cron,
        inputs=values or {},
        requested_by=signed_in(actor),
    )
    audit.record(
        action="automation.schedule.requested",
        actor=actor,
        organization=scenario.organization,
        target=schedule,
        summary=_summary(schedule),
    )
    return schedule


@transaction.atomic
def enable_schedule(*, actor: User, membership: Membership | None, schedule: Schedule) -> Schedule:
    schedule = Schedule.objects.select_for_update().get(pk=schedule.pk)
    if membership is None or not membership.has_role(Role.MANAGER):
        raise ValidationError(_("定期実行を有効にできるのは所属長・推進担当以上の職員です。"))
    if schedule.requested_by_id is not None and schedule.requested_by_id == getattr(
        actor, "pk", None
    ):
        raise ValidationError(
            _("定期実行を申請した職員は、自分で有効にできません(別の職員が確認します)。")
        )
    schedule.enabled_by = actor
    schedule.enabled_at = timezone.now()
    schedule.last_started_at = timezone.now()
    schedule.save(update_fields=["enabled_by", "enabled_at", "last_started_at"])
    audit.record(
        action="automation.schedule.enabled",
        actor=actor,
        organization=schedule.organization,
        target=schedule,
        summary=_summary(schedule),
    )
    return schedule


@transaction.atomic
def disable_schedule(*, actor: User, membership: Membership | None, schedule: Schedule) -> None:
    """A manager deletes any schedule; whoever requested one may withdraw it until it is enabled."""
    schedule = Schedule.objects.select_for_update().get(pk=schedule.pk)
    own_request = schedule.enabled_at is None and schedule.requested_by_id == getattr(
        actor, "pk", None
    )
    if not own_request and (membership is None or not membership.has_role(Role.MANAGER)):
        raise ValidationError(_("取り消せるのは、自分が登録した有効化前の定期実行だけです。"))
    audit.record(
        action="automation.schedule.deleted",
        actor=actor,
        organization=schedule.organization,
        target=schedule,
        summary=_summary(schedule),
    )
    schedule.delete()


def start_due_schedules(*, now: datetime | None = None) -> list[int]:
    """Starts a production run for every enabled schedule whose time has come (the periodic job
    ``automation.schedules`` calls this every minute). A schedule whose scenario has an unapproved
    newer version is skipped until that version is approved."""
    from croniter import croniter

    now = now or timezone.now()
    started = []
    for schedule in Schedule.objects.filter(enabled_at__isnull=False).select_related("scenario"):
        with transaction.atomic():
            locked = Schedule.objects.select_for_update().get(pk=schedule.pk)
            base = timezone.localtime(locked.last_started_at or locked.enabled_at)
            due = croniter(locked.cron, base).get_next(type(base))
            if due > timezone.localtime(now):
                continue
            locked.last_started_at = now
            locked.save(update_fields=["last_started_at"])
            if not locked.scenario.current_version.is_approved:
                continue
            run = start_run(
                actor=None, scenario=locked.scenario, mode=Run.Mode.APPLY, values=locked.inputs
            )
            started.append(run.pk)
    return started
