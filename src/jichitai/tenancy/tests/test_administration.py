"""Administrators run their own organization (divisions, staff); the prefecture's administrators
also register municipalities and appoint their first administrator."""

import re

import pytest
from django.core import mail
from django.test import Client

from jichitai.audit.models import AuditEvent
from jichitai.tenancy.models import Division, Membership, Organization, Role
from jichitai.tenancy.tests.factories import DivisionFactory, MembershipFactory, UserFactory


@pytest.mark.django_db
class TestOrganization:
    def test_admin_edits_contact_details_normalised(self, tsu, tsu_admin, login):
        response = login(tsu_admin).post(
            f"/s/{tsu.code}/organization/edit/",
            {
                "name": "津市",
                "name_kana": "ツシ",
                "postal_code": "〒５１４－８６１１",
                "address": "三重県津市西丸之内23番1号",
                "phone": "0592292111",
                "email": "",
                "website": "www.info.city.tsu.mie.jp",
            },
        )
        assert response.status_code == 302
        tsu.refresh_from_db()
        event = AuditEvent.objects.get(action="tenancy.organization.updated")
        assert event.changes["postal_code"] == ["", "514-8611"]
        assert tsu.postal_code == "514-8611"
        assert tsu.phone == "059-229-2111"
        assert tsu.name_kana == "つし"
        assert tsu.website == "https://www.info.city.tsu.mie.jp"

    def test_bad_input_is_explained_next_to_the_field_and_kept(self, tsu, tsu_admin, login):
        response = login(tsu_admin).post(
            f"/s/{tsu.code}/organization/edit/",
            {"name": "津市", "name_kana": "つし", "postal_code": "51486", "phone": "12"},
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert "郵便番号は7桁の数字で入力してください" in body
        assert "電話番号" in body
        assert 'value="51486"' in body
        assert 'aria-invalid="true"' in body
        assert 'role="alert"' in body
        tsu.refresh_from_db()
        assert tsu.postal_code == ""

    def test_only_admins_edit(self, tsu, tsu_clerk, login):
        assert login(tsu_clerk).get(f"/s/{tsu.code}/organization/edit/").status_code == 403
        assert login(tsu_clerk).get(f"/s/{tsu.code}/organization/").status_code == 200


@pytest.mark.django_db
class TestDivisions:
    def test_admin_adds_and_renames_a_division(self, tsu, tsu_admin, login):
        client = login(tsu_admin)
        response = client.post(
            f"/s/{tsu.code}/divisions/new/",
            {"name": "デジタル推進課", "department": "政策財務部", "is_active": "on"},
        )
        assert response.status_code == 302
        division = Division.objects.get(organization=tsu, name="デジタル推進課")
        client.post(
            f"/s/{tsu.code}/divisions/{division.pk}/",
            {"name": "DX推進課", "department": "政策財務部", "is_active": "on"},
        )
        division.refresh_from_db()
        assert division.name == "DX推進課"
        assert "DX推進課" in client.get(f"/s/{tsu.code}/divisions/").content.decode()

    def test_duplicate_names_are_refused_with_a_message(self, tsu, tsu_admin, login):
        DivisionFactory(organization=tsu, name="市民課")
        response = login(tsu_admin).post(
            f"/s/{tsu.code}/divisions/new/", {"name": "市民課", "is_active": "on"}
        )
        assert response.status_code == 200
        assert "「市民課」という所属はすでに登録されています" in response.content.decode()
        assert Division.objects.filter(organization=tsu, name="市民課").count() == 1


@pytest.mark.django_db
class TestMembers:
    def test_a_new_person_is_invited_by_email_and_sets_a_password(
        self, tsu, tsu_admin, login, django_capture_on_commit_callbacks
    ):
        division = DivisionFactory(organization=tsu, name="市民課")
        with django_capture_on_commit_callbacks(execute=True):
            response = login(tsu_admin).post(
                f"/s/{tsu.code}/members/new/",
                {
                    "username": "tsu-newcomer",
                    "full_name": "新人 太郎",
                    "email": "newcomer@city.tsu.example.jp",
                    "role": Role.CLERK,
                    "division": division.pk,
                },
            )
        assert response.status_code == 302
        membership = Membership.objects.get(user__username="tsu-newcomer")
        assert membership.organization == tsu and membership.division == division
        assert not membership.user.has_usable_password()

        assert len(mail.outbox) == 1
        link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
        client = Client()
        form_page = client.get(link, follow=True)
        assert form_page.status_code == 200
        new_password = "a-long-enough-passphrase-2026"
        client.post(
            form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
            {"new_password1": new_password, "new_password2": new_password},
        )
        membership.user.refresh_from_db()
        assert membership.user.check_password(new_password)

    def test_an_existing_account_is_added_without_an_email(self, tsu, ise, tsu_admin, login):
        person = UserFactory(username="shared-person")
        MembershipFactory(user=person, organization=ise)
        response = login(tsu_admin).post(
            f"/s/{tsu.code}/members/new/", {"username": "shared-person", "role": Role.VIEWER}
        )
        assert response.status_code == 302
        assert person.memberships.count() == 2
        assert len(mail.outbox) == 0

    def test_a_new_person_needs_an_email(self, tsu, tsu_admin, login):
        response = login(tsu_admin).post(
            f"/s/{tsu.code}/members/new/", {"username": "no-mail", "role": Role.CLERK}
        )
        assert "招待を送ります" in response.content.decode()
        assert not Membership.objects.filter(user__username="no-mail").exists()

    def test_another_organizations_division_cannot_be_chosen(self, tsu, ise, tsu_admin, login):
        other = DivisionFactory(organization=ise)
        response = login(tsu_admin).post(
            f"/s/{tsu.code}/members/new/",
            {
                "username": "x-person",
                "email": "x@example.jp",
                "role": Role.CLERK,
                "division": other.pk,
            },
        )
        assert response.status_code == 200
        assert not Membership.objects.filter(user__username="x-person").exists()

    def test_admins_change_roles_but_not_their_own(self, tsu, tsu_admin, tsu_clerk, login):
        client = login(tsu_admin)
        clerk_membership = tsu_clerk.memberships.get()
        client.post(
            f"/s/{tsu.code}/members/{clerk_membership.pk}/",
            {"role": Role.MANAGER, "is_active": "on"},
        )
        clerk_membership.refresh_from_db()
        assert clerk_membership.role == Role.MANAGER

        own = tsu_admin.memberships.get()
        response = client.post(
            f"/s/{tsu.code}/members/{own.pk}/", {"role": Role.VIEWER, "is_active": "on"}
        )
        assert "自分自身の権限は変更できません" in response.content.decode()
        own.refresh_from_db()
        assert own.role == Role.ADMIN

    def test_a_deactivated_member_loses_access(self, tsu, tsu_admin, tsu_clerk, login):
        clerk_client = login(tsu_clerk)
        assert clerk_client.get(f"/s/{tsu.code}/").status_code == 200
        membership = tsu_clerk.memberships.get()
        login(tsu_admin).post(f"/s/{tsu.code}/members/{membership.pk}/", {"role": Role.CLERK})
        assert clerk_client.get(f"/s/{tsu.code}/").status_code == 404


@pytest.mark.django_db
class TestMunicipalities:
    def test_prefecture_admin_registers_a_municipality_with_a_valid_code(
        self, prefecture, prefecture_admin, login
    ):
        client = login(prefecture_admin)
        bad = client.post(
            f"/s/{prefecture.code}/municipalities/new/",
            {"code": "243433", "name": "朝日町", "name_kana": "あさひちょう", "kind": "town"},
        )
        assert "検査数字が正しくありません" in bad.content.decode()
        assert 'value="243433"' in bad.content.decode()

        good = client.post(
            f"/s/{prefecture.code}/municipalities/new/",
            {"code": "243434", "name": "朝日町", "name_kana": "アサヒチョウ", "kind": "town"},
        )
        assert good.status_code == 302
        town = Organization.objects.get(code="243434")
        assert (
            town.parent == prefecture and town.kind == "town" and town.name_kana == "あさひちょう"
        )
        assert AuditEvent.objects.filter(
            action="tenancy.organization.created", organization=prefecture
        ).exists()

    def test_prefecture_admin_appoints_a_municipal_admin(
        self, prefecture, tsu, prefecture_admin, login, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = login(prefecture_admin).post(
                f"/s/{prefecture.code}/municipalities/{tsu.code}/admins/",
                {
                    "admin-username": "tsu-first-admin",
                    "admin-full_name": "津 管理",
                    "admin-email": "admin@city.tsu.example.jp",
                },
            )
        assert response.status_code == 302
        membership = Membership.objects.get(user__username="tsu-first-admin")
        assert membership.organization == tsu and membership.role == Role.ADMIN
        assert len(mail.outbox) == 1

    def test_prefecture_admin_sees_only_own_municipalities(
        self, prefecture, prefecture_admin, login
    ):
        stranger = Organization.objects.create(
            code="011002", name="札幌市", name_kana="さっぽろし", kind="city"
        )
        client = login(prefecture_admin)
        assert (
            client.get(f"/s/{prefecture.code}/municipalities/{stranger.code}/").status_code == 404
        )

    def test_municipal_staff_cannot_manage_municipalities(self, tsu, tsu_admin, login):
        assert login(tsu_admin).get(f"/s/{tsu.code}/municipalities/").status_code == 404

    def test_prefecture_clerks_cannot_either(self, prefecture, make_member, login):
        clerk = make_member(prefecture, Role.CLERK)
        assert login(clerk).get(f"/s/{prefecture.code}/municipalities/").status_code == 403
