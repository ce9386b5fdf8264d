"""Reads of procedures and applications, always for one organization (and, for clerks who belong
to a division, that division's procedures). The figures other modules count are in ``figures``,
re-exported here."""

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise

from jichitai.procedures import availability, published, repeats, translations, workload
from jichitai.procedures.definitions import answer_fields
from jichitai.procedures.models import (
    Application,
    ApplicationEvent,
    ApplicationFile,
    ClosedDay,
    Draft,
    EmailVerification,
    FormImport,
    FormVersion,
    Procedure,
)
from jichitai.procedures.registry import fee_relations
from jichitai.procedures.selectors.figures import (
    answer_share,
    application_counts,
    catalog_count,
    counts_by_fiscal_year_and_channel,
    first_application_day,
    online_share,
    survey_tally,
    total_applications,
)
from jichitai.procedures.translation_table import current_translations
from jichitai.tenancy.models import Division, Membership, Organization, Role
from jichitai.tenancy.selectors import divisions_of, for_tenant, tenant_get

if TYPE_CHECKING:
    from jichitai.accounts.models import User

# The figures' names, read by the other modules as ``selectors.<name>``.
__all__ = [
    "answer_share",
    "application_counts",
    "catalog_count",
    "counts_by_fiscal_year_and_channel",
    "first_application_day",
    "online_share",
    "survey_tally",
    "total_applications",
]


def procedures_of(
    organization: Organization, *, status: str = "", query: str = ""
) -> QuerySet[Procedure]:
    procedures = for_tenant(Procedure, organization).select_related("division", "current_version")
    if status:
        procedures = procedures.filter(status=status)
    if query:
        procedures = naming(procedures, query)
    return procedures


def naming(procedures: QuerySet[Procedure], words: str) -> QuerySet[Procedure]:
    """Those of ``procedures`` whose name or description contains ``words``, in Japanese or in
    a translation residents read. Translations are JSON, which SQLite and PostgreSQL store and
    search differently, so they are compared here, for the procedures that have any."""
    needle = words.casefold()
    translated = [
        procedure.pk
        for procedure in procedures.exclude(translations={})
        .select_related(None)
        .only("name", "description", "translations")
        if any(needle in text.casefold() for text in current_translations(procedure))
    ]
    return procedures.filter(
        Q(name__icontains=words) | Q(description__icontains=words) | Q(pk__in=translated)
    )


def procedure_of(organization: Organization, procedure_id: int | str) -> Procedure:
    return tenant_get(procedures_of(organization), organization, pk=procedure_id)


def form_import(organization: Organization, procedure: Procedure, import_id: int) -> FormImport:
    """An XLSForm upload of the procedure (404 for another organization's or procedure's)."""
    return tenant_get(
        FormImport.objects.filter(procedure=procedure).defer("workbook"),
        organization,
        pk=import_id,
    )


def visible_procedures(membership: Membership, *, status: str = "") -> QuerySet[Procedure]:
    """Clerks and viewers attached to a division see that division's procedures; managers and
    administrators see the whole organization's."""
    procedures = procedures_of(membership.organization, status=status)
    if membership.division_id and not membership.has_role(Role.MANAGER):
        procedures = procedures.filter(division_id=membership.division_id)
    return procedures


def visible_procedure(membership: Membership, procedure_id: int | str) -> Procedure:
    """One procedure the member may see; 404 for any other, in this organization or not."""
    return tenant_get(visible_procedures(membership), membership.organization, pk=procedure_id)


def form_versions_of(procedure: Procedure) -> QuerySet[FormVersion]:
    return FormVersion.objects.filter(procedure=procedure)


def count_by_status(procedure: Procedure) -> list[tuple[str | Promise, int]]:
    """(status label, number of applications) for the statuses the procedure's applications have."""
    rows = (
        Application.objects.filter(procedure=procedure)
        .values("status")
        .annotate(total=Count("id"))
        .order_by()
    )
    return [(Application.Status(row["status"]).label, row["total"]) for row in rows]


def default_division(membership: Membership) -> Division | None:
    """Where a member's new procedures go: their own division, else the organization's first."""
    return membership.division or divisions_of(membership.organization).first()


def open_procedures(organization: Organization, *, query: str = "") -> QuerySet[Procedure]:
    """What residents are offered to apply to now (a procedure left out of the lists is still open
    to whoever has its link)."""
    return (
        procedures_of(organization, query=query)
        .filter(availability.accepting(), listed=True)
        .order_by("closes_at", "name")
    )


def offered_languages(fields: list | None) -> list[str]:
    """The languages besides Japanese a published form (its ``fields``) is offered in."""
    return [code for code, _name in translations.form_languages(fields or []) if code != "ja"]


