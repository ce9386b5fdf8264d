"""Where reads live: pages ask selectors, and only ``tenancy.selectors`` filters by organization.

Checked on the source of the apps that already follow the rule, so that a page or a service that
slips back into its own queries fails here instead of in a review."""

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[2]
APPS = ["accounts", "audit", "dashboard", "jobs", "pdca", "portal", "tenancy"]
PAGE_MODULES = ["views.py", "tenant_views.py", "public_views.py", "cards.py", "registrations.py"]
THE_GATE = SOURCE / "tenancy" / "selectors.py"

# Calls that only a queryset (or a model manager) answers; a page that needs one needs a selector.
QUERYSET_METHODS = {
    "aggregate",
    "annotate",
    "exclude",
    "exists",
    "filter",
    "only",
    "defer",
    "order_by",
    "prefetch_related",
    "select_related",
    "values",
    "values_list",
}


def _modules(names):
    for app in APPS:
        for path in sorted((SOURCE / app).rglob("*.py")):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            if names is None or path.name in names:
                yield path


def _calls(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            yield node


def _where(path, node) -> str:
    return f"{path.relative_to(SOURCE)}:{node.lineno}"


@pytest.mark.parametrize(
    "path", list(_modules(PAGE_MODULES)), ids=lambda path: str(path.relative_to(SOURCE))
)
def test_pages_read_only_through_selectors(path):
    queries = [
        _where(path, node)
        for node in _calls(path)
        if isinstance(node.func, ast.Attribute)
        and (
            node.func.attr in QUERYSET_METHODS
            or (isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "objects")
        )
    ]
    assert queries == [], f"queries outside selectors: {queries}"


def test_only_the_gate_filters_by_organization():
    by_hand = [
        _where(path, node)
        for path in _modules(None)
        if path != THE_GATE
        for node in _calls(path)
        if isinstance(node.func, ast.Attribute)
        and node.func.attr in {"filter", "exclude", "get", "get_or_create", "update_or_create"}
        and any(keyword.arg in {"organization", "organization_id"} for keyword in node.keywords)
    ]
    assert by_hand == [], f"organization filtered by hand: {by_hand}"
