"""Fixtures shared by every app's tests: the prefecture and two municipalities, staff of each role,
and clients logged in with a verified second factor."""

import os
import threading

import pytest
from django.conf import settings
from django.test import Client
from django.test import client as test_client
from django_otp import DEVICE_ID_SESSION_KEY

from jichitai.core.handlers import PathDispatch
from jichitai.tenancy.models import Organization, Role
from jichitai.tenancy.tests.factories import (
    DivisionFactory,
    MembershipFactory,
    OrganizationFactory,
    TOTPDeviceFactory,
    UserFactory,
)


class DispatchingClientHandler(PathDispatch, test_client.ClientHandler):
    """The test client's handler, dispatching as the WSGI application does (``/api/`` through
    ``API_MIDDLEWARE``), so that every test of the API runs through the middleware it is served with."""


# ``Client`` (and pytest-django's ``client``) build their handler from this name.
test_client.ClientHandler = DispatchingClientHandler


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language: a request in English made by an earlier test
    leaves its language active in the thread (Django's LocaleMiddleware does not reset it)."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _empty_local_cache():
    """Each test starts with an empty in-process cache: rate-limit counters are kept there per
    client address, and every browser test logs in from 127.0.0.1, so counts left by earlier tests
    would refuse a later test's login. A shared cache (``CACHE_URL``) is left alone."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):
        caches["default"].clear()


@pytest.fixture(autouse=True)
def _forget_cached_form_versions():
    """Published form versions are cached per process by id; rolled-back test databases reuse ids."""
    from jichitai.procedures.selectors import form_version

    form_version.cache_clear()


@pytest.fixture(autouse=True)
def _forget_held_facet_matrices():
    """Facet matrices and labels are held per process by catalog version, and search key numbers
    by key; rolled-back test databases reuse versions and number keys again."""
    from jichitai.opendata import facet_labels, facet_matrix, search_index

    facet_matrix.forget()
    facet_labels.forget()
    search_index.forget_numbers()


@pytest.fixture
def prefecture(db):
    return OrganizationFactory(
        code="240001", name="三重県", name_kana="みえけん", kind=Organization.Kind.PREFECTURE
    )


@pytest.fixture
def tsu(prefecture):
    return OrganizationFactory(code="242012", name="津市", name_kana="つし", parent=prefecture)


@pytest.fixture
def ise(prefecture):
    return OrganizationFactory(code="242039", name="伊勢市", name_kana="いせし", parent=prefecture)


@pytest.fixture
def make_member(db):
    """``make_member(organization, role)`` → a user with an active membership and a TOTP device."""

    def make(organization, role=Role.CLERK, *, username=None, division=None):
        user = UserFactory(**({"username": username} if username else {}))
        TOTPDeviceFactory(user=user)
        return MembershipFactory(
            user=user, organization=organization, role=role, division=division
        ).user

    return make


def verified_client(user) -> Client:
    """A client logged in as ``user`` with the second factor verified, as after a real login."""
    client = Client()
    client.force_login(user)
    device = user.totpdevice_set.filter(confirmed=True).first() or TOTPDeviceFactory(user=user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def login():
    return verified_client


@pytest.fixture
def tsu_clerk(tsu, make_member):
    return make_member(
        tsu, Role.CLERK, username="tsu-clerk-test", division=DivisionFactory(organization=tsu)
    )


@pytest.fixture
def tsu_admin(tsu, make_member):
    return make_member(tsu, Role.ADMIN, username="tsu-admin-test")


@pytest.fixture
def ise_admin(ise, make_member):
    return make_member(ise, Role.ADMIN, username="ise-admin-test")


@pytest.fixture
def prefecture_admin(prefecture, make_member):
    return make_member(prefecture, Role.ADMIN, username="pref-admin-test")


# --- Real Chromium (Debian's /usr/bin/chromium) driven by Playwright -----------------------------

CHROMIUM = os.environ.get("JICHITAI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _request_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.endswith("(process_request_thread)")]


@pytest.fixture(scope="session")
def browser(live_server):
    # Playwright's sync API runs an event loop in this thread; the tests still use the ORM
    # between browser steps, which Django otherwise refuses inside a loop.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make system-packages`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    # The live server's threads serving Chromium's kept-alive connections end once it closes
    # them, each closing its database connection: that must happen before the live server
    # (which this fixture outlives) stops sharing the test database with them.
    for thread in _request_threads():
        thread.join(timeout=10)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="ja-JP", base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert not blocked, f"the page broke its Content Security Policy: {blocked}"


@pytest.fixture
def phone(browser, live_server):
    """Opens pages as a resident's phone shows them (360 px wide), with JavaScript on or off."""
    contexts = []

    def open_page(*, locale: str = "ja-JP", javascript: bool = True):
        context = browser.new_context(
            locale=locale,
            base_url=live_server.url,
            viewport={"width": 360, "height": 800},
            java_script_enabled=javascript,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def desk(browser, live_server):
    """Opens pages as a member of staff sees them at a desk (1280 px wide), logged in with the
    second factor verified, in the language their browser asks for; for tests of what comes
    after the login page, in any language."""
    contexts = []

    def open_page(user, *, locale: str = "ja-JP"):
        session = verified_client(user).cookies[settings.SESSION_COOKIE_NAME].value
        context = browser.new_context(
            locale=locale, base_url=live_server.url, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(15_000)
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


# The headings of a table's columns whose every cell is a figure (td.number) but which are not
# aligned with them (th.number): a heading left of right-aligned figures reads as the next column's.
MISALIGNED_NUMBER_HEADINGS = """() => [...document.querySelectorAll('table')].flatMap(table => {
  const headings = [...table.querySelectorAll('thead tr:last-child th')];
  const rows = [...table.querySelectorAll('tbody tr')].filter(
    row => row.cells.length === headings.length);
  return headings.flatMap((heading, column) =>
    rows.length && rows.every(row => row.cells[column].classList.contains('number'))
    && !heading.classList.contains('number') ? [heading.textContent.trim()] : []);
})"""

# Lists laid out in a row (flex or grid) whose items still draw bullets: each bullet lands on the
# end of the previous item's text ("効果台帳• 秘密情報").
ROW_LISTS_WITH_BULLETS = """() => [...document.querySelectorAll('ul, ol')].filter(list =>
  /flex|grid/.test(getComputedStyle(list).display)
  && [...list.children].some(item => getComputedStyle(item).display === 'list-item'
    && getComputedStyle(item).listStyleType !== 'none')
).map(list => list.textContent.trim().replace(/\\s+/g, ' ').slice(0, 60))"""

# The buttons and links of a table that lie beyond the right edge of its wrap: on a phone they are
# out of sight until the table is scrolled, and nothing says they are there.
CONTROLS_OFF_SCREEN = """() => [...document.querySelectorAll('.table-wrap')].flatMap(wrap => {
  const edge = wrap.getBoundingClientRect().right;
  return [...wrap.querySelectorAll('a, button')].filter(
    control => control.getBoundingClientRect().right > edge + 1
  ).map(control => control.textContent.trim());
})"""

# Badges of one word broken over two lines (「War / ning」): the page lets long words break
# anywhere, so a table squeezing its columns can split a badge that should read as one term.
BROKEN_BADGES = """() => [...document.querySelectorAll('.badge')].filter(badge => {
  const text = badge.textContent.trim();
  const lineHeight = parseFloat(getComputedStyle(badge).lineHeight);
  return text && !/\\s/.test(text) && badge.getClientRects().length
    && badge.getBoundingClientRect().height > lineHeight * 1.5;
}).map(badge => badge.textContent.trim())"""


def assert_accessible(page) -> None:
    """axe-core (bundled with axe-playwright-python) finds no WCAG 2.2 A/AA violation, every
    column of figures has its heading aligned over them, no row of links is strewn with bullets
    and no one-word badge is broken in two."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    misaligned = page.evaluate(MISALIGNED_NUMBER_HEADINGS)
    assert misaligned == [], f"{page.url}: headings not over their figures: {misaligned}"
    bulleted = page.evaluate(ROW_LISTS_WITH_BULLETS)
    assert bulleted == [], f"{page.url}: bullets inside a row of items: {bulleted}"
    broken = page.evaluate(BROKEN_BADGES)
    assert broken == [], f"{page.url}: badges broken over two lines: {broken}"


@pytest.fixture
def accessible():
    return assert_accessible
