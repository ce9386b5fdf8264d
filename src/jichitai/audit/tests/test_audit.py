"""Every write made through a service leaves an audit entry (who, when, organization, old → new,
address) in the same transaction; reads of personal data are recorded; managers browse them."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from jichitai.audit import services as audit
from jichitai.audit.models import AuditEvent
from jichitai.core.context import RequestContext, request_context
from jichitai.tenancy import services as tenancy
from jichitai.tenancy.models import Division, Role
from jichitai.tenancy.tests.factories import DivisionFactory


@pytest.mark.django_db
def test_a_change_records_old_and_new_values_actor_organization_and_address(tsu, tsu_admin):
    division = DivisionFactory(organization=tsu, name="市民課", phone="")
    with request_context(RequestContext(ip_address="203.0.113.7", channel="web")):
        tenancy.update_division(
            actor=tsu_admin, division=division, name="市民窓口課", phone="059-229-3111"
        )
    event = AuditEvent.objects.get(action="tenancy.division.updated")
    assert event.actor == tsu_admin
    assert event.organization == tsu
    assert event.ip_address == "203.0.113.7"
    assert event.target_type == "tenancy.Division"
    assert event.target_id == str(division.pk)
    assert event.changes == {"name": ["市民課", "市民窓口課"], "phone": ["", "059-229-3111"]}


@pytest.mark.django_db
def test_a_write_that_changes_nothing_records_nothing(tsu, tsu_admin):
    division = DivisionFactory(organization=tsu, name="市民課")
    tenancy.update_division(actor=tsu_admin, division=division, name="市民課")
    assert not AuditEvent.objects.filter(action="tenancy.division.updated").exists()


@pytest.mark.django_db
def test_an_update_records_only_the_fields_that_changed_since_the_snapshot(
    tsu, tsu_admin, prefecture
):
    division = DivisionFactory(organization=tsu, name="市民課", phone="059-229-3111")
    before = audit.snapshot(instance=division, fields=["name", "phone", "email"])
    division.name = "市民窓口課"
    division.save()

    event = audit.record_update(
        action="tenancy.division.updated",
        actor=tsu_admin,
        target=division,
        before=before,
        organization=prefecture,
        summary="名称の変更",
    )

    assert event == AuditEvent.objects.get()
    assert event.changes == {"name": ["市民課", "市民窓口課"]}
    assert event.organization == prefecture
    assert event.summary == "名称の変更"
    assert event.actor == tsu_admin
    assert (
        audit.record_update(
            action="tenancy.division.updated",
            actor=tsu_admin,
            target=division,
            before=audit.snapshot(instance=division, fields=["name", "phone"]),
        )
        is None
    )
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_entry_and_the_change_commit_or_roll_back_together(tsu, tsu_admin):
    with pytest.raises(RuntimeError), transaction.atomic():
        tenancy.create_division(actor=tsu_admin, organization=tsu, name="消える課")
        raise RuntimeError("the user action fails after the service call")
    assert not Division.objects.filter(name="消える課").exists()
    assert not AuditEvent.objects.filter(target_repr="消える課").exists()

    tenancy.create_division(actor=tsu_admin, organization=tsu, name="残る課")
    assert AuditEvent.objects.filter(
        target_repr="残る課", action="tenancy.division.created"
    ).exists()


@pytest.mark.django_db
def test_a_refused_write_records_nothing(tsu, tsu_admin):
    DivisionFactory(organization=tsu, name="市民課")
    with pytest.raises(ValidationError):
        tenancy.create_division(actor=tsu_admin, organization=tsu, name="市民課")
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_viewing_a_members_contact_details_is_recorded(tsu, tsu_admin, tsu_clerk, login):
    membership = tsu_clerk.memberships.get()
    response = login(tsu_admin).get(f"/s/{tsu.code}/members/{membership.pk}/")
    assert response.status_code == 200
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.READ)
    assert event.actor == tsu_admin
    assert event.target_id == str(membership.pk)
    assert event.ip_address == "127.0.0.1"


@pytest.mark.django_db
def test_web_requests_record_the_address_and_request_id(tsu, tsu_admin, login):
    response = login(tsu_admin).post(
        f"/s/{tsu.code}/organization/divisions/new/",
        {"name": "広報課", "department": "政策財務部", "is_active": "on"},
        REMOTE_ADDR="198.51.100.20",
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="tenancy.division.created")
    assert event.ip_address == "198.51.100.20"
    assert event.request_id == response["X-Request-ID"]
    assert event.channel == "web"


@pytest.mark.django_db
class TestAuditPages:
    def test_managers_browse_and_filter_their_organizations_entries(
        self, tsu, ise, make_member, login
    ):
        manager = make_member(tsu, Role.MANAGER)
        audit.record(action="tenancy.division.created", organization=tsu, summary="津市の記録")
        audit.record(action="tenancy.division.created", organization=ise, summary="伊勢市の記録")
        audit.record(
            action="accounts.login", organization=tsu, summary="ログインの記録", kind="auth"
        )
        client = login(manager)

        page = client.get(f"/s/{tsu.code}/audit/").content.decode()
        assert "津市の記録" in page and "ログインの記録" in page
        assert "伊勢市の記録" not in page

        filtered = client.get(
            f"/s/{tsu.code}/audit/", {"action": "tenancy.division.created"}
        ).content.decode()
        assert "津市の記録" in filtered and "ログインの記録" not in filtered

    def test_the_operation_is_chosen_by_name_among_those_in_the_organizations_log(
        self, tsu, ise, make_member, login
    ):
        audit.record(action="tenancy.division.created", organization=tsu)
        audit.record(action="accounts.login", organization=tsu, kind="auth")
        audit.record(action="opendata.dataset_published", organization=ise)
        page = login(make_member(tsu, Role.MANAGER)).get(f"/s/{tsu.code}/audit/")
        choices = page.context["form"].fields["action"].choices
        assert choices == [
            ("", "すべて"),
            ("accounts.login", "ログイン"),
            ("tenancy.division.created", "所属の作成"),
        ]  # in the order of their names; another organization's operations are not offered
        assert '<option value="accounts.login">ログイン</option>' in page.content.decode()

    def test_dates_in_the_filter_accept_wareki(self, tsu, make_member, login):
        manager = make_member(tsu, Role.MANAGER)
        audit.record(action="x", organization=tsu, summary="今日の記録")
        client = login(manager)
        page = client.get(f"/s/{tsu.code}/audit/", {"since": "令和元年5月1日"}).content.decode()
        assert "今日の記録" in page
        bad = client.get(f"/s/{tsu.code}/audit/", {"since": "きのう"}).content.decode()
        assert "日付として読み取れません" in bad

    def test_clerks_cannot_browse_it(self, tsu, tsu_clerk, login):
        assert login(tsu_clerk).get(f"/s/{tsu.code}/audit/").status_code == 403

    def test_detail_shows_old_and_new(self, tsu, tsu_admin, login):
        event = audit.record(
            action="tenancy.division.updated",
            organization=tsu,
            changes={"name": ["旧い名前", "新しい名前"]},
        )
        page = login(tsu_admin).get(f"/s/{tsu.code}/audit/{event.pk}/").content.decode()
        assert "旧い名前" in page and "新しい名前" in page
