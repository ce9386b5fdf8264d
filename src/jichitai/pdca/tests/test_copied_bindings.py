"""A plan copied from the prefecture's keeps each indicator's live metric, but never a condition
that names one of the prefecture's own procedures: those measure nothing for a 市町 and read as a
bare number on its pages. The 市町 is asked to choose its own; until it does, the indicator is not
measured and says why. Nor can a binding be saved with another organization's procedure."""

import pytest
from django.core.exceptions import ValidationError

from jichitai.pdca import services
from jichitai.pdca.indicators import bound_metric, unset_conditions
from jichitai.pdca.tests.factories import plan_with_action
from jichitai.procedures.tests.factories import published_procedure
from jichitai.tenancy.models import Role

pytestmark = pytest.mark.django_db

SURVEY_CONDITIONS = {"question": "feel_progress", "answers": ["実感している", "やや実感している"]}


def _copy(source, organization):
    return services.create_plan(
        actor=None,
        organization=organization,
        name="津市DX推進計画",
        slug="tsu-dx",
        kind="plan",
        first_year=2026,
        last_year=2028,
        copy_from=source,
    )


def _bind_survey(indicator, survey):
    """Binds the indicator to the share of ``survey``'s respondents who feel the progress."""
    services.bind_metric(
        actor=None,
        indicator=indicator,
        metric_name="procedures.survey_answer_share",
        parameters={"procedure_id": survey.pk, **SURVEY_CONDITIONS},
    )


@pytest.fixture
def policy(prefecture):
    """The prefecture's plan, its indicator measured from the prefecture's own staff survey."""
    plan = plan_with_action(prefecture, first_year=2026, last_year=2028)
    _bind_survey(plan.indicators.get(), published_procedure(prefecture, name="職員アンケート"))
    return plan


def test_a_copy_keeps_the_metric_and_its_wording_but_not_the_prefectures_survey(policy, tsu):
    indicator = _copy(policy, tsu).indicators.get()
    assert indicator.metric_name == "procedures.survey_answer_share"
    assert indicator.metric_parameters == SURVEY_CONDITIONS
    assert unset_conditions(indicator) == ["アンケートの手続"]
    assert bound_metric(indicator) is None  # not measured until the 市町 chooses its survey


def test_the_copys_pages_ask_for_the_survey_instead_of_showing_a_number(
    policy, tsu, make_member, login
):
    plan = _copy(policy, tsu)
    indicator = plan.indicators.get()
    client = login(make_member(tsu, Role.MANAGER))
    plan_page = client.get(f"/s/242012/pdca/plans/{plan.pk}/").content.decode()
    assert "自動計測の条件が未設定" in plan_page
    page = client.get(f"/s/242012/pdca/plans/{plan.pk}/indicators/{indicator.pk}/")
    html = page.content.decode()
    assert "「アンケートの手続」を選ぶまで、この指標は計測されません。" in html
    assert "から自動で計測しています" not in html
    assert "アンケートの手続: " not in html  # the prefecture's procedure, by number, is gone
    assert 'value="feel_progress"' in html  # what was copied is offered to be completed


def test_choosing_its_own_survey_completes_the_copied_binding(policy, tsu):
    indicator = _copy(policy, tsu).indicators.get()
    _bind_survey(indicator, published_procedure(tsu, name="津市職員アンケート"))
    assert unset_conditions(indicator) == []
    assert bound_metric(indicator) is not None


def test_procedures_the_copy_cannot_count_leave_it_unbound_not_counting_everything(prefecture, tsu):
    source = plan_with_action(prefecture, first_year=2026, last_year=2028)
    seminar = published_procedure(prefecture, name="県の講座")
    services.bind_metric(
        actor=None,
        indicator=source.indicators.get(),
        metric_name="procedures.applications",
        parameters={"procedure_ids": [str(seminar.pk)], "channel": "online"},
    )
    indicator = _copy(source, tsu).indicators.get()
    # Dropping the only procedure would turn "this course's applications" into "all of them".
    assert (indicator.metric_name, indicator.metric_parameters) == ("", {})


def test_conditions_without_a_procedure_are_copied_whole(prefecture, tsu):
    source = plan_with_action(prefecture, first_year=2026, last_year=2028)
    services.bind_metric(
        actor=None,
        indicator=source.indicators.get(),
        metric_name="procedures.applications",
        parameters={"channel": "online"},
    )
    indicator = _copy(source, tsu).indicators.get()
    assert indicator.metric_parameters == {"channel": "online"}
    assert bound_metric(indicator) is not None


def test_a_binding_naming_another_organizations_procedure_is_refused(prefecture, tsu):
    indicator = plan_with_action(tsu).indicators.get()
    survey = published_procedure(prefecture, name="職員アンケート")
    with pytest.raises(ValidationError) as refused:
        _bind_survey(indicator, survey)
    assert "「アンケートの手続」に、この団体の手続でないものが指定されています。" in str(
        refused.value
    )
    indicator.refresh_from_db()
    assert indicator.metric_name == ""
