"""Every page without object arguments (staff list pages, the public pages) requested with hostile
query values: no server error. The URL conf is walked, so pages added later are covered; a value a
page cannot use is the sender's mistake (400 or the page ignoring it), never a 5xx."""

import pytest

from jichitai.tenancy.middleware import ORGANIZATION_KWARG
from jichitai.tenancy.tests.test_isolation import all_routes, is_public

# The names views read from query strings, and what a hostile sender puts in them.
NAMES = (
    "year",
    "fiscal_year",
    "page",
    "status",
    "format",
    "download",
    "q",
    "from",
    "sort",
    "procedure",
    "division",
    "kind",
    "organization",
    "groups",
    "tags",
    "res_format",
    "license_id",
    "selected",
    "received_from",
    "received_to",
    "next",
)
VALUES = (
    "abc",
    "-1",
    "0",
    "1e400",
    "inf",
    "NaN",
    "9" * 40,
    "１２",
    "\x00",
    "a" * 5000,
    "2024-13-45",
    "' OR 1=1 --",
    "%",
)
REPEATS = 200


def pages(*, staff: bool) -> list:
    """Staff routes that take only the organization; public routes that take nothing more."""
    routes = []
    for route in all_routes():
        if route.template.startswith("api/"):
            continue
        if route.template.startswith("healthz"):
            continue  # probes read no parameters; their 503 is the answer, not a failure
        arguments = set(route.arguments)
        if staff:
            wanted = not is_public(route.callback) and arguments == {ORGANIZATION_KWARG}
        else:
            wanted = is_public(route.callback) and arguments <= {ORGANIZATION_KWARG}
        if wanted:
            routes.append(route)
    return routes


def hostile_queries():
    for value in VALUES:
        yield dict.fromkeys(NAMES, value)
    yield {name: [str(n) for n in range(REPEATS)] for name in NAMES}


def assert_no_server_error(client, path: str) -> int:
    requests = 0
    for query in hostile_queries():
        response = client.get(path, query)
        shown = {name: str(value)[:40] for name, value in query.items()}
        assert response.status_code < 500, f"GET {path} {shown} answered {response.status_code}"
        requests += 1
    return requests


@pytest.mark.django_db
def test_staff_list_pages_never_answer_hostile_query_values_with_a_server_error(
    tsu, tsu_admin, prefecture_admin, prefecture, login
):
    routes = pages(staff=True)
    templates = {route.template for route in routes}
    assert "s/<str:org_code>/payments/" in templates
    assert "s/<str:org_code>/automation/ledger/" in templates
    assert "s/<str:org_code>/inbox/" in templates

    for organization, client in ((tsu, login(tsu_admin)), (prefecture, login(prefecture_admin))):
        for route in routes:
            assert_no_server_error(client, route.path({ORGANIZATION_KWARG: organization.code}))


@pytest.mark.django_db
def test_public_pages_never_answer_hostile_query_values_with_a_server_error(client, tsu):
    routes = pages(staff=False)
    templates = {route.template for route in routes}
    assert "opendata/" in templates
    assert "o/<str:org_code>/procedures/" in templates

    for route in routes:
        assert_no_server_error(client, route.path({ORGANIZATION_KWARG: tsu.code}))
