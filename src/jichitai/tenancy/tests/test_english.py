"""Administrators who switch to English read the invitation and emergency-access pages in English."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from jichitai.tenancy.models import Role


def in_english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.django_db
def test_pending_invitations_read_in_english(
    tsu, tsu_admin, login, django_capture_on_commit_callbacks
):
    client = in_english(login(tsu_admin))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/s/{tsu.code}/members/new/",
            {
                "username": "tsu-newcomer",
                "full_name": "新人 太郎",
                "email": "newcomer@city.tsu.example.jp",
                "role": Role.CLERK,
            },
        )
    page = client.get(f"/s/{tsu.code}/members/").content.decode()
    assert "Invitations waiting to be accepted" in page
    assert "Cancel the invitation to tsu-newcomer" in page
    assert "招待中" not in page and "まで" not in page
    assert re.search(r"Invited \(until \d{4}-\d{2}-\d{2} \(R\d+\) \d{2}:\d{2}\)", page)
    japanese = login(tsu_admin).get(f"/s/{tsu.code}/members/").content.decode()
    assert re.search(r"招待中\(令和\d+年\d+月\d+日 \d{2}:\d{2}まで\)", japanese)

    base = re.escape(settings.JICHITAI_BASE_URL.rstrip("/"))
    link = re.search(base + r"(/accounts/invitations/\S+/)", mail.outbox[0].body).group(1)
    invitation = in_english(Client()).get(link).content.decode()
    assert "Invitation to join as staff" in invitation
    assert "has invited you to join as staff" in invitation
    assert "Set a password and accept" in invitation


@pytest.mark.django_db
def test_municipality_administration_reads_in_english(prefecture, tsu, prefecture_admin, login):
    client = in_english(login(prefecture_admin))
    page = client.get(f"/s/{prefecture.code}/municipalities/{tsu.code}/").content.decode()
    assert "Invite an administrator" in page
    assert "Start emergency access" in page
    assert "緊急アクセス" not in page

    no_reason = client.post(
        f"/s/{prefecture.code}/municipalities/{tsu.code}/break-glass/",
        {"break-reason": "", "break-hours": "2"},
    ).content.decode()
    assert "Please enter the reason for emergency access." in no_reason
    granted = client.post(
        f"/s/{prefecture.code}/municipalities/{tsu.code}/break-glass/",
        {"break-reason": "Disaster response", "break-hours": "2"},
        follow=True,
    ).content.decode()
    # The end of the access reads as every English page writes a time: 2026-12-05 (R8) 14:30.
    notice = re.search(r"You have emergency access to 津市 \(until [^<]*\)\.", granted)
    assert notice and re.search(r"until \d{4}-\d\d-\d\d \(R\d+\) \d\d:\d\d\)", notice.group(0))
