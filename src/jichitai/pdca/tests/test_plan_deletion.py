"""A plan made by mistake (a wrong copy, a trial) is deleted by a manager, who first sees what
goes with it and types its name; a plan whose report has been published stays, as the public page
and the published reports are the record residents were shown."""

import pytest

from jichitai.audit.labels import action_label
from jichitai.audit.models import AuditEvent
from jichitai.pdca import services
from jichitai.pdca.models import Action, Indicator, Meeting, Node, Plan
from jichitai.pdca.tests.factories import plan_with_action
from jichitai.tenancy.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(tsu):
    return plan_with_action(tsu, slug="trial")


def _url(plan) -> str:
    return f"/s/242012/pdca/plans/{plan.pk}/delete/"


def test_a_manager_sees_what_goes_with_the_plan_and_deletes_it_by_its_name(
    tsu, plan, make_member, login
):
    meeting = Meeting.objects.create(organization=tsu, plan=plan, name="推進会議", fiscal_year=2024)
    client = login(make_member(tsu, Role.MANAGER))
    detail = client.get(f"/s/242012/pdca/plans/{plan.pk}/").content.decode()
    assert f'href="{_url(plan)}"' in detail
    page = client.get(_url(plan)).content.decode()
    assert "個別取組 1件、取組 1件、指標 1件(入力済みの目標値・実績値 1件)" in page
    assert 'name="name"' in page
    deleted = client.post(_url(plan), {"name": plan.name}, follow=True)
    assert deleted.redirect_chain[-1][0] == "/s/242012/pdca/"
    assert f"計画「{plan.name}」を削除しました。" in deleted.content.decode()
    assert not Plan.objects.filter(pk=plan.pk).exists()
    assert not (Node.objects.exists() or Action.objects.exists() or Indicator.objects.exists())
    meeting.refresh_from_db()
    assert meeting.plan is None  # the council's record stays
    event = AuditEvent.objects.get(action="pdca.plan.deleted")
    assert (event.organization, event.summary) == (tsu, plan.name)
    assert action_label(event.action) == "計画の削除"


def test_a_name_typed_wrong_keeps_the_plan_and_the_input(tsu, plan, make_member, login):
    client = login(make_member(tsu, Role.MANAGER))
    refused = client.post(_url(plan), {"name": "テスト計画"})
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "計画の名称が一致しません。" in page and 'value="テスト計画"' in page
    assert Plan.objects.filter(pk=plan.pk).exists()
    assert not AuditEvent.objects.filter(action="pdca.plan.deleted").exists()


def test_a_published_plan_is_not_deleted(tsu, plan, make_member, login):
    services.publish_report(actor=None, plan=plan, kind="evaluation", fiscal_year=2024)
    client = login(make_member(tsu, Role.MANAGER))
    page = client.get(_url(plan)).content.decode()
    assert "報告書を公開した計画は削除できません" in page and 'name="name"' not in page
    assert (
        f'href="{_url(plan)}"'
        not in client.get(f"/s/242012/pdca/plans/{plan.pk}/").content.decode()
    )
    refused = client.post(_url(plan), {"name": plan.name})
    assert refused.status_code == 400
    assert Plan.objects.filter(pk=plan.pk).exists()


def test_only_managers_delete_plans(tsu, plan, make_member, login):
    clerk = login(make_member(tsu, Role.CLERK))
    assert _url(plan) not in clerk.get(f"/s/242012/pdca/plans/{plan.pk}/").content.decode()
    assert clerk.post(_url(plan), {"name": plan.name}).status_code in {403, 404}
    assert Plan.objects.filter(pk=plan.pk).exists()
