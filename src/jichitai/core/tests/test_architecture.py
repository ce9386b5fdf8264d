"""Where code goes (docs/architecture.md): each kind of module has one name in every app, and no
module grows past what a reader can hold. Imports between apps are checked by import-linter
(``[tool.importlinter]`` in pyproject.toml, run by ``make test`` and ``make lint``)."""

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
MAX_LINES = 500

URL_MODULES = {"urls.py", "public_urls.py"}
VIEW_MODULES = {"views.py", "public_views.py"}


def _source_files():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if {"migrations", "tests"} & set(relative.parts):
            continue
        yield relative


def _params(files):
    return [pytest.param(str(relative), id=str(relative)) for relative in files]


SOURCES = list(_source_files())


@pytest.mark.parametrize("relative", _params(SOURCES))
def test_no_module_is_longer_than_500_lines(relative):
    lines = len((PACKAGE / relative).read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{relative} has {lines} lines; split it by subject"


REGISTRY_CREATION = re.compile(r"^[^#\n]*=\s*Registry\(", re.MULTILINE)


def _creates_registry(relative) -> bool:
    return bool(REGISTRY_CREATION.search((PACKAGE / relative).read_text(encoding="utf-8")))


def _registry_creators():
    return [
        relative
        for relative in SOURCES
        if relative.name != "registry.py" and _creates_registry(relative)
    ]


def test_the_registry_check_recognises_registries():
    # Every registry.py creates one, so a check that did not see them could never fail.
    registry_modules = [relative for relative in SOURCES if relative.name == "registry.py"]
    assert len(registry_modules) > 5
    assert all(_creates_registry(relative) for relative in registry_modules)


@pytest.mark.parametrize(
    "relative",
    _params(_registry_creators())
    or [pytest.param(None, id="no-registry-outside-registry-modules")],
)
def test_registries_are_created_only_in_registry_modules(relative):
    assert relative is None, f"{relative} creates a Registry: move it to its app's registry.py"


def _named_modules(pattern):
    return [
        relative
        for relative in SOURCES
        if len(relative.parts) == 2 and re.search(pattern, relative.name)
    ]


@pytest.mark.parametrize("relative", _params(_named_modules(r"(^|_)urls\.py$")))
def test_url_modules_are_named_by_audience(relative):
    """``urls.py`` holds an app's staff pages (under /s/<org_code>/ or /s/), ``public_urls.py``
    its public ones."""
    assert Path(relative).name in URL_MODULES


@pytest.mark.parametrize("relative", _params(_named_modules(r"(^|_)views\.py$")))
def test_view_modules_are_named_by_audience(relative):
    assert Path(relative).name in VIEW_MODULES


def test_job_kinds_are_registered_in_jobs_modules():
    registering = [
        str(relative)
        for relative in SOURCES
        if re.search(r"^@job_kind\(", (PACKAGE / relative).read_text(encoding="utf-8"), re.M)
        and relative.name != "jobs.py"
    ]
    assert registering == []


def test_what_an_app_plugs_into_others_is_in_registrations():
    other_names = [
        str(relative) for relative in SOURCES if relative.name in {"hooks.py", "plugins.py"}
    ]
    assert other_names == []


# Forwards its arguments to the task unchanged, as ``Task.enqueue(*args)`` takes them.
POSITIONAL_ALLOWED = {("jobs/services.py", "enqueue_with_action")}


def _service_modules():
    return [
        relative
        for relative in SOURCES
        if relative.name == "services.py" or "services" in relative.parts[1:-1]
    ]


def _positional_service_functions():
    for relative in _service_modules():
        tree = ast.parse((PACKAGE / relative).read_text(encoding="utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if node.name.startswith("_") or (str(relative), node.name) in POSITIONAL_ALLOWED:
                continue
            positional = [a.arg for a in node.args.posonlyargs + node.args.args]
            if positional or node.args.vararg:
                yield f"{relative}:{node.lineno} {node.name}({', '.join(positional)})"


def test_the_service_check_sees_every_services_module():
    modules = {str(relative) for relative in _service_modules()}
    assert "procedures/services/submission.py" in modules
    assert "tenancy/services.py" in modules


def test_services_take_keyword_arguments_only():
    """A write reads the same wherever it is called: ``record_payment(actor=…, payment=…)``
    cannot swap two arguments of one type without the call saying so."""
    assert list(_positional_service_functions()) == []
