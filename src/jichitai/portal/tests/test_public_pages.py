import pytest
from django.test import Client

from jichitai.portal.registry import PublicSection, public_sections


@pytest.mark.django_db
def test_the_top_page_lists_the_prefecture_and_its_municipalities(tsu, ise):
    page = Client().get("/").content.decode()
    assert '<html lang="ja">' in page
    assert "三重県" in page and "津市" in page and "伊勢市" in page
    assert 'href="/o/242012/"' in page


@pytest.mark.django_db
def test_the_top_page_leads_to_what_residents_come_for(tsu):
    """A resident who lost the mail with the status link, or does not know which 市町 runs a
    procedure, starts from the top page: the finder, the status lookup, the list of one's
    applications and the open data catalog are one click away, each module adding its own."""
    page = Client().get("/").content.decode()
    for href, words in (
        ("/procedures/", "手続をさがす"),
        ("/status/", "手続の状況を確認する"),
        ("/my-applications/", "申請した手続の一覧"),
        ("/opendata/", "オープンデータ"),
    ):
        assert f'href="{href}"' in page and words in page, href


@pytest.mark.django_db
def test_an_organizations_public_page_shows_its_contact_details(tsu):
    tsu.address = "三重県津市西丸之内23番1号"
    tsu.phone = "059-229-2111"
    tsu.save()
    page = Client().get("/o/242012/").content.decode()
    assert "<h1>津市</h1>" in page
    assert "059-229-2111" in page


@pytest.mark.django_db
def test_unknown_and_inactive_organizations_are_not_found(tsu):
    assert Client().get("/o/999999/").status_code == 404
    tsu.is_active = False
    tsu.save()
    assert Client().get("/o/242012/").status_code == 404


@pytest.mark.django_db
def test_modules_add_sections_and_only_sections_with_content_show(tsu):
    public_sections.register(
        "test.news",
        PublicSection("お知らせ", "portal/organization.html", lambda request, org: None),
    )
    try:
        page = Client().get("/o/242012/").content.decode()
        assert "お知らせ" not in page
    finally:
        public_sections.unregister("test.news")


@pytest.mark.django_db
def test_pages_switch_to_english(tsu):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Staff login" in page


def test_healthz_reports_the_database(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    # The web processes stay in service without a worker; /healthz/worker is the worker's probe.
    assert response.json() == {"status": "ok", "database": "ok", "worker": "missing"}


@pytest.mark.django_db
def test_the_top_page_leads_signed_in_staff_to_their_pages_not_to_the_login(tsu, tsu_clerk, login):
    assert 'href="/accounts/login/">職員ログイン' in Client().get("/").content.decode()
    page = login(tsu_clerk).get("/").content.decode()
    assert 'href="/s/">職員のページへ' in page
    assert "職員ログイン" not in page
