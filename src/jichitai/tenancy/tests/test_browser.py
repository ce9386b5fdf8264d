"""An invited person in real Chromium: the invitation page works and passes axe-core."""

import re

import pytest
from django.core import mail

from jichitai.tenancy import services
from jichitai.tenancy.models import Membership, Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_person_accepts_an_invitation_in_the_browser(
    page, accessible, live_server, settings, tsu, tsu_admin
):
    settings.JICHITAI_BASE_URL = live_server.url
    services.invite_member(
        actor=tsu_admin,
        organization=tsu,
        username="tsu-newcomer",
        email="newcomer@city.tsu.example.jp",
        full_name="新人 太郎",
        role=Role.CLERK,
    )
    link = re.search(r"(http://\S+/accounts/invitations/\S+/)", mail.outbox[0].body).group(1)
    page.goto(link)
    page.get_by_role("heading", name="職員としての招待").wait_for()
    accessible(page)
    page.get_by_label("新しいパスワード(確認用)").fill("a-long-enough-passphrase-2026")
    page.locator('input[name="new_password1"]').fill("a-long-enough-passphrase-2026")
    page.get_by_role("button", name="パスワードを設定して承諾する").click()
    page.get_by_text("アカウントを作成しました").wait_for()
    assert Membership.objects.filter(user__username="tsu-newcomer", organization=tsu).exists()
