"""Schedules: requested by one person, enabled only by another manager, started when due."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jichitai.automation.models import Run
from jichitai.automation.services import scheduling
from jichitai.automation.tests import factories
from jichitai.automation.tests.conftest import approve_now
from jichitai.jobs.registry import schedules
from jichitai.tenancy.models import Role

pytestmark = pytest.mark.django_db


def test_a_schedule_needs_a_second_persons_sign_off_and_starts_when_due(
    tsu, tsu_manager, make_member, run_now, django_capture_on_commit_callbacks, shipped
):
    assert "automation.schedules" in schedules
    scenario = approve_now(factories.scenario(tsu), run_now)
    with pytest.raises(ValidationError, match="cron"):
        scheduling.request_schedule(actor=tsu_manager, scenario=scenario, cron="every morning")
    with pytest.raises(ValidationError, match="ファイルを入力する"):
        scheduling.request_schedule(
            actor=tsu_manager, scenario=shipped("electricity-summary"), cron="0 6 * * *"
        )
    schedule = scheduling.request_schedule(actor=tsu_manager, scenario=scenario, cron="0 6 * * *")
    assert (
        scheduling.start_due_schedules(now=timezone.now() + timedelta(days=2)) == []
    )  # not enabled
    with pytest.raises(ValidationError, match="自分で有効にできません"):
        scheduling.enable_schedule(
            actor=tsu_manager, membership=tsu_manager.memberships.get(), schedule=schedule
        )
    clerk = make_member(tsu, Role.CLERK, username="sched-clerk")
    with pytest.raises(ValidationError, match="所属長・推進担当以上"):
        scheduling.enable_schedule(
            actor=clerk, membership=clerk.memberships.get(), schedule=schedule
        )
    other = make_member(tsu, Role.MANAGER, username="sched-manager")
    scheduling.enable_schedule(actor=other, membership=other.memberships.get(), schedule=schedule)
    schedule.refresh_from_db()
    assert scheduling.start_due_schedules(now=schedule.enabled_at + timedelta(seconds=30)) == []
    # An hour after the next day's 06:00, whatever time of day the test runs.
    later = (timezone.localtime(schedule.enabled_at) + timedelta(days=1)).replace(
        hour=7, minute=0, second=0, microsecond=0
    )
    with django_capture_on_commit_callbacks(execute=True):
        started = scheduling.start_due_schedules(now=later)
    assert len(started) == 1
    run = Run.objects.get(pk=started[0])
    assert run.mode == Run.Mode.APPLY and run.status == Run.Status.FINISHED and run.job is not None
    assert (
        scheduling.start_due_schedules(now=later + timedelta(minutes=1)) == []
    )  # once per due time


def test_schedule_pages(tsu, tsu_clerk, tsu_manager, login, make_member):
    scenario = factories.scenario(tsu)
    clerk = login(tsu_clerk)
    url = f"/s/{tsu.code}/automation/scenarios/{scenario.pk}/"
    clerk.post(url + "schedules/", {"schedule-frequency": "weekdays", "schedule-time": "07:30"})
    schedule = scenario.schedules.get()
    assert schedule.cron == "30 7 * * 1-5"
    assert schedule.requested_by == tsu_clerk and not schedule.is_enabled
    page = clerk.get(url).content.decode()
    assert "平日(月〜金) 7:30" in page and "無効(確認待ち)" in page
    assert (
        clerk.post(f"/s/{tsu.code}/automation/schedules/{schedule.pk}/enable/").status_code == 403
    )
    login(tsu_manager).post(f"/s/{tsu.code}/automation/schedules/{schedule.pk}/enable/")
    schedule.refresh_from_db()
    assert schedule.enabled_by == tsu_manager


def test_a_weekly_schedule_without_its_day_is_refused_beside_the_day(tsu, tsu_clerk, login):
    scenario = factories.scenario(tsu)
    url = f"/s/{tsu.code}/automation/scenarios/{scenario.pk}/schedules/"

    response = login(tsu_clerk).post(
        url, {"schedule-frequency": "weekly", "schedule-time": "07:30"}
    )

    assert response.status_code == 400
    assert not scenario.schedules.exists()
    page = response.content.decode()
    weekday_field = page[page.index('id="id_schedule-weekday"') - 1500 :]
    assert "曜日を選んでください" in weekday_field[:2500]
    assert 'value="07:30"' in page  # what was typed stays
    assert re.search(r'value="weekly"[^>]*checked', page)


def test_a_crontab_written_by_hand_is_checked_beside_it(tsu, tsu_clerk, login):
    scenario = factories.scenario(tsu)
    url = f"/s/{tsu.code}/automation/scenarios/{scenario.pk}/schedules/"

    response = login(tsu_clerk).post(
        url, {"schedule-frequency": "cron", "schedule-time": "", "schedule-cron": "every day"}
    )
    assert response.status_code == 400 and not scenario.schedules.exists()
    assert "cron 形式(分 時 日 月 曜日)で入力してください" in response.content.decode()
    assert 'value="every day"' in response.content.decode()

    login(tsu_clerk).post(url, {"schedule-frequency": "cron", "schedule-cron": "*/30 8-17 * * 1-5"})
    assert scenario.schedules.get().cron == "*/30 8-17 * * 1-5"


def test_a_scenario_reading_files_offers_no_schedule(tsu, tsu_clerk, login, shipped):
    scenario = shipped("electricity-summary")

    page = login(tsu_clerk).get(f"/s/{tsu.code}/automation/scenarios/{scenario.pk}/")

    assert "ファイルを入力するシナリオは定期実行できません" in page.content.decode()
    assert "定期実行を登録" not in page.content.decode()


def test_a_refused_run_still_lists_the_scenarios_schedules(tsu, tsu_clerk, login, shipped):
    scenario = shipped("vehicle-tax-address")
    scheduling.request_schedule(actor=None, scenario=scenario, cron="0 6 * * *", values={})

    response = login(tsu_clerk).post(
        f"/s/{tsu.code}/automation/scenarios/{scenario.pk}/runs/", {"mode": "plan"}
    )

    assert response.status_code == 400
    assert "毎日 6:00" in response.content.decode()


def test_a_manager_sees_what_a_schedule_will_work_on_before_enabling_it(
    tsu, tsu_manager, login, shipped
):
    from jichitai.automation import samples

    scenario = shipped("vehicle-tax-address")
    procedure = samples.vehicle_tax_procedure(tsu)
    scheduling.request_schedule(
        actor=None, scenario=scenario, cron="0 6 * * 1-5", values={"procedure": str(procedure.pk)}
    )

    page = login(tsu_manager).get(f"/s/{tsu.code}/automation/scenarios/{scenario.pk}/")

    row = page.content.decode().split("平日(月〜金) 6:00", 1)[1][:1500]
    assert f"手続(承認済みの申請を入力します): {procedure.name}" in row


def test_the_audit_log_says_when_in_words_in_japanese(tsu, tsu_clerk):
    from django.utils import translation

    from jichitai.audit.models import AuditEvent

    with translation.override("en"):
        scheduling.request_schedule(
            actor=tsu_clerk, scenario=factories.scenario(tsu), cron="30 7 * * 1-5"
        )

    assert AuditEvent.objects.get(action="automation.schedule.requested").summary == (
        "サンプル 平日(月〜金) 7:30"
    )


def test_a_clerk_withdraws_their_own_request_but_nothing_else(tsu, tsu_clerk, make_member, login):
    scenario = factories.scenario(tsu)
    mine = scheduling.request_schedule(actor=tsu_clerk, scenario=scenario, cron="0 6 * * *")
    other_clerk = make_member(tsu, Role.CLERK)
    theirs = scheduling.request_schedule(actor=other_clerk, scenario=scenario, cron="0 7 * * *")
    clerk = login(tsu_clerk)

    page = clerk.get(f"/s/{tsu.code}/automation/scenarios/{scenario.pk}/").content.decode()
    assert "毎日 6:00 を取り消す" in page and "毎日 7:00 を" not in page

    clerk.post(f"/s/{tsu.code}/automation/schedules/{mine.pk}/delete/")
    refused = clerk.post(f"/s/{tsu.code}/automation/schedules/{theirs.pk}/delete/", follow=True)

    assert list(scenario.schedules.all()) == [theirs]
    assert "取り消せるのは、自分が登録した有効化前の定期実行だけです" in refused.content.decode()


def test_a_manager_is_not_offered_to_enable_their_own_request(tsu, tsu_manager, login):
    scenario = factories.scenario(tsu)
    scheduling.request_schedule(actor=tsu_manager, scenario=scenario, cron="0 6 * * *")

    page = login(tsu_manager).get(f"/s/{tsu.code}/automation/scenarios/{scenario.pk}/")

    assert "毎日 6:00 を有効にする" not in page.content.decode()
    assert "毎日 6:00 を削除" in page.content.decode()
