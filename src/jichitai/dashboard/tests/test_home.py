import re

import pytest
from django.urls import URLResolver, get_resolver

from jichitai.jobs.models import Job
from jichitai.tenancy.models import Role
from jichitai.tenancy.tests.factories import MembershipFactory


@pytest.mark.django_db
def test_a_single_membership_goes_straight_to_its_home(tsu, tsu_clerk, login):
    response = login(tsu_clerk).get("/s/")
    assert response.status_code == 302
    assert response["Location"] == f"/s/{tsu.code}/"


@pytest.mark.django_db
def test_several_memberships_offer_a_choice(tsu, ise, tsu_clerk, login):
    MembershipFactory(user=tsu_clerk, organization=ise, role=Role.VIEWER)
    page = login(tsu_clerk).get("/s/").content.decode()
    assert "津市" in page and "伊勢市" in page


@pytest.mark.django_db
def test_the_home_shows_only_cards_with_something_to_show(tsu, tsu_clerk, login):
    client = login(tsu_clerk)
    page = client.get(f"/s/{tsu.code}/").content.decode()
    assert "団体の概要" in page
    assert "処理中のバックグラウンド処理" not in page  # nothing running
    assert "最近の操作" not in page  # above a clerk's role

    Job.objects.create(kind="x", title="OCR 一括読取", organization=tsu, status="running")
    page = client.get(f"/s/{tsu.code}/").content.decode()
    assert "処理中のバックグラウンド処理" in page and "OCR 一括読取" in page
    english = client.get(f"/s/{tsu.code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Procedures</h2>" in english  # the card of several, named so


def _menu(page: str) -> str:
    return re.search(r'<nav class="staff-nav".*?</nav>', page, re.S).group(0)


@pytest.mark.django_db
def test_navigation_follows_the_role(tsu, tsu_clerk, tsu_admin, login):
    clerk_page = login(tsu_clerk).get(f"/s/{tsu.code}/administration/").content.decode()
    admin_page = login(tsu_admin).get(f"/s/{tsu.code}/administration/").content.decode()
    assert "監査ログ" not in clerk_page and "監査ログ" in admin_page
    assert "市町の管理" not in admin_page  # a municipality manages no municipalities


@pytest.mark.django_db
def test_the_settings_of_the_organization_gather_under_one_menu_entry(
    prefecture, prefecture_admin, login
):
    """The menu keeps to the daily work and fits one row on a desktop; the organization's
    settings and records are one entry away, each with a line on what it is for."""
    client = login(prefecture_admin)
    menu = _menu(client.get(f"/s/{prefecture.code}/").content.decode())
    for setting in (
        "団体・所属",
        "職員",
        "市町の管理",
        "監査ログ",
        "電子署名の信頼設定",
        "APIトークン",
    ):
        assert f">{setting}</a>" not in menu
    assert f'<a href="/s/{prefecture.code}/administration/">管理</a>' in menu

    hub = client.get(f"/s/{prefecture.code}/administration/").content.decode()
    assert "<h1>管理</h1>" in hub
    for setting, path in (
        ("団体・所属", "organization/"),
        ("職員", "members/"),
        ("市町の管理", "municipalities/"),
        ("監査ログ", "audit/"),
        ("電子署名の信頼設定", "signatures/"),
        ("APIトークン", "api-tokens/"),
        ("処理状況", "jobs/"),
    ):
        assert f'<a href="/s/{prefecture.code}/{path}">{setting}</a>' in hub
    assert "失効リスト" in hub  # what the trust settings are for, not only their name


@pytest.mark.django_db
def test_pages_are_accessible_by_structure(tsu, tsu_clerk, login):
    page = login(tsu_clerk).get(f"/s/{tsu.code}/").content.decode()
    assert 'class="skip-link" href="#main"' in page
    assert '<main id="main"' in page
    assert 'aria-current="page"' in page
    assert '<label for="language-select">' in page


def _staff_paths_without_ids(code: str):
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    for route in sorted(set(walk(get_resolver().url_patterns))):
        if route.startswith("s/<str:org_code>/") and route.count("<") == 1:
            yield "/" + route.replace("<str:org_code>", code)


@pytest.mark.django_db
def test_every_staff_page_marks_the_menu_entry_it_is_reached_from(
    prefecture, prefecture_admin, login
):
    """A clerk on 所属, 閉庁日 or 公印 sees where they are in the menu: each page is under the
    entry it is reached from (団体・所属 under 管理, the inbox's delays, the procedures'
    documents), and ホーム is marked on the home alone."""
    client = login(prefecture_admin)
    home = f"/s/{prefecture.code}/"
    checked = 0
    for path in _staff_paths_without_ids(prefecture.code):
        response = client.get(path)
        if response.status_code != 200 or b'class="staff-nav"' not in response.content:
            continue
        checked += 1
        current = re.findall(
            r'<a href="([^"]+)" aria-current="page">', _menu(response.content.decode())
        )
        assert len(current) == 1, (path, current)
        assert (current == [home]) == (path == home), (path, current)
    assert checked > 30


@pytest.mark.django_db
def test_only_the_menu_entry_of_the_page_is_marked_current(tsu, tsu_clerk, login):
    client = login(tsu_clerk)

    def current_entries(path):
        menu = _menu(client.get(path).content.decode())
        return re.findall(r'<a href="([^"]+)" aria-current="page">', menu)

    assert current_entries(f"/s/{tsu.code}/inbox/") == [f"/s/{tsu.code}/inbox/"]
    assert current_entries(f"/s/{tsu.code}/") == [f"/s/{tsu.code}/"]
    # A setting's page is reached through 管理, which stays marked while it is open.
    administration = f"/s/{tsu.code}/administration/"
    assert current_entries(administration) == [administration]
    assert current_entries(f"/s/{tsu.code}/organization/") == [administration]
    assert current_entries(f"/s/{tsu.code}/jobs/") == [administration]


@pytest.mark.django_db
def test_the_home_says_why_a_clerks_inbox_is_empty(tsu, make_member, login):
    from jichitai.tenancy.tests.factories import DivisionFactory

    clerk = make_member(tsu, Role.CLERK, division=DivisionFactory(organization=tsu, name="市民課"))
    page = login(clerk).get(f"/s/{tsu.code}/").content.decode()
    assert "所属(市民課)が担当する手続はまだありません" in page


@pytest.mark.django_db
def test_recent_activity_names_each_action_as_the_audit_log_does(tsu, tsu_admin, login):
    from jichitai.audit import services as audit

    audit.record(action="procedures.procedure.published", organization=tsu)
    audit.record(action="procedures.procedure.created", organization=tsu, summary="転入届")
    page = login(tsu_admin).get(f"/s/{tsu.code}/").content.decode()
    card = page[page.index("最近の操作") :]
    assert "手続の公開" in card and "手続の作成: 転入届" in card
    assert "procedures.procedure" not in card


@pytest.mark.django_db
def test_the_home_names_the_persons_role_and_division_with_the_pages_punctuation(
    tsu, tsu_clerk, login
):
    client = login(tsu_clerk)
    division = tsu_clerk.memberships.get().division.name
    name = tsu_clerk.display_name
    japanese = client.get(f"/s/{tsu.code}/").content.decode()
    english = client.get(f"/s/{tsu.code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"{name}(担当職員・{division})" in japanese
    assert f"{name} (Clerk, {division})" in english


@pytest.mark.django_db
def test_the_choice_of_government_names_each_role_with_the_pages_punctuation(
    tsu, ise, tsu_clerk, login
):
    MembershipFactory(user=tsu_clerk, organization=ise, role=Role.VIEWER)
    english = login(tsu_clerk).get("/s/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "</a> (Viewer)</li>" in english and "（" not in english
