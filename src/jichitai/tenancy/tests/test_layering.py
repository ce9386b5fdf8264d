"""Where reads and writes live: pages ask selectors and services, and only ``tenancy.selectors``
filters by organization.

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
# A ``views/`` package holds an app's pages in several modules, as views.py would in one.
PAGE_PACKAGES = {"views", "public_views"}
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
# Without an argument, only a queryset (or a related manager) answers these: a list's and a
# string's count() take the item to count.
QUERYSET_METHODS_WITHOUT_ARGUMENTS = {"all", "count", "first", "last"}

# Calls that write rows (a model's or a queryset's); a page that needs one needs a service.
WRITE_METHODS = {
    "bulk_create",
    "bulk_update",
    "create",
    "delete",
    "get_or_create",
    "save",
    "update_or_create",
}
# Also a dict's method: a queryset's update takes the fields by keyword only.
WRITE_METHODS_WITH_FIELDS = {"update"}


def _is_page_module(path: Path) -> bool:
    return path.name in PAGE_MODULES or bool(
        PAGE_PACKAGES & set(path.relative_to(SOURCE).parts[:-1])
    )


def _modules(is_wanted=None):
    for app in APPS:
        for path in sorted((SOURCE / app).rglob("*.py")):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            if is_wanted is None or is_wanted(path):
                yield path


def _calls(source: str):
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            yield node


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _where(path, node) -> str:
    return f"{path.relative_to(SOURCE)}:{node.lineno}"


def _is_query(node: ast.Call) -> bool:
    if not isinstance(node.func, ast.Attribute):
        return False
    name, has_arguments = node.func.attr, bool(node.args or node.keywords)
    return (
        name in QUERYSET_METHODS
        or (name in QUERYSET_METHODS_WITH_FIELDS and has_arguments)
        or (name in QUERYSET_METHODS_WITHOUT_ARGUMENTS and not has_arguments)
        or (isinstance(node.func.value, ast.Attribute) and node.func.value.attr == "objects")
    )


def _is_write(node: ast.Call) -> bool:
    if not isinstance(node.func, ast.Attribute):
        return False
    name = node.func.attr
    return name in WRITE_METHODS or (
        name in WRITE_METHODS_WITH_FIELDS and bool(node.keywords) and not node.args
    )


PAGES = list(_modules(_is_page_module))


def test_the_page_checks_see_views_packages_and_recognise_queries_and_writes():
    # A check that saw no module, or recognised nothing, could never fail.
    seen = {str(path.relative_to(SOURCE)) for path in PAGES}
    assert {"procedures/views/inbox.py", "automation/views/editor.py", "ocr/views.py"} <= seen
    page = """
applications = selectors.applications_of(membership)
waiting = applications.count()
latest = procedure.versions.first()
everything = dataset.resources.all()
form.save()
Application.objects.create(procedure=procedure)
application.delete()
applications.update(status="closed")
context.update(extra)
letters = "しんせい".count("し")
"""
    assert [node.lineno for node in _calls(page) if _is_query(node)] == [3, 4, 5, 7]
    assert [node.lineno for node in _calls(page) if _is_write(node)] == [6, 7, 8, 9]


@pytest.mark.parametrize("path", PAGES, ids=lambda path: str(path.relative_to(SOURCE)))
def test_pages_read_only_through_selectors(path):
    queries = [_where(path, node) for node in _calls(_read(path)) if _is_query(node)]
    assert queries == [], f"queries outside selectors: {queries}"


@pytest.mark.parametrize("path", PAGES, ids=lambda path: str(path.relative_to(SOURCE)))
def test_pages_write_only_through_services(path):
    """A write belongs to a service, which audits it inside its own transaction."""
    writes = [_where(path, node) for node in _calls(_read(path)) if _is_write(node)]
    assert writes == [], f"writes outside services: {writes}"


# An upsert keyed by organization is a write, at home in services and in the demo's loaders.
UPSERTS = {"get_or_create", "update_or_create"}


def _writes_by_design(path) -> bool:
    return "services" in path.parts or path.name == "services.py" or path.parts[-2] == "demo"


def test_only_the_gate_filters_by_organization():
    by_hand = [
        _where(path, node)
        for path in _modules(None)
        if path != THE_GATE
        for node in _calls(_read(path))
        if isinstance(node.func, ast.Attribute)
        and (
            node.func.attr in {"filter", "exclude", "get"}
            or (node.func.attr in UPSERTS and not _writes_by_design(path))
        )
        and any(keyword.arg in {"organization", "organization_id"} for keyword in node.keywords)
    ]
    assert by_hand == [], f"organization filtered by hand: {by_hand}"