@lru_cache(maxsize=512)
def form_version(version_id: int) -> FormVersion:
    """Form versions never change once published, so each process keeps the ones it has read
    (with their parsed JSON) instead of loading them for every submission."""
    return FormVersion.objects.get(pk=version_id)


def public_procedure_by_code(
    code: str, procedure_id: int | str, *, published_version: str | None = None
) -> Procedure:
    """The same as ``public_procedure`` for an organization given by code: the public API's hot
    path, so each process keeps what it read until a procedure changes (``published``; the
    request may have read its version already)."""
    return published.published_procedure(
        code,
        procedure_id,
        lambda: _public_procedure_by_code(code, procedure_id),
        version=published_version,
    )


def _public_procedure_by_code(code: str, procedure_id: int | str) -> Procedure:
    try:
        procedure = (
            Procedure.objects.select_related("organization", "division")
            .defer("draft_fields")
            .exclude(status=Procedure.Status.DRAFT)
            .get(
                pk=procedure_id,
                organization__code=code,
                organization__is_active=True,
                current_version__isnull=False,
            )
        )
    except (Procedure.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    procedure.current_version = form_version(procedure.current_version_id)
    return procedure


def public_procedure(organization: Organization, procedure_id: int | str) -> Procedure:
    """A published procedure (open or not, so residents see why it is closed); drafts are 404."""
    return tenant_get(
        procedures_of(organization)
        .exclude(status=Procedure.Status.DRAFT)
        .filter(current_version__isnull=False),
        organization,
        pk=procedure_id,
    )


def shared_templates(organization: Organization) -> QuerySet[Procedure]:
    """フォームシェア: the published forms other organizations (the prefecture or any 市町) share
    as templates, the prefecture's first; the organization's own are its own already."""
    return (
        Procedure.objects.filter(is_shared_template=True)
        .exclude(current_version__isnull=True)
        .exclude(pk__in=for_tenant(Procedure, organization).values("pk"))
        .select_related("organization", "division")
        .order_by("organization__code", "name")  # a prefecture's code (xx0001) comes first
    )


def shared_template(organization: Organization, procedure_id: int | str) -> Procedure:
    try:
        return shared_templates(organization).get(pk=procedure_id)
    except (Procedure.DoesNotExist, ValueError):
        raise Http404 from None


def applications_of(
    membership: Membership,
    *,
    procedure: Procedure | int | None = None,
    status: str = "",
    since: date | None = None,
    until: date | None = None,
    text: str = "",
    assigned_to: "User | None" = None,
    view: str = "",
    sort: str = "",
    with_fees: bool = False,
) -> QuerySet[Application]:
    """The applications to the procedures the member sees. ``procedure`` is a procedure or its id
    (one the member does not see gives none); ``with_fees`` loads what the fee shown needs."""
    applications = (
        for_tenant(Application, membership.organization)
        .filter(procedure__in=visible_procedures(membership))
        .select_related("procedure", "assigned_to")
    )
    if with_fees:
        applications = applications.select_related(*fee_relations())
    if procedure is not None:
        applications = applications.filter(procedure=procedure)
    if status:
        applications = applications.filter(status=status)
    if since:
        applications = applications.filter(submitted_at__date__gte=since)
    if until:
        applications = applications.filter(submitted_at__date__lte=until)
    if text:
        applications = applications.filter(
            Q(receipt_number__icontains=text)
            | Q(applicant_name__icontains=text)
            | Q(applicant_email__icontains=text)
            | Q(search_text__icontains=text)
        )
    if assigned_to is not None:
        applications = applications.filter(assigned_to=assigned_to)
    applications = workload.in_view(applications, view, user=membership.user, status=status)
    return workload.sorted_by(applications, sort)


def inbox_counts(membership: Membership) -> dict[str, int]:
    """How many applications each inbox view holds, for its tab and the staff home."""
    return workload.counts(applications_of(membership), membership.user)


def closed_days(organization: Organization) -> QuerySet[ClosedDay]:
    return workload.closed_days_query(organization)


def closed_day(organization: Organization, day_id: int) -> ClosedDay:
    return tenant_get(closed_days(organization), organization, pk=day_id)


def delays_of(membership: Membership) -> list[dict[str, Any]]:
    """The delay report: per procedure the member sees, what is and was past its due date."""
    return workload.delays_by_procedure(applications_of(membership))


def application_of(membership: Membership, application_id: int | str) -> Application:
    return tenant_get(
        applications_of(membership).select_related("form_version", "procedure__division"),
        membership.organization,
        pk=application_id,
    )


def chosen_applications(membership: Membership, application_ids: list[int]) -> list[Application]:
    """The applications a member ticked in the inbox, among those they see."""
    return list(applications_of(membership).filter(pk__in=application_ids))


def applications_for_export(membership: Membership, procedure: Procedure) -> QuerySet[Application]:
    """A procedure's applications in the order they arrived."""
    return applications_of(membership, procedure=procedure).order_by("submitted_at", "id")


def application_by_receipt(membership: Membership, receipt_number: str) -> Application:
    return tenant_get(
        applications_of(membership), membership.organization, receipt_number=receipt_number
    )


def assignable_staff(organization: Organization) -> "QuerySet[User]":
    """The people an application of ``organization`` may be assigned to: its active members."""
    members = for_tenant(Membership, organization).filter(is_active=True)
    return get_user_model().objects.filter(memberships__in=members)


def application_files(application: Application) -> QuerySet[ApplicationFile]:
    return for_tenant(ApplicationFile, application.organization).filter(application=application)


def application_file(application: Application, file_id: int | str) -> ApplicationFile:
    return tenant_get(application_files(application), application.organization, pk=file_id)


def history(application: Application, *, internal: bool) -> QuerySet[ApplicationEvent]:
    """The application's events in order; the applicant's view (``internal=False``) leaves out
    staff notes and assignments."""
    events = ApplicationEvent.objects.filter(application=application).select_related("actor")
    return events if internal else events.filter(internal=False)


def return_message(application: Application) -> ApplicationEvent | None:
    """The latest 差戻し, whose message tells the applicant what to correct."""
    return history(application, internal=False).filter(to_status=Application.Status.RETURNED).last()


def submitted_application(
    organization: Organization, procedure: Procedure, application_id: int | None
) -> Application:
    """The application this browser just submitted (its id kept in the session)."""
    if application_id is None:
        raise Http404
    return tenant_get(
        Application.objects.filter(procedure=procedure), organization, pk=application_id
    )


def pending_files(
    organization: Organization, *, upload_token: str, file_ids: Iterable[int | str]
) -> dict[int, ApplicationFile]:
    """Files of ``organization`` chosen on the input page under this browser session's upload
    token and not yet part of an application, by id."""
    chosen = list(file_ids)
    if not chosen:
        # Most forms ask for no file: no query to build and send for them.
        return {}
    waiting = for_tenant(ApplicationFile, organization).filter(
        pk__in=chosen, application__isnull=True, upload_token=upload_token
    )
    return {stored.pk: stored for stored in waiting}


def live_draft(organization: Organization, token: str) -> Draft | None:
    """A draft saved for one of ``organization``'s procedures, not yet expired."""
    return (
        Draft.objects.select_related("procedure")
        .filter(
            token=token,
            procedure__in=procedures_of(organization),
            expires_at__gt=timezone.now(),
        )
        .first()
    )


def live_verification(procedure: Procedure, token: str) -> EmailVerification | None:
    return EmailVerification.objects.filter(
        procedure=procedure, token=token, expires_at__gt=timezone.now()
    ).first()


def application_for_applicant(
    organization: Organization, receipt_number: str, token: str
) -> Application:
    """The applicant's view through the unguessable status token; 404 for anything else."""
    if not token or len(token) > 64:
        raise Http404
    return tenant_get(
        Application.objects.select_related("procedure", "form_version", "organization"),
        organization,
        receipt_number=receipt_number,
        status_token=token,
    )


def item_names(procedure: Procedure) -> list[str]:
    """The names of the items residents answer on the procedure's published form (its draft
    before the first publication), as a document template may name them in braces."""
    fields = (
        procedure.current_version.fields if procedure.current_version else procedure.draft_fields
    )
    return [spec["label"] for spec in answer_fields(fields or [])]


def display_rows(application: Application, *, language: str = "ja") -> list[tuple[str, str]]:
    """(label, value as shown) for each field the application answered, in the form's order,
    labelled in ``language`` (Japanese for staff)."""
    fields = translations.translate(application.form_version.fields, language)
    return repeats.display_rows(fields, application.data)


def inbox_summary(membership: Membership) -> dict[str, Any]:
    """The staff home's inbox card: what waits for a clerk, within what the member may see —
    counted as the inbox's tabs count waiting work (``workload.WAITING``)."""
    counts = inbox_counts(membership)
    return {
        "waiting": counts["waiting"],
        "latest": list(applications_of(membership).filter(status__in=workload.WAITING)[:5]),
        "counts": counts,
        # Why a clerk's inbox may be empty: the procedures belong to other divisions.
        "division_without_procedures": membership.division
        if membership.division_id and not visible_procedures(membership).exists()
        else None,
    }


def procedure_summary(membership: Membership) -> dict[str, int]:
    procedures = visible_procedures(membership)
    return {
        "published": procedures.filter(status=Procedure.Status.PUBLISHED).count(),
        "draft": procedures.filter(status=Procedure.Status.DRAFT).count(),
    }
