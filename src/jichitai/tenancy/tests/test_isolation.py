"""Tenant isolation: a member of 津市 gets 404 for every object of 伊勢市, on every URL the
application has. The URL conf is walked, so URLs added later are covered without editing this
file; an argument without a registered object generator fails the walk."""

import re
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.module_loading import autodiscover_modules

from jichitai.tenancy.middleware import ORGANIZATION_KWARG
from jichitai.tenancy.models import ROLE_RANK, Role
from jichitai.tenancy.tests.isolation import object_kwargs

# 405 means the view refused the method before looking anything up, which reveals nothing; so do
# the API's 400/422 for a body that is not there (ninja validates the body before the view runs).
HIDDEN = {404, 405}
HIDDEN_API = {*HIDDEN, 400, 422}
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass
class Route:
    template: str
    name: str
    callback: object

    @property
    def arguments(self) -> list[str]:
        return [match["name"] for match in PARAMETER.finditer(self.template)]

    def path(self, values: dict) -> str:
        return "/" + PARAMETER.sub(lambda match: str(values[match["name"]]), self.template)


def walk(patterns, prefix: str = "") -> list[Route]:
    routes = []
    for entry in patterns:
        route = str(entry.pattern)
        assert not route.startswith("^"), (
            f"{prefix}{route}: use path() rather than re_path() so the isolation walk can fill "
            "in its arguments"
        )
        if isinstance(entry, URLResolver):
            routes += walk(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            routes.append(Route(prefix + route, entry.name or "", entry.callback))
    return routes


def all_routes() -> list[Route]:
    return walk(get_resolver().url_patterns)


def is_public(callback) -> bool:
    return getattr(callback, "public_view", False) or getattr(
        getattr(callback, "view_class", None), "public_view", False
    )


def guarded_routes() -> list[Route]:
    return [r for r in all_routes() if r.arguments and not is_public(r.callback)]


def test_the_walk_sees_the_staff_urls():
    templates = {route.template for route in guarded_routes()}
    assert "s/<str:org_code>/organization/divisions/<int:division_id>/" in templates
    assert "s/<str:org_code>/audit/<int:event_id>/" in templates


@pytest.fixture
def isolation_generators():
    autodiscover_modules("tests.isolation")
    return object_kwargs


def _values_for(route: Route, organization, generators) -> dict:
    values = {}
    for name in route.arguments:
        if name == ORGANIZATION_KWARG:
            values[name] = organization.code
            continue
        assert name in generators, (
            f"URL {route.template!r} takes {name!r}: register an object generator for it in the "
            "app's tests/isolation.py"
        )
        values[name] = generators.get(name)(organization)
    return values


def _minimum_role(callback) -> str:
    return getattr(callback, "required_role", Role.VIEWER)


def _token_client(user, role):
    from django.test import Client

    from jichitai.accounts import services

    raw = services.create_api_token(
        actor=None, membership=user.memberships.get(), name="walk", role=role
    )[1]
    return Client(HTTP_AUTHORIZATION=raw)


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_tsu_staff_get_404_for_every_ise_object_on_every_url(
    method, tsu, ise, tsu_clerk, tsu_admin, login, isolation_generators
):
    """Pages are requested with 津市 staff sessions, API endpoints with 津市 API tokens."""
    checked = 0
    sessions = (login(tsu_clerk), login(tsu_admin))
    tokens = (_token_client(tsu_clerk, Role.CLERK), _token_client(tsu_admin, Role.ADMIN))
    for route in guarded_routes():
        is_api = route.template.startswith("api/")
        clerk, admin = tokens if is_api else sessions
        hidden = HIDDEN_API if is_api else HIDDEN
        ise_values = _values_for(route, ise, isolation_generators)
        # 1. The other organization's own URL: 404 for anyone who is not its member.
        for client in (clerk, admin):
            response = getattr(client, method)(route.path(ise_values))
            assert response.status_code in hidden, (
                f"{method.upper()} {route.path(ise_values)} answered {response.status_code}"
            )
        # 2. One's own organization in the URL, the other organization's object in it.
        if any(name != ORGANIZATION_KWARG for name in route.arguments):
            mixed = {**ise_values, ORGANIZATION_KWARG: tsu.code}
            response = getattr(admin, method)(route.path(mixed))
            assert response.status_code in hidden, (
                f"{method.upper()} {route.path(mixed)} as 津市 admin answered "
                f"{response.status_code}"
            )
            clerk_may_use = ROLE_RANK[Role.CLERK] >= ROLE_RANK[Role(_minimum_role(route.callback))]
            expected = hidden if clerk_may_use else {403, 405}
            response = getattr(clerk, method)(route.path(mixed))
            assert response.status_code in expected, (
                f"{method.upper()} {route.path(mixed)} as 津市 clerk answered "
                f"{response.status_code}, expected {expected}"
            )
        checked += 1
    assert checked >= 10


@pytest.mark.django_db
def test_a_role_refusal_does_not_depend_on_whose_object_it_is(tsu, tsu_clerk, login):
    """403 for a view above the clerk's role comes before any lookup: it is the same for an object
    that exists in 津市 and for one that does not exist at all, so it reveals nothing."""
    from jichitai.tenancy.tests.factories import DivisionFactory

    client = login(tsu_clerk)
    own = DivisionFactory(organization=tsu)
    assert client.get(f"/s/{tsu.code}/organization/divisions/{own.pk}/").status_code == 403
    assert client.get(f"/s/{tsu.code}/organization/divisions/999999/").status_code == 403


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login_for_staff_urls(tsu, isolation_generators):
    from django.test import Client

    client = Client()
    for route in guarded_routes():
        if ORGANIZATION_KWARG not in route.arguments:
            continue
        response = client.get(route.path(_values_for(route, tsu, isolation_generators)))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], (
            route.template
        )
