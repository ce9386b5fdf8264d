"""The clerk and manager flow in real Chromium: plan with uploaded reports, approval by a manager,
production run, work queue and ledger; every page passes axe (WCAG 2.2 AA)."""

import pytest
from django.contrib.auth import get_user_model

from jichitai.automation import samples, services
from jichitai.automation.models import Run
from jichitai.automation.registry import scenarios
from jichitai.tenancy.models import Division, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("ログインID").fill(username)
    page.get_by_label("パスワード").fill("correct-horse-battery")
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url("**/s/**")


def test_clerk_plans_manager_approves_clerk_applies(
    page, accessible, tsu, make_member, settings, tmp_path
):
    clerk = make_member(tsu, Role.CLERK, username="rpa-clerk")
    manager = make_member(tsu, Role.MANAGER, username="rpa-manager")
    get_user_model().objects.filter(pk__in=[clerk.pk, manager.pk]).update(is_demo=True)
    settings.JICHITAI_DEMO_LOGIN_WITHOUT_OTP = True
    Division.objects.create(organization=tsu, name="地球温暖化対策課")
    scenario = services.create_scenario(
        actor=clerk, organization=tsu, source=scenarios.get("electricity-summary").source
    )
    files = samples.write_electricity_reports(tmp_path / "reports", months=("2021-04",))

    _login(page, "rpa-clerk")
    page.goto(f"/s/{tsu.code}/automation/")
    accessible(page)
    page.get_by_role("link", name="電気使用量の集計").click()
    accessible(page)
    page.get_by_label("所属別の電気使用量報告(Excel、複数可)").set_input_files(
        [str(p) for p in files]
    )
    page.get_by_role("button", name="計画(ドライラン)").click()
    page.get_by_text("Excel ブックを作成: 電気使用量集計.xlsx").first.wait_for()
    assert page.locator("#run-status").inner_text() == "完了"
    accessible(page)
    page.context.clear_cookies()

    _login(page, "rpa-manager")
    page.goto(f"/s/{tsu.code}/automation/scenarios/{scenario.pk}/")
    page.get_by_role("button", name="第1版を承認する").click()
    page.get_by_text("第1版を承認しました").wait_for()
    accessible(page)
    page.goto(f"/s/{tsu.code}/automation/secrets/")
    accessible(page)
    page.get_by_label("名前").fill("legacy_password")
    page.get_by_label("値").fill("pass-word-1")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("秘密情報「legacy_password」を保存しました").wait_for()
    assert "pass-word-1" not in page.content()
    page.goto(f"/s/{tsu.code}/automation/ledger/")
    accessible(page)
    page.context.clear_cookies()

    _login(page, "rpa-clerk")
    page.goto(f"/s/{tsu.code}/automation/scenarios/{scenario.pk}/")
    page.get_by_label("所属別の電気使用量報告(Excel、複数可)").set_input_files(
        [str(p) for p in files]
    )
    page.get_by_role("button", name="本番実行").click()
    page.get_by_role("link", name="電気使用量集計.xlsx").wait_for()
    assert page.locator("#job-progress progress").get_attribute("value") == "4"
    accessible(page)
    run = Run.objects.get(mode=Run.Mode.APPLY)
    assert run.status == Run.Status.FINISHED and run.started_by == clerk
    page.goto(f"/s/{tsu.code}/automation/queue/")
    accessible(page)


def test_a_clerk_schedules_a_run_in_words(page, accessible, tsu, make_member, settings):
    clerk = make_member(tsu, Role.CLERK, username="rpa-clerk")
    get_user_model().objects.filter(pk=clerk.pk).update(is_demo=True)
    settings.JICHITAI_DEMO_LOGIN_WITHOUT_OTP = True
    Division.objects.create(organization=tsu, name="自動車税事務所")
    scenario = services.create_scenario(
        actor=clerk, organization=tsu, source=scenarios.get("vehicle-tax-address").source
    )
    procedure = samples.vehicle_tax_procedure(tsu)

    _login(page, "rpa-clerk")
    page.goto(f"/s/{tsu.code}/automation/scenarios/{scenario.pk}/")
    schedule = page.locator("form", has=page.get_by_role("button", name="定期実行を登録"))
    schedule.get_by_role("radio", name="毎週").check()
    schedule.get_by_label("曜日(毎週のとき)").select_option(label="水曜日")
    schedule.get_by_label("時刻").fill("07:30")
    schedule.get_by_role("button", name="定期実行を登録").click()

    # The procedure to enter was left out: the page says so first, and keeps the rest.
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert summary.evaluate("element => element === document.activeElement")
    accessible(page)
    assert schedule.get_by_role("radio", name="毎週").is_checked()
    assert schedule.get_by_label("時刻").input_value() == "07:30"
    schedule.get_by_label("手続(承認済みの申請を入力します)").select_option(label=procedure.name)
    schedule.get_by_role("button", name="定期実行を登録").click()

    page.get_by_text("定期実行を登録しました").wait_for()
    when = page.get_by_role("cell", name="毎週 水曜日 7:30 手続(承認済みの申請を入力します)")
    assert when.is_visible() and procedure.name in when.inner_text()
    assert page.get_by_role("button", name="毎週 水曜日 7:30 を取り消す").is_visible()
    assert scenario.schedules.get().cron == "30 7 * * 3"
