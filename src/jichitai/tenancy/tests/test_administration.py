"""Administrators run their own organization (divisions, staff, invited and accepting); the
prefecture's administrators also register municipalities, invite a first administrator where there is
none, and otherwise reach a municipality only through audited, time-limited break-glass access."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from jichitai.audit.models import AuditEvent
from jichitai.tenancy.models import Division, Invitation, Membership, Organization, Role
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
            f"/s/{tsu.code}/organization/divisions/new/",
            {"name": "デジタル推進課", "department": "政策財務部", "is_active": "on"},
        )
        assert response.status_code == 302
        division = Division.objects.get(organization=tsu, name="デジタル推進課")
        client.post(
            f"/s/{tsu.code}/organization/divisions/{division.pk}/",
            {"name": "DX推進課", "department": "政策財務部", "is_active": "on"},
        )
        division.refresh_from_db()
        assert division.name == "DX推進課"
        assert "DX推進課" in client.get(f"/s/{tsu.code}/organization/divisions/").content.decode()

    def test_duplicate_names_are_refused_with_a_message(self, tsu, tsu_admin, login):
        DivisionFactory(organization=tsu, name="市民課")
        response = login(tsu_admin).post(
            f"/s/{tsu.code}/organization/divisions/new/", {"name": "市民課", "is_active": "on"}
        )
        assert response.status_code == 200
        assert "「市民課」という所属はすでに登録されています" in response.content.decode()
        assert Division.objects.filter(organization=tsu, name="市民課").count() == 1


def invitation_link(message) -> str:
    """The link's path; it starts from the site's public address, whatever host the admin used."""
    base = re.escape(settings.JICHITAI_BASE_URL.rstrip("/"))
    return re.search(base + r"(/accounts/invitations/\S+/)", message.body).group(1)


def without_csrf_token(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


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
        assert not Membership.objects.filter(user__username="tsu-newcomer").exists()
        assert mail.outbox[0].to == ["newcomer@city.tsu.example.jp"]

        client = Client()
        link = invitation_link(mail.outbox[0])
        form_page = client.get(link)
        assert "新人 太郎" in form_page.content.decode() and "津市" in form_page.content.decode()
        new_password = "a-long-enough-passphrase-2026"
        short = client.post(link, {"new_password1": "short", "new_password2": "short"})
        assert short.status_code == 200 and "パスワード" in short.content.decode()
        accepted = client.post(link, {"new_password1": new_password, "new_password2": new_password})
        assert accepted.status_code == 302
        membership = Membership.objects.get(user__username="tsu-newcomer")
        assert membership.organization == tsu and membership.division == division
        assert membership.role == Role.CLERK
        assert membership.user.check_password(new_password)
        assert membership.user.email == "newcomer@city.tsu.example.jp"
        # The link works once.
        assert client.post(link, {"new_password1": "x", "new_password2": "x"}).status_code == 404

    def test_an_existing_account_joins_only_by_accepting_the_invitation(
        self, tsu, ise, tsu_admin, tsu_clerk, login, django_capture_on_commit_callbacks
    ):
        person = UserFactory(username="shared-person", email="shared@city.ise.example.jp")
        MembershipFactory(user=person, organization=ise)
        with django_capture_on_commit_callbacks(execute=True):
            response = login(tsu_admin).post(
                f"/s/{tsu.code}/members/new/",
                {"username": "shared-person", "email": "typed@example.jp", "role": Role.VIEWER},
            )
        assert response.status_code == 302
        assert person.memberships.count() == 1
        # The account holder is asked, at the address of their own account.
        assert mail.outbox[0].to == ["shared@city.ise.example.jp"]
        link = invitation_link(mail.outbox[0])

        assert Client().get(link)["Location"].startswith("/accounts/login/")
        assert person.memberships.count() == 1
        someone_else = login(tsu_clerk).post(link)
        assert "別のログインID" in someone_else.content.decode()
        assert person.memberships.count() == 1

        holder = login(person)
        page = holder.get(link).content.decode()
        assert "津市" in page and "承諾" in page
        assert holder.post(link).status_code == 302
        joined = person.memberships.get(organization=tsu)
        assert joined.role == Role.VIEWER and joined.is_active
        assert AuditEvent.objects.filter(
            action="tenancy.invitation.accepted", organization=tsu
        ).exists()
        assert holder.post(link).status_code == 404

    def test_known_and_unknown_login_ids_get_the_same_answer(
        self, tsu, ise_admin, tsu_admin, login, django_capture_on_commit_callbacks
    ):
        client = login(tsu_admin)
        answers = []
        for username in (ise_admin.username, "nobody-at-all"):
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(
                    f"/s/{tsu.code}/members/new/",
                    {"username": username, "email": "probe@example.jp", "role": Role.ADMIN},
                )
            page = client.get(response["Location"]).content.decode()
            assert "招待メールを送りました" in page
            assert ise_admin.email not in page
            answers.append((response.status_code, response["Location"]))
        assert answers[0] == answers[1]
        # Both are listed alike, as invitations waiting for an answer.
        rows = re.findall(
            r"<tr>\s*<td>([^<]+)</td>\s*<td>probe@example\.jp</td>\s*<td>招待中", page
        )
        assert sorted(rows) == sorted([ise_admin.username, "nobody-at-all"])
        assert not ise_admin.memberships.filter(organization=tsu).exists()

        without_email = [
            without_csrf_token(
                client.post(f"/s/{tsu.code}/members/new/", {"username": name, "role": Role.CLERK})
            ).replace(name, "<ID>")
            for name in (ise_admin.username, "nobody-else")
        ]
        assert without_email[0] == without_email[1]
        assert "メールアドレスを入力してください" in without_email[0]

    def test_an_admin_cancels_an_invitation_and_its_link_stops_working(
        self, tsu, tsu_admin, login, django_capture_on_commit_callbacks
    ):
        client = login(tsu_admin)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                f"/s/{tsu.code}/members/new/",
                {"username": "mistyped", "email": "mistyped@example.jp", "role": Role.ADMIN},
            )
        invitation = Invitation.objects.get()
        response = client.post(f"/s/{tsu.code}/members/invitations/{invitation.pk}/cancel/")
        assert response.status_code == 302
        assert "mistyped@example.jp" not in client.get(f"/s/{tsu.code}/members/").content.decode()
        assert Client().get(invitation_link(mail.outbox[0])).status_code == 404
        assert AuditEvent.objects.filter(action="tenancy.invitation.cancelled").exists()

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

    def test_prefecture_admin_invites_the_first_municipal_admin(
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
        assert mail.outbox[0].to == ["admin@city.tsu.example.jp"]
        password = "a-long-enough-passphrase-2026"
        Client().post(
            invitation_link(mail.outbox[0]), {"new_password1": password, "new_password2": password}
        )
        membership = Membership.objects.get(user__username="tsu-first-admin")
        assert membership.organization == tsu and membership.role == Role.ADMIN

    def test_no_admin_is_appointed_while_the_municipality_has_one(
        self,
        prefecture,
        tsu,
        tsu_admin,
        prefecture_admin,
        login,
        django_capture_on_commit_callbacks,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = login(prefecture_admin).post(
                f"/s/{prefecture.code}/municipalities/{tsu.code}/admins/",
                {
                    "admin-username": prefecture_admin.username,
                    "admin-email": "pref@example.jp",
                },
            )
        assert response.status_code == 422
        assert "すでに管理者がいます" in response.content.decode()
        assert 'value="pref@example.jp"' in response.content.decode()
        assert not Invitation.objects.exists() and mail.outbox == []

    def test_break_glass_access_needs_a_reason_ends_and_is_told_to_the_municipal_admins(
        self,
        prefecture,
        tsu,
        tsu_admin,
        prefecture_admin,
        login,
        django_capture_on_commit_callbacks,
    ):
        client = login(prefecture_admin)
        url = f"/s/{prefecture.code}/municipalities/{tsu.code}/break-glass/"
        assert client.get(f"/s/{tsu.code}/").status_code == 404

        no_reason = client.post(url, {"break-reason": "  ", "break-hours": "2"})
        assert no_reason.status_code == 422
        assert "理由を入力してください" in no_reason.content.decode()
        too_long = client.post(url, {"break-reason": "障害対応", "break-hours": "48"})
        assert "8時間以内" in too_long.content.decode()
        assert "障害対応</textarea>" in too_long.content.decode()
        assert client.get(f"/s/{tsu.code}/").status_code == 404

        reason = "津市の管理者が不在の間に受付システムの障害対応が必要なため"
        with django_capture_on_commit_callbacks(execute=True):
            granted = client.post(url, {"break-reason": reason, "break-hours": "2"})
        assert granted.status_code == 302
        assert client.get(f"/s/{tsu.code}/").status_code == 200
        membership = prefecture_admin.memberships.get(organization=tsu)
        assert membership.role == Role.ADMIN and membership.expires_at is not None

        # The municipality's admins are told who, why and until when.
        assert mail.outbox[0].to == [tsu_admin.email]
        assert reason in mail.outbox[0].body and prefecture_admin.username in mail.outbox[0].body
        for organization in (tsu, prefecture):
            event = AuditEvent.objects.get(
                action="tenancy.break_glass.granted", organization=organization
            )
            assert reason in event.summary
        # Listed as temporary, and not counted as the municipality's own admin.
        assert "緊急アクセス" in login(tsu_admin).get(f"/s/{tsu.code}/members/").content.decode()

        # While it lasts it cannot be turned into a lasting membership.
        invite = client.post(
            f"/s/{tsu.code}/members/new/",
            {"username": "friend", "email": "friend@example.jp", "role": Role.ADMIN},
        )
        assert "緊急アクセス中" in invite.content.decode()
        assert not Invitation.objects.exists()

        Membership.objects.filter(pk=membership.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        assert client.get(f"/s/{tsu.code}/").status_code == 404

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
