"""Where reads live: pages ask selectors, and only ``tenancy.selectors`` filters by organization.

Checked on the source of every app, so that a page or a module that slips back into its own
queries fails here instead of in a review."""

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[2]
APPS = sorted(path.name for path in SOURCE.iterdir() if (path / "apps.py").exists())
PAGE_MODULES = [
    "views.py",
    "tenant_views.py",
    "public_views.py",
    "api.py",
    "cards.py",
    "registrations.py",
]
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
    "values_list",
}
# Also a dict's method: a queryset's only when it names fields.
QUERYSET_METHODS_WITH_FIELDS = {"values"}


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
            or (node.func.attr in QUERYSET_METHODS_WITH_FIELDS and (node.args or node.keywords))
            or (isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "objects")
        )
    ]
    assert queries == [], f"queries outside selectors: {queries}"


# An upsert keyed by organization is a write, at home in services and in the demo's loaders.
UPSERTS = {"get_or_create", "update_or_create"}


def _writes_by_design(path) -> bool:
    return "services" in path.parts or path.name == "services.py" or path.parts[-2] == "demo"


def test_only_the_gate_filters_by_organization():
    by_hand = [
        _where(path, node)
        for path in _modules(None)
        if path != THE_GATE
        for node in _calls(path)
        if isinstance(node.func, ast.Attribute)
        and (
            node.func.attr in {"filter", "exclude", "get"}
            or (node.func.attr in UPSERTS and not _writes_by_design(path))
        )
        and any(keyword.arg in {"organization", "organization_id"} for keyword in node.keywords)
    ]
    assert by_hand == [], f"organization filtered by hand: {by_hand}"
