"""Staff log in with a password and a TOTP code; repeated failures lock the account out; demo
accounts skip the second factor only where the settings allow it."""

import re
import time

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from jichitai.accounts import services
from jichitai.audit.models import AuditEvent
from jichitai.tenancy.models import Role
from jichitai.tenancy.tests.factories import MembershipFactory, UserFactory

PASSWORD = "correct-horse-battery"


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def staff(tsu):
    user = UserFactory(username="tsu-staff")
    MembershipFactory(user=user, organization=tsu, role=Role.CLERK)
    return user


def password_step(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


@pytest.mark.django_db
class TestSecondFactor:
    def test_first_login_enrols_an_authenticator_then_reaches_the_dashboard(
        self, staff, tsu, tsu_admin
    ):
        code = services.issue_enrolment_code(actor=tsu_admin, membership=staff.memberships.get())
        client = Client()
        response = password_step(client, "tsu-staff")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:otp_setup"))

        page = client.get(response["Location"])
        assert "QRコード" in page.content.decode()
        device = TOTPDevice.objects.get(user=staff, confirmed=False)

        # Staff pages stay closed until the code is confirmed.
        assert client.get(f"/s/{tsu.code}/").status_code == 302

        setup = reverse("accounts:otp_setup")
        wrong = client.post(setup, {"enrolment_code": code, "token": "000000"})
        assert "確認コードが正しくありません" in wrong.content.decode()
        # django-otp makes the next try wait a second after a wrong code.
        throttled = client.post(setup, {"enrolment_code": code, "token": current_code(device)})
        assert "少し待ってから" in throttled.content.decode()
        time.sleep(1.1)

        done = client.post(setup, {"enrolment_code": code, "token": current_code(device)})
        assert done.status_code == 302
        device.refresh_from_db()
        assert device.confirmed
        assert client.get(f"/s/{tsu.code}/").status_code == 200

    def test_later_logins_ask_for_the_code(self, staff, tsu):
        device = TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
        client = Client()
        response = password_step(client, "tsu-staff")
        assert response["Location"].startswith(reverse("accounts:otp_verify"))
        assert client.get(f"/s/{tsu.code}/").status_code == 302

        bad = client.post(reverse("accounts:otp_verify"), {"token": "12345"})
        assert "確認コードは6桁の数字です" in bad.content.decode()

        ok = client.post(reverse("accounts:otp_verify"), {"token": current_code(device)})
        assert ok.status_code == 302
        assert client.get(f"/s/{tsu.code}/").status_code == 200
        assert AuditEvent.objects.filter(action="accounts.login", actor=staff).exists()

    def test_full_width_digits_are_accepted_as_the_code(self, staff):
        device = TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
        client = Client()
        password_step(client, "tsu-staff")
        code = current_code(device).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        assert client.post(reverse("accounts:otp_verify"), {"token": code}).status_code == 302

    def test_demo_accounts_skip_the_second_factor_only_when_allowed(self, staff, tsu, settings):
        staff.is_demo = True
        staff.save()
        settings.JICHITAI_DEMO_LOGIN_WITHOUT_OTP = False
        client = Client()
        assert password_step(client, "tsu-staff")["Location"].startswith(
            reverse("accounts:otp_setup")
        )

        settings.JICHITAI_DEMO_LOGIN_WITHOUT_OTP = True
        client = Client()
        response = password_step(client, "tsu-staff")
        assert response["Location"] == reverse("dashboard:home")
        assert client.get(f"/s/{tsu.code}/").status_code == 200

    def test_non_demo_accounts_never_skip_it(self, staff, tsu, settings):
        settings.JICHITAI_DEMO_LOGIN_WITHOUT_OTP = True
        client = Client()
        password_step(client, "tsu-staff")
        assert client.get(f"/s/{tsu.code}/").status_code == 302


@pytest.mark.django_db
class TestEnrolmentCode:
    """The password alone (a leaked one, or the demo's published one) does not let its holder enrol
    their own authenticator: a first device needs a one-time code that an administrator issues."""

    def test_a_first_authenticator_needs_a_code_issued_by_an_admin(
        self, staff, tsu, tsu_admin, login
    ):
        staff.is_demo = True
        staff.save()
        client = Client()
        password_step(client, "tsu-staff")
        setup = reverse("accounts:otp_setup")
        assert "登録コード" in client.get(setup).content.decode()
        device = TOTPDevice.objects.get(user=staff, confirmed=False)

        missing = client.post(setup, {"token": current_code(device)})
        assert "登録コードを入力してください" in missing.content.decode()
        wrong = client.post(
            setup, {"enrolment_code": "ABCD-EFGH-JKLM", "token": current_code(device)}
        )
        assert "登録コードが正しくないか、有効期限が切れています" in wrong.content.decode()
        device.refresh_from_db()
        assert not device.confirmed
        assert client.get(f"/s/{tsu.code}/").status_code == 302

        membership = staff.memberships.get()
        issued = login(tsu_admin).post(f"/s/{tsu.code}/members/{membership.pk}/enrolment-code/")
        code = re.search(r'id="enrolment-code">([A-Z0-9-]+)<', issued.content.decode()).group(1)
        assert AuditEvent.objects.filter(action="accounts.enrolment_code.issued").exists()

        # Typed in lower case, with spaces, in full width: still the code.
        typed = (
            code.lower().replace("-", " ").translate(str.maketrans("23456789", "２３４５６７８９"))
        )
        done = client.post(setup, {"enrolment_code": typed, "token": current_code(device)})
        assert done.status_code == 302
        device.refresh_from_db()
        assert device.confirmed
        assert client.get(f"/s/{tsu.code}/").status_code == 200

        # Used once: after losing the phone, the old code no longer enrols a new one.
        device.delete()
        client = Client()
        password_step(client, "tsu-staff")
        client.get(setup)
        new_device = TOTPDevice.objects.get(user=staff, confirmed=False)
        again = client.post(setup, {"enrolment_code": code, "token": current_code(new_device)})
        assert "登録コードが正しくないか、有効期限が切れています" in again.content.decode()

    def test_only_admins_of_an_organization_of_the_person_issue_codes(
        self, staff, tsu, ise, tsu_clerk, ise_admin, login
    ):
        membership = staff.memberships.get()
        url = f"/s/{tsu.code}/members/{membership.pk}/enrolment-code/"
        assert login(tsu_clerk).post(url).status_code == 403
        assert login(ise_admin).post(url).status_code == 404


@pytest.mark.django_db
class TestPasswordStep:
    def test_wrong_password_gets_a_japanese_message_and_keeps_the_login_id(self, staff):
        response = password_step(Client(), "tsu-staff", "wrong-password")
        body = response.content.decode()
        assert response.status_code == 200
        assert "ログインIDまたはパスワードが正しくありません" in body
        assert 'value="tsu-staff"' in body

    def test_repeated_failures_lock_the_account(self, staff, settings):
        client = Client()
        for _ in range(settings.AXES_FAILURE_LIMIT):
            password_step(client, "tsu-staff", "wrong-password")
        locked = password_step(client, "tsu-staff", PASSWORD)
        assert locked.status_code == 429
        assert "ログインを一時停止しています" in locked.content.decode()

    def test_inactive_accounts_cannot_log_in(self, staff):
        staff.is_active = False
        staff.save()
        response = password_step(Client(), "tsu-staff")
        assert response.status_code == 200
        assert "_auth_user_id" not in response.client.session


@pytest.mark.django_db
def test_password_change_and_logout(staff, tsu, login):
    client = login(staff)
    bad = client.post(
        reverse("accounts:password_change"),
        {"old_password": "nope", "new_password1": "x", "new_password2": "y"},
    )
    assert bad.status_code == 200
    assert "errorlist" in bad.content.decode()

    new_password = "a-much-longer-passphrase-2026"
    ok = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert ok.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(new_password)
    assert AuditEvent.objects.filter(action="accounts.password_changed", actor=staff).exists()
    # The session survives the change (Django rotates its hash) …
    assert client.get(f"/s/{tsu.code}/").status_code == 200
    # … and logging out ends it.
    client.post(reverse("accounts:logout"))
    assert client.get(f"/s/{tsu.code}/").status_code == 302


@pytest.mark.django_db
def test_open_redirects_are_refused_after_verification(staff):
    device = TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    client = Client()
    password_step(client, "tsu-staff")
    response = client.post(
        reverse("accounts:otp_verify") + "?next=https://evil.example/",
        {"token": current_code(device)},
    )
    assert response["Location"] == reverse("dashboard:home")


@pytest.mark.django_db
class TestEnrolmentCodeFromTheServer:
    """The first administrator of a new installation has nobody to issue their code: the operator
    issues it on the server."""

    def test_the_operator_issues_a_code_for_a_member(self, staff, tsu, capsys):
        call_command("enrolment_code", "tsu-staff", "--organization", tsu.code)
        code = capsys.readouterr().out.strip().splitlines()[-1]
        assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
        client = Client()
        password_step(client, "tsu-staff")
        client.get(reverse("accounts:otp_setup"))
        device = TOTPDevice.objects.get(user=staff, confirmed=False)
        done = client.post(
            reverse("accounts:otp_setup"), {"enrolment_code": code, "token": current_code(device)}
        )
        assert done.status_code == 302
        assert AuditEvent.objects.filter(
            action="accounts.enrolment_code.issued", actor__isnull=True
        ).exists()

    def test_only_for_a_member_of_that_organization(self, staff, ise):
        with pytest.raises(CommandError, match="所属"):
            call_command("enrolment_code", "tsu-staff", "--organization", ise.code)
