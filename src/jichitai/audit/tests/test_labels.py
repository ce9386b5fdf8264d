"""The audit log shows what happened in words: each action code, target kind and channel by its
Japanese name (English in English mode, through the catalogues), the code still at hand."""

import pytest

from jichitai.audit import services as audit
from jichitai.audit.labels import action_label, channel_label, target_type_label
from jichitai.audit.models import AuditEvent
from jichitai.core.context import RequestContext, request_context
from jichitai.tenancy import services as tenancy
from jichitai.tenancy.tests.factories import DivisionFactory


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("procedures.application.status_changed", "申請の状態の変更"),
        ("procedures.application.submitted", "申請の受付"),
        ("tenancy.division.created", "所属の作成"),
        ("opendata.dataset_published", "データセットの公開"),
        ("opendata.resource_replaced", "リソースの差し替え"),
        ("accounts.login", "ログイン"),
        ("payments.reconciled", "消込"),
        ("pdca.action.updated", "取組の更新"),
        ("pdca.action_year.updated", "取組の年度計画の更新"),
        ("read", "個人情報の閲覧"),
    ],
)
def test_codes_have_japanese_names(code, label):
    assert action_label(code) == label


def test_a_code_without_a_name_is_shown_as_it_is():
    assert action_label("newapp.gizmo.frobbed") == "newapp.gizmo.frobbed"
    assert action_label("procedures.application.frobbed") == "procedures.application.frobbed"


def test_every_action_recorded_by_the_platform_has_a_name():
    """The actions the services record, as written in the source: a new one needs its name."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    codes = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        codes |= set(re.findall(r'action="([a-z_]+(?:\.[a-z_]+)+)"', path.read_text()))
    assert len(codes) > 50
    assert sorted(code for code in codes if action_label(code) == code) == []


def test_target_kinds_and_channels_are_named():
    assert target_type_label("procedures.Application") == "申請"
    assert target_type_label("gone.Model") == "gone.Model"
    assert channel_label("web") == "画面" and channel_label("odd") == "odd"


@pytest.mark.django_db
def test_the_log_pages_show_names_and_keep_the_code(tsu, make_member, login):
    manager = make_member(tsu, "manager")
    division = DivisionFactory(organization=tsu, name="市民課")
    with request_context(RequestContext(ip_address="203.0.113.7", channel="web")):
        tenancy.update_division(actor=manager, division=division, name="市民窓口課")
    event = AuditEvent.objects.get(action="tenancy.division.updated")
    client = login(manager)
    listing = client.get(f"/s/{tsu.code}/audit/").content.decode()
    assert "所属の更新" in listing and ">tenancy.division.updated<" not in listing
    detail = client.get(f"/s/{tsu.code}/audit/{event.pk}/").content.decode()
    assert "所属の更新" in detail and "<code>tenancy.division.updated</code>" in detail
    assert "所属 #" in detail and "tenancy.Division" not in detail
    assert "画面" in detail


@pytest.mark.django_db
def test_an_action_recorded_without_a_name_still_shows(tsu, make_member, login):
    manager = make_member(tsu, "manager")
    audit.record(action="newapp.gizmo.frobbed", organization=tsu, summary="x")
    assert "newapp.gizmo.frobbed" in login(manager).get(f"/s/{tsu.code}/audit/").content.decode()
