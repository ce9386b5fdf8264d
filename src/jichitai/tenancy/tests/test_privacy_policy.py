"""Each organization's 個人情報の取扱い: written by its admin, public at /o/<code>/privacy/, and
linked from the consent on every form (see procedures' tests for the forms)."""

import pytest
from django.test import Client

from jichitai.audit.models import AuditEvent

POLICY = "1. 利用目的\n申請の審査と連絡に使います。\n\n2. 提供\n法令に基づく場合を除き、第三者に提供しません。"


@pytest.mark.django_db
class TestPrivacyPolicy:
    def test_the_admin_writes_it_and_residents_read_it(self, tsu, tsu_admin, login):
        response = login(tsu_admin).post(
            f"/s/{tsu.code}/organization/privacy/", {"privacy_policy": POLICY}
        )
        assert response.status_code == 302
        page = Client().get(f"/o/{tsu.code}/privacy/").content.decode()
        assert "申請の審査と連絡に使います。" in page
        assert "<br>" in page, "line breaks are kept"
        assert "まだこのサイトに掲載していません" not in page
        event = AuditEvent.objects.get(action="tenancy.privacy_policy.updated")
        assert event.changes["privacy_policy"] == ["", POLICY]

    def test_without_a_policy_the_page_says_so(self, tsu):
        response = Client().get(f"/o/{tsu.code}/privacy/")
        assert response.status_code == 200
        assert (
            "津市は、個人情報の取扱いをまだこのサイトに掲載していません"
            in response.content.decode()
        )

    def test_markup_in_the_text_is_shown_as_text(self, tsu, tsu_admin, login):
        login(tsu_admin).post(
            f"/s/{tsu.code}/organization/privacy/",
            {"privacy_policy": "<script>alert(1)</script>"},
        )
        page = Client().get(f"/o/{tsu.code}/privacy/").content.decode()
        assert "<script>alert(1)" not in page and "&lt;script&gt;" in page

    def test_each_organization_has_its_own(self, tsu, ise, tsu_admin, login):
        login(tsu_admin).post(f"/s/{tsu.code}/organization/privacy/", {"privacy_policy": POLICY})
        assert "申請の審査" not in Client().get(f"/o/{ise.code}/privacy/").content.decode()

    def test_only_admins_edit_it(self, tsu, ise, tsu_clerk, ise_admin, login):
        assert login(tsu_clerk).get(f"/s/{tsu.code}/organization/privacy/").status_code == 403
        assert login(ise_admin).post(
            f"/s/{tsu.code}/organization/privacy/", {"privacy_policy": "x"}
        ).status_code in (403, 404)
        tsu.refresh_from_db()
        assert tsu.privacy_policy == ""

    def test_the_organization_page_links_to_the_editor_and_the_public_page(
        self, tsu, tsu_admin, login
    ):
        page = login(tsu_admin).get(f"/s/{tsu.code}/organization/").content.decode()
        assert f"/s/{tsu.code}/organization/privacy/" in page
        assert f"/o/{tsu.code}/privacy/" in page

    def test_unknown_organizations_have_no_page(self, db):
        assert Client().get("/o/999999/privacy/").status_code == 404


@pytest.mark.django_db
def test_the_organizations_public_page_links_to_it(tsu):
    page = Client().get(f"/o/{tsu.code}/").content.decode()
    assert f'href="/o/{tsu.code}/privacy/"' in page
