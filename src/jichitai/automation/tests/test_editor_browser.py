"""In Chromium: a clerk builds a three-step scenario with a condition in the form editor (no YAML
typed), plans it; a manager approves; the clerk runs it and the ledger moves."""

import pytest
from django.contrib.auth import get_user_model

from jichitai.automation import samples
from jichitai.automation.models import LedgerLine, Run, Scenario
from jichitai.automation.tests.test_browser import _login
from jichitai.procedures.models import Application
from jichitai.tenancy.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _add_step(page, section, step):
    page.get_by_label("追加する場所").select_option(label=section)
    page.get_by_label("手順の種類").select_option(step)
    page.get_by_role("button", name="手順を追加").click()


def test_clerk_builds_a_scenario_with_a_condition_in_the_editor_and_it_runs(
    page, accessible, tsu, make_member, settings
):
    clerk = make_member(tsu, Role.CLERK, username="editor-clerk")
    manager = make_member(tsu, Role.MANAGER, username="editor-manager")
    get_user_model().objects.filter(pk__in=[clerk.pk, manager.pk]).update(is_demo=True)
    settings.JICHITAI_DEMO_LOGIN_WITHOUT_OTP = True
    procedure = samples.vehicle_tax_procedure(tsu, approved=3, received=0)

    _login(page, "editor-clerk")
    page.goto(f"/s/{tsu.code}/automation/")
    page.get_by_role("link", name="入力画面でシナリオを作る").click()
    accessible(page)
    page.get_by_label("題名").fill("転居以外の届出を完了にする")
    page.get_by_label("識別子").fill("complete-unless-moved")
    page.get_by_label("1件あたりの手作業時間(導入前、分)").fill("6")
    page.get_by_label("1件あたりの残る作業時間(導入後、分)").fill("1")
    page.get_by_label("1件ずつ処理する表").fill("applications")
    page.get_by_label("1件を見分けるキー").fill("{{ item.receipt_number }}")
    page.get_by_label("入力 1 の名前(半角英小文字)").fill("procedure")
    page.get_by_label("入力 1 の表示名").fill("手続")
    page.get_by_label("入力 1 の種類").select_option(label="手続")
    _add_step(page, "1件ごと", "applications.complete")
    _add_step(page, "1件ごと", "item.skip_if")
    _add_step(page, "準備(計画でも実行する読み取り)", "applications.approved")
    # The condition comes first among the per-item steps.
    page.get_by_role("button", name="手順 2 を上へ").click()
    accessible(page)
    legends = page.locator("fieldset.editor-step legend").all_inner_texts()
    assert [text.split(": ")[1].split(" ")[0] for text in legends] == [
        "承認済みの申請の読み取り",
        "条件に合う対象を処理しない",
        "申請を完了にする",
    ]
    page.locator("#id_step-2-p-procedure").select_option(label="実行時に選ぶ手続(手続)")
    page.locator("#id_step-2-save").fill("applications")
    page.locator("#id_step-0-p-value").fill("{{ item.data.reason }}")
    page.locator("#id_step-0-p-in").fill("転居")
    page.locator("#id_step-0-p-reason").fill("転居は窓口で案内する")
    page.get_by_role("button", name="保存(新しい版)").click()
    # A required parameter left empty: the message sits next to it, the rest is kept.
    page.locator("#id_step-1-p-receipt_number_error").get_by_text("入力してください。").wait_for()
    assert page.locator("#id_step-0-p-reason").input_value() == "転居は窓口で案内する"
    accessible(page)
    page.locator("#id_step-1-p-receipt_number").fill("{{ item.receipt_number }}")
    page.get_by_role("button", name="保存(新しい版)").click()
    page.get_by_text("シナリオを登録しました").wait_for()
    scenario = Scenario.objects.get(name="complete-unless-moved")
    assert "step: item.skip_if" in scenario.current_version.source

    page.locator("#id_procedure").select_option(label=procedure.name)
    page.get_by_role("button", name="計画(ドライラン)").click()
    page.get_by_text("条件に合うため処理しませんでした(転居は窓口で案内する)").first.wait_for()
    assert page.locator("#run-status").inner_text() == "完了"
    # The editor shows the plan's first items beside the form.
    page.goto(f"/s/{tsu.code}/automation/scenarios/{scenario.pk}/editor/")
    preview = page.locator("#plan-preview + p + .table-wrap")
    preview.get_by_text("転居は窓口で案内する").first.wait_for()
    accessible(page)
    page.context.clear_cookies()

    _login(page, "editor-manager")
    page.goto(f"/s/{tsu.code}/automation/scenarios/{scenario.pk}/")
    page.get_by_role("button", name="第1版を承認する").click()
    page.get_by_text("第1版を承認しました").wait_for()
    page.context.clear_cookies()

    _login(page, "editor-clerk")
    page.goto(f"/s/{tsu.code}/automation/scenarios/{scenario.pk}/")
    page.locator("#id_procedure").select_option(label=procedure.name)
    page.get_by_role("button", name="本番実行").click()
    page.locator("#run-status").get_by_text("完了").wait_for()
    run = Run.objects.get(mode=Run.Mode.APPLY)
    assert run.status == Run.Status.FINISHED, run.message
    completed = Application.objects.filter(status=Application.Status.COMPLETED).count()
    assert completed == 1 and LedgerLine.objects.get(run=run).items == 1
    page.goto(f"/s/{tsu.code}/automation/ledger/")
    page.get_by_text("転居以外の届出を完了にする").first.wait_for()


def test_enter_in_a_field_saves_rather_than_moving_or_deleting_a_step(
    page, tsu, make_member, settings
):
    """Enter does what the editor's main button does (保存), not what the first button in the page
    does (手順 1 を上へ, 手順を追加)."""
    clerk = make_member(tsu, Role.CLERK, username="enter-clerk")
    get_user_model().objects.filter(pk=clerk.pk).update(is_demo=True)
    settings.JICHITAI_DEMO_LOGIN_WITHOUT_OTP = True
    _login(page, "enter-clerk")
    page.goto(f"/s/{tsu.code}/automation/scenarios/compose/")
    _add_step(page, "1件ごと", "applications.complete")
    _add_step(page, "1件ごと", "item.skip_if")
    before = page.locator("fieldset.editor-step legend").all_inner_texts()
    page.get_by_label("題名").fill("Enter で保存")
    page.get_by_label("題名").press("Enter")
    page.get_by_text("保存できませんでした。").wait_for()
    assert page.locator("fieldset.editor-step legend").all_inner_texts() == before
    assert page.get_by_label("題名").input_value() == "Enter で保存"
