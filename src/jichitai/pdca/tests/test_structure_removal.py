"""A level, an indicator or an action added by mistake is removed by the plan's manager, who is
first shown what goes with it; what a closed 年度 holds is not removed until the 年度 is reopened,
and a level keeps while actions are filed under it."""

import pytest

from jichitai.audit.labels import action_label
from jichitai.audit.models import AuditEvent
from jichitai.pdca import services
from jichitai.pdca.models import Action, ActionYear, Indicator, IndicatorYear, Node
from jichitai.pdca.tests.factories import plan_with_action
from jichitai.tenancy.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(tsu):
    return plan_with_action(tsu)


@pytest.fixture
def manager(tsu, make_member, login):
    return login(make_member(tsu, Role.MANAGER))


def _url(plan, part, element) -> str:
    return f"/s/242012/pdca/plans/{plan.pk}/structure/{part}/{element.pk}/delete/"


def test_an_indicator_goes_with_its_figures_once_confirmed(plan, manager):
    indicator = plan.indicators.get()
    edit = manager.get(f"/s/242012/pdca/plans/{plan.pk}/structure/indicator/{indicator.pk}/")
    assert _url(plan, "indicator", indicator) in edit.content.decode()
    page = manager.get(_url(plan, "indicator", indicator)).content.decode()
    assert "「申請件数」と、入力済みの目標値・実績値 1件を削除します。" in page
    removed = manager.post(_url(plan, "indicator", indicator), follow=True)
    assert removed.redirect_chain[-1][0] == f"/s/242012/pdca/plans/{plan.pk}/"
    assert "「申請件数」を削除しました。" in removed.content.decode()
    assert not Indicator.objects.exists() and not IndicatorYear.objects.exists()
    event = AuditEvent.objects.get(action="pdca.indicator.deleted")
    assert event.summary == f"{plan.name}: 申請件数"
    assert action_label(event.action) == "指標の削除"


def test_an_action_goes_with_its_schedule(plan, manager):
    action = plan.actions.get()
    edit = f"/s/242012/pdca/plans/{plan.pk}/structure/action/{action.pk}/"
    assert _url(plan, "action", action) in manager.get(edit).content.decode()  # beside its wording
    page = manager.get(_url(plan, "action", action)).content.decode()
    assert "「1 RPA の導入」と、年度ごとのスケジュール・取組状況 1件を削除します。" in page
    assert manager.post(_url(plan, "action", action)).status_code == 302
    assert not Action.objects.exists() and not ActionYear.objects.exists()
    assert AuditEvent.objects.filter(action="pdca.action.deleted").exists()


def test_a_level_keeps_while_an_action_is_filed_under_it(plan, manager):
    level = plan.nodes.get()
    detail = manager.get(f"/s/242012/pdca/plans/{plan.pk}/").content.decode()
    assert _url(plan, "node", level) not in detail
    page = manager.get(_url(plan, "node", level)).content.decode()
    assert "取組が 1件あるため削除できません" in page and "<form" not in page.split("<main")[1]
    refused = manager.post(_url(plan, "node", level))
    assert refused.status_code == 400 and Node.objects.filter(pk=level.pk).exists()
    plan.actions.all().delete()
    assert (
        _url(plan, "node", level)
        in manager.get(f"/s/242012/pdca/plans/{plan.pk}/").content.decode()
    )
    assert manager.post(_url(plan, "node", level)).status_code == 302
    assert not Node.objects.exists()


def test_what_a_closed_year_holds_is_not_removed(plan, manager):
    services.lock_year(actor=None, plan=plan, fiscal_year=plan.first_year)
    indicator = plan.indicators.get()
    page = manager.get(_url(plan, "indicator", indicator)).content.decode()
    assert "締め切った令和6年度の値があるため削除できません" in page
    assert manager.post(_url(plan, "indicator", indicator)).status_code == 400
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    action = plan.actions.get()
    assert manager.post(_url(plan, "action", action)).status_code == 400
    assert Action.objects.filter(pk=action.pk).exists()


def test_only_managers_remove(tsu, plan, make_member, login):
    clerk = login(make_member(tsu, Role.CLERK))
    indicator = plan.indicators.get()
    assert clerk.post(_url(plan, "indicator", indicator)).status_code in {403, 404}
    assert Indicator.objects.filter(pk=indicator.pk).exists()
