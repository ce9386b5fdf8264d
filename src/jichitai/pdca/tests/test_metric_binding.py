"""Binding an indicator to a live metric: the page names the metric it is measured from and opens
with the conditions it was saved with, so that saving again keeps them; each metric's conditions
are grouped under its name (only the chosen metric's shown where scripts run); a condition the
metric needs is asked for beside the choice, which is kept."""

import re

import pytest

from jichitai.pdca import services
from jichitai.pdca.tests.factories import plan_with_action
from jichitai.procedures.tests.factories import published_procedure
from jichitai.tenancy.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(tsu):
    return plan_with_action(tsu).indicators.get()


@pytest.fixture
def seminar(tsu, indicator):
    """A procedure of 津市, the one procedure whose applications the indicator counts, online."""
    seminar = published_procedure(tsu, name="オープンデータ活用講座")
    services.bind_metric(
        actor=None,
        indicator=indicator,
        metric_name="procedures.applications",
        parameters={"procedure_ids": [str(seminar.pk)], "channel": "online"},
    )
    return seminar


def _ticked(html: str) -> list[str]:
    """The labels of the procedures whose boxes are ticked."""
    return re.findall(
        r'<label for="[^"]+"><input type="checkbox" name="procedures.applications__procedure_ids"'
        r' value="\d+"[^>]* checked>\s*([^<]+)</label>',
        html,
    )


def _page(indicator) -> str:
    return f"/s/242012/pdca/plans/{indicator.plan_id}/indicators/{indicator.pk}/"


def test_the_page_opens_with_the_metric_and_conditions_it_was_saved_with(
    tsu, indicator, seminar, make_member, login
):
    published_procedure(tsu, name="会議室の使用申請")
    page = login(make_member(tsu, Role.MANAGER)).get(_page(indicator)).content.decode()
    assert "この指標は「電子申請・届出の申請件数」から自動で計測しています。" in page
    group = page.split('data-metric="procedures.applications"')[1].split("data-metric=")[0]
    assert "<legend>「電子申請・届出の申請件数」の条件</legend>" in group
    assert "その年度に受け付けた申請の件数(取下げを除く)。" in group  # what it counts
    assert '<legend class="field__label">対象の手続(選ばなければすべて)</legend>' in group
    assert _ticked(group) == ["オープンデータ活用講座"]  # a box per procedure, not a list box
    assert '<option value="online" selected>' in group
    assert '<option value="procedures.applications" selected>' in page


def test_saving_the_binding_again_keeps_its_conditions(tsu, indicator, make_member, login):
    seminar = published_procedure(tsu, name="オープンデータ活用講座")
    client = login(make_member(tsu, Role.MANAGER))
    bind = f"{_page(indicator)}metric/"
    client.post(
        bind,
        {
            "metric_name": "procedures.applications",
            "procedures.applications__procedure_ids": [str(seminar.pk)],
        },
    )
    indicator.refresh_from_db()
    assert indicator.metric_parameters == {"procedure_ids": [str(seminar.pk)]}
    page = client.get(_page(indicator)).content.decode()
    assert _ticked(page) == ["オープンデータ活用講座"]  # what a second save sends again


def test_a_condition_the_metric_needs_is_asked_for_beside_the_choice(
    tsu, indicator, make_member, login
):
    client = login(make_member(tsu, Role.MANAGER))
    refused = client.post(
        f"{_page(indicator)}metric/", {"metric_name": "procedures.survey_answer_share"}
    )
    page = refused.content.decode()
    assert refused.status_code == 422
    assert '<option value="procedures.survey_answer_share" selected>' in page
    beside_the_choice = page.split('for="id_metric_name"')[1].split("</select>")[0]
    assert "「アンケートの手続」を指定してください。" in beside_the_choice
    indicator.refresh_from_db()
    assert indicator.metric_name == ""


def test_everyone_reading_the_indicator_sees_what_it_counts(
    tsu, indicator, seminar, make_member, login
):
    page = login(make_member(tsu, Role.VIEWER)).get(_page(indicator)).content.decode()
    notice = page.split('class="notice notice--success"')[1].split("</div>")[0]
    assert "対象の手続(選ばなければすべて): オープンデータ活用講座" in notice
    assert "受付経路(空欄ならすべて): オンライン" in notice
    assert "<form" not in notice  # the binding itself is the manager's
