"""A manager's main flow in real Chromium: enter an actual, see the achievement and the chart,
publish and download the report."""

import re

import pytest

from jichitai.pdca.tests.factories import plan_with_action
from jichitai.tenancy.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed_in_manager(page, prefecture, make_member, settings):
    """The page signed in as a manager of the prefecture (a demo account: no second factor)."""
    from django.contrib.auth import get_user_model

    manager = make_member(prefecture, Role.MANAGER, username="pref-manager-test")
    get_user_model().objects.filter(pk=manager.pk).update(is_demo=True)
    settings.JICHITAI_DEMO_LOGIN_WITHOUT_OTP = True
    page.goto("/accounts/login/")
    page.get_by_label("ログインID").fill("pref-manager-test")
    page.get_by_label("パスワード").fill("correct-horse-battery")
    page.get_by_role("button", name="ログイン").click()
    page.get_by_role("heading", name=re.compile("職員ホーム")).wait_for()
    return manager


def test_manager_enters_an_actual_and_publishes(page, accessible, prefecture, signed_in_manager):
    plan = plan_with_action(prefecture)
    page.goto(f"/s/240001/pdca/plans/{plan.pk}/")
    accessible(page)
    page.get_by_role("link", name="申請件数", exact=True).click()
    page.get_by_role("heading", name="令和6年度", exact=True).wait_for()
    accessible(page)
    section = page.locator("section", has=page.get_by_role("heading", name="令和6年度", exact=True))
    section.get_by_label("実績値").fill("abc")
    section.get_by_role("button", name="令和6年度を保存").click()
    page.get_by_text("数値で入力してください").first.wait_for()
    section = page.locator("section", has=page.get_by_role("heading", name="令和6年度", exact=True))
    section.get_by_label("実績値").fill("120")
    section.get_by_role("button", name="令和6年度を保存").click()
    page.get_by_text("令和6年度の値を保存しました。").wait_for()
    page.get_by_role("link", name="計画へ戻る").click()
    row = page.locator("tr", has_text="令和6年度").first
    assert (
        "120件" in row.inner_text() and "達成" in row.inner_text() and "120.0%" in row.inner_text()
    )
    assert page.locator("svg.kpi-chart").count() == 1
    accessible(page)
    page.locator("button", has_text="この内容で公開: 令和6年度").click()
    page.get_by_text("公開しました。").wait_for()
    pdf = page.context.request.get(page.get_by_role("link", name="PDF").last.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"


def test_only_the_chosen_metrics_conditions_are_shown(
    page, accessible, prefecture, signed_in_manager
):
    indicator = plan_with_action(prefecture).indicators.get()
    page.goto(f"/s/240001/pdca/plans/{indicator.plan_id}/indicators/{indicator.pk}/")
    survey = page.get_by_role("group", name="「アンケートで特定の回答を選んだ人の割合」の条件")
    applications = page.get_by_role("group", name="「電子申請・届出の申請件数」の条件")
    assert not survey.is_visible() and not applications.is_visible()  # 手入力: no conditions
    page.get_by_label("自動計測する指標").select_option(
        label="アンケートで特定の回答を選んだ人の割合"
    )
    assert survey.is_visible() and not applications.is_visible()
    accessible(page)
    page.get_by_role("button", name="自動計測の設定を保存").click()
    assert (
        "「アンケートの手続」を指定してください。"
        in page.locator("form.metric-binding").inner_text()
    )
    assert survey.is_visible()  # the choice kept, its conditions still in view


def test_on_a_phone_the_procedures_to_count_are_boxes_to_tick(
    page, accessible, prefecture, signed_in_manager
):
    from jichitai.pdca.models import Indicator
    from jichitai.procedures.tests.factories import published_procedure

    indicator = plan_with_action(prefecture).indicators.get()
    published_procedure(prefecture, name="自動車税 送付先変更届")
    published_procedure(prefecture, name="県営住宅 入居申込")

    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/s/240001/pdca/plans/{indicator.plan_id}/indicators/{indicator.pk}/")
    page.get_by_label("自動計測する指標").select_option(label="電子申請・届出の申請件数")
    procedures = page.get_by_role("group", name="対象の手続(選ばなければすべて)")
    housing = procedures.get_by_role("checkbox", name="県営住宅 入居申込")
    target = procedures.locator("label", has_text="県営住宅 入居申込").bounding_box()
    assert target["height"] >= 24 and target["width"] >= 24  # the label around the box is tapped
    housing.check()
    accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="自動計測の設定を保存").click()
    page.get_by_role("group", name="対象の手続(選ばなければすべて)").wait_for()
    indicator = Indicator.objects.get(pk=indicator.pk)
    assert indicator.metric_name == "procedures.applications"
    housing_pk = str(page.get_by_role("checkbox", name="県営住宅 入居申込").get_attribute("value"))
    assert indicator.metric_parameters["procedure_ids"] == [housing_pk]
    assert page.get_by_role("checkbox", name="県営住宅 入居申込").is_checked()
