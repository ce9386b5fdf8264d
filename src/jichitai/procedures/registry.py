"""Extension points of the procedures module for other modules.

``submission_hooks``: what a module writes with each new application of the procedures it
``applies_to`` (e.g. the fee owed), inside the submission's transaction; raising rolls the whole
submission back. A submission no hook applies to, with nothing else to write after the
application, is one statement, sent without a transaction around it (``services.submission``).
``fee_sources``: what an application owes, as the API shows it (payments registers one).
``erasure_hooks``: functions called with an application whose personal data is being erased
(retention period over, or on request), inside that transaction: each module erases what it keeps
about the application (signatures, the scans of a paper application …). Stored files are deleted
with ``core.files.delete_files_on_commit``, so a rolled-back erasure keeps them.
``acceptance_checks``: what data must satisfy to be accepted, beyond the form's validator, run
alike for a new application and for a returned one corrected and resubmitted (e.g. the
applicant's electronic signature). A check takes a ``Candidate`` and either raises
``django.core.exceptions.ValidationError`` with messages per field, or returns what to do with
the application once it is written (``Callable[[Application], None]``, run in the same
transaction), or None.
``procedure_options``: plug-in families a procedure picks one member of, stored by name in the
procedure's field of the same name (``payment_method``, ``signature_check``). The module that owns
a family registers a function giving its ``(name, label)`` choices, computed from its own
registry, so that procedures imports none of those modules.
``field_types``: the field types of application forms (``fields.py``), the single list of what the
form builder, the XLSForm import, the validator and the exports understand.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from jichitai.core.registry import Registry

if TYPE_CHECKING:
    from jichitai.procedures.fields import FieldType

field_types: "Registry[FieldType]" = Registry("form field types")
# How the resident's page reads and shows a field type the generic widgets do not cover (the rows
# of a repeating group): an object with ``from_post(spec, post)`` and ``widget(spec, value,
# errors)``, registered under the type's name.
field_renderers: Registry[Any] = Registry("form field renderers")


@dataclass(frozen=True)
class SubmissionHook:
    """``run(application)`` for each new application of a procedure ``applies_to(procedure)``."""

    run: Callable[[Any], None]
    applies_to: Callable[[Any], bool]


submission_hooks: Registry[SubmissionHook] = Registry("submission hooks")
erasure_hooks: Registry[Callable] = Registry("erasure hooks")


@dataclass(frozen=True)
class Candidate:
    """What asks to be accepted: ``data`` as sent (what a signature covers), ``cleaned`` as it
    will be stored, ``files`` attached now (by field), ``evidence`` sent beside the data (e.g.
    ``signature``), and on a resubmission the ``application`` being corrected."""

    procedure: Any
    version: Any
    data: dict
    cleaned: dict
    files: dict = field(default_factory=dict)
    evidence: dict = field(default_factory=dict)
    application: Any = None


acceptance_checks: Registry[Callable] = Registry("acceptance checks")


@dataclass(frozen=True)
class Panel:
    """A section another module adds to an application's page: ``context(request, application)``
    returns the template's context, or None to show nothing."""

    title: str
    template: str
    context: Callable
    order: int = 100


# Sections of the staff's application page and of the applicant's status page.
staff_panels: Registry[Panel] = Registry("application panels (staff)")
applicant_panels: Registry[Panel] = Registry("application panels (applicant)")


def panels_for(registry: Registry[Panel], request, application) -> list[tuple[Panel, dict]]:
    shown = []
    for _name, panel in sorted(registry.items(), key=lambda item: item[1].order):
        context = panel.context(request, application)
        if context is not None:
            shown.append((panel, context))
    return shown


@dataclass(frozen=True)
class FeeSource:
    """Where a module that bills applications keeps what each one owes. ``related`` is the
    application's relation to load with a list of applications (so a page of them costs no query
    per application); ``describe(application)`` returns the API's fee object, or None."""

    related: str
    describe: Callable


fee_sources: Registry[FeeSource] = Registry("application fees")


def fee_relations() -> list[str]:
    return [source.related for _name, source in fee_sources.items()]


def fee_of(application) -> dict | None:
    for _name, source in fee_sources.items():
        fee = source.describe(application)
        if fee is not None:
            return fee
    return None


procedure_options: Registry[Callable[[], list[tuple[str, str]]]] = Registry("procedure options")


def options_for(field_name: str) -> list[tuple[str, str]]:
    """The ``(name, label)`` choices of a procedure's plug-in field; none while no module offers
    that family."""
    if field_name not in procedure_options:
        return []
    return procedure_options.get(field_name)()


def payment_method_choices() -> list[tuple[str, str]]:
    return options_for("payment_method")


def signature_check_choices() -> list[tuple[str, str]]:
    return options_for("signature_check")
