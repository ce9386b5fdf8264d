"""Reads of procedures and applications, always for one organization (and, for clerks who belong
to a division, that division's procedures)."""

from collections import Counter
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise

from jichitai.core import japanese
from jichitai.procedures import availability, published, repeats, workload
from jichitai.procedures.models import (
    Application,
    ApplicationEvent,
    ApplicationFile,
    Draft,
    EmailVerification,
    FormImport,
    FormVersion,
    Procedure,
)
from jichitai.procedures.registry import fee_relations, field_types
from jichitai.tenancy.models import Division, Membership, Organization, Role
from jichitai.tenancy.selectors import divisions_of, for_tenant, tenant_get


def procedures_of(organization, *, status: str = "", query: str = "") -> QuerySet[Procedure]:
    procedures = for_tenant(Procedure, organization).select_related("division", "current_version")
    if status:
        procedures = procedures.filter(status=status)
    if query:
        procedures = procedures.filter(Q(name__icontains=query) | Q(description__icontains=query))
    return procedures


def procedure_of(organization, procedure_id) -> Procedure:
    return tenant_get(procedures_of(organization), organization, pk=procedure_id)


def form_import(organization: Organization, procedure, import_id: int) -> FormImport:
    """An XLSForm upload of the procedure (404 for another organization's or procedure's)."""
    return tenant_get(
        FormImport.objects.filter(procedure=procedure).defer("workbook"),
        organization,
        pk=import_id,
    )


def visible_procedures(membership, *, status: str = "") -> QuerySet[Procedure]:
    """Clerks and viewers attached to a division see that division's procedures; managers and
    administrators see the whole organization's."""
    procedures = procedures_of(membership.organization, status=status)
    if membership.division_id and not membership.has_role(Role.MANAGER):
        procedures = procedures.filter(division_id=membership.division_id)
    return procedures


def visible_procedure(membership, procedure_id) -> Procedure:
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


def default_division(membership) -> Division | None:
    """Where a member's new procedures go: their own division, else the organization's first."""
    return membership.division or divisions_of(membership.organization).first()


def open_procedures(organization, *, query: str = "") -> QuerySet[Procedure]:
    """What residents may apply to now."""
    return (
        procedures_of(organization, query=query)
        .filter(availability.accepting())
        .order_by("closes_at", "name")
    )


@lru_cache(maxsize=512)
def form_version(version_id: int) -> FormVersion:
    """Form versions never change once published, so each process keeps the ones it has read
    (with their parsed JSON) instead of loading them for every submission."""
    return FormVersion.objects.get(pk=version_id)


def public_procedure_by_code(code: str, procedure_id) -> Procedure:
    """The same as ``public_procedure`` for an organization given by code: the public API's hot
    path, so each process keeps what it read until a procedure changes (``published``)."""
    return published.published_procedure(
        code, procedure_id, lambda: _public_procedure_by_code(code, procedure_id)
    )


def _public_procedure_by_code(code: str, procedure_id) -> Procedure:
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


def public_procedure(organization, procedure_id) -> Procedure:
    """A published procedure (open or not, so residents see why it is closed); drafts are 404."""
    return tenant_get(
        procedures_of(organization)
        .exclude(status=Procedure.Status.DRAFT)
        .filter(current_version__isnull=False),
        organization,
        pk=procedure_id,
    )


def shared_templates(organization) -> QuerySet[Procedure]:
    """フォームシェア: the published forms other organizations (the prefecture or any 市町) share
    as templates, the prefecture's first; the organization's own are its own already."""
    return (
        Procedure.objects.filter(is_shared_template=True)
        .exclude(current_version__isnull=True)
        .exclude(pk__in=for_tenant(Procedure, organization).values("pk"))
        .select_related("organization", "division")
        .order_by("organization__code", "name")  # a prefecture's code (xx0001) comes first
    )


def shared_template(organization, procedure_id) -> Procedure:
    try:
        return shared_templates(organization).get(pk=procedure_id)
    except (Procedure.DoesNotExist, ValueError):
        raise Http404 from None


def applications_of(
    membership,
    *,
    procedure=None,
    status: str = "",
    since=None,
    until=None,
    text: str = "",
    assigned_to=None,
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


def inbox_counts(membership) -> dict[str, int]:
    """How many applications each inbox view holds, for its tab and the staff home."""
    return workload.counts(applications_of(membership), membership.user)


def closed_days(organization) -> QuerySet:
    return workload.closed_days_query(organization)


def closed_day(organization, day_id):
    return tenant_get(closed_days(organization), organization, pk=day_id)


def delays_of(membership) -> list[dict]:
    """The delay report: per procedure the member sees, what is and was past its due date."""
    return workload.delays_by_procedure(applications_of(membership))


def application_of(membership, application_id) -> Application:
    return tenant_get(
        applications_of(membership).select_related("form_version", "procedure__division"),
        membership.organization,
        pk=application_id,
    )


def chosen_applications(membership, application_ids: list[int]) -> list[Application]:
    """The applications a member ticked in the inbox, among those they see."""
    return list(applications_of(membership).filter(pk__in=application_ids))


def applications_for_export(membership, procedure: Procedure) -> QuerySet[Application]:
    """A procedure's applications in the order they arrived."""
    return applications_of(membership, procedure=procedure).order_by("submitted_at", "id")


def application_by_receipt(membership, receipt_number: str) -> Application:
    return tenant_get(
        applications_of(membership), membership.organization, receipt_number=receipt_number
    )


def assignable_staff(organization):
    """The people an application of ``organization`` may be assigned to: its active members."""
    members = for_tenant(Membership, organization).filter(is_active=True)
    return get_user_model().objects.filter(memberships__in=members)


def application_files(application: Application) -> QuerySet[ApplicationFile]:
    return for_tenant(ApplicationFile, application.organization).filter(application=application)


def application_file(application: Application, file_id) -> ApplicationFile:
    return tenant_get(application_files(application), application.organization, pk=file_id)


def history(application: Application, *, internal: bool) -> QuerySet[ApplicationEvent]:
    """The application's events in order; the applicant's view (``internal=False``) leaves out
    staff notes and assignments."""
    events = ApplicationEvent.objects.filter(application=application).select_related("actor")
    return events if internal else events.filter(internal=False)


def return_message(application: Application) -> ApplicationEvent | None:
    """The latest 差戻し, whose message tells the applicant what to correct."""
    return history(application, internal=False).filter(to_status=Application.Status.RETURNED).last()


def submitted_application(organization, procedure: Procedure, application_id) -> Application:
    """The application this browser just submitted (its id kept in the session)."""
    if application_id is None:
        raise Http404
    return tenant_get(
        Application.objects.filter(procedure=procedure), organization, pk=application_id
    )


def pending_files(organization, *, upload_token: str, file_ids) -> dict[int, ApplicationFile]:
    """Files of ``organization`` chosen on the input page under this browser session's upload
    token and not yet part of an application, by id."""
    waiting = for_tenant(ApplicationFile, organization).filter(
        pk__in=list(file_ids), application__isnull=True, upload_token=upload_token
    )
    return {stored.pk: stored for stored in waiting}


def live_draft(organization, token: str) -> Draft | None:
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


def application_for_applicant(organization, receipt_number: str, token: str) -> Application:
    """The applicant's view through the unguessable status token; 404 for anything else."""
    if not token or len(token) > 64:
        raise Http404
    return tenant_get(
        Application.objects.select_related("procedure", "form_version", "organization"),
        organization,
        receipt_number=receipt_number,
        status_token=token,
    )


def display_rows(application: Application) -> list[tuple[str, str]]:
    """(label, value as shown) for each field the application answered, in the form's order."""
    return repeats.display_rows(application.form_version.fields, application.data)


# --- Figures for other modules (statistics, PDCA) ------------------------------------------------


def application_counts(
    organization, fiscal_year: int, *, procedure_ids=None
) -> dict[int, dict[str, int]]:
    """``{procedure_id: {channel: count}}`` of the applications received in a 年度, whatever their
    status (withdrawn ones excluded), paper and online alike."""
    applications = (
        for_tenant(Application, organization)
        .filter(fiscal_year=fiscal_year)
        .exclude(status=Application.Status.WITHDRAWN)
    )
    if procedure_ids is not None:
        applications = applications.filter(procedure_id__in=list(procedure_ids))
    counts: dict[int, dict[str, int]] = {}
    for row in applications.values("procedure_id", "channel").annotate(total=Count("id")):
        counts.setdefault(row["procedure_id"], {})[row["channel"]] = row["total"]
    return counts


def total_applications(
    organization, fiscal_year: int, *, procedure_ids=None, channel: str = ""
) -> int:
    return sum(
        count
        for channels in application_counts(
            organization, fiscal_year, procedure_ids=procedure_ids
        ).values()
        for name, count in channels.items()
        if not channel or name == channel
    )


def first_application_day(organization, *, procedure_ids=None) -> date | None:
    """The day the organization (or the given procedures) received its first application."""
    applications = for_tenant(Application, organization)
    if procedure_ids:
        applications = applications.filter(procedure_id__in=procedure_ids)
    first = applications.order_by("submitted_at").values_list("submitted_at", flat=True).first()
    return timezone.localdate(first) if first else None


def online_share(organization, fiscal_year: int) -> Decimal | None:
    """Share (%) of the organization's procedures in the catalog that accept applications online."""
    procedures = for_tenant(Procedure, organization).exclude(status=Procedure.Status.DRAFT)
    _start, end = japanese.fiscal_year_bounds(fiscal_year)
    procedures = procedures.filter(created_at__date__lte=end)
    total = procedures.count()
    if not total:
        return None
    online = procedures.filter(online=True, current_version__isnull=False).count()
    return (Decimal(online) * 100 / Decimal(total)).quantize(Decimal("0.1"))


def survey_tally(procedure: Procedure, *, fiscal_year: int | None = None) -> list[dict]:
    """For each choice question of the current form: the count per choice and the number of
    respondents, over the applications not withdrawn."""
    applications = procedure.applications.exclude(status=Application.Status.WITHDRAWN)
    if fiscal_year is not None:
        applications = applications.filter(fiscal_year=fiscal_year)
    answers = list(applications.values_list("data", flat=True))
    tally = []
    fields = procedure.current_version.fields if procedure.current_version else []
    for spec in fields:
        if not field_types.get(spec["type"]).has_choices:
            continue
        counter: Counter = Counter()
        respondents = 0
        for data in answers:
            value = data.get(spec["name"])
            if value is None:
                continue
            respondents += 1
            for item in value if isinstance(value, list) else [value]:
                counter[item] += 1
        rows = []
        for choice in spec["choices"]:
            count = counter.get(choice["value"], 0)
            share = Decimal(count * 100) / respondents if respondents else Decimal(0)
            rows.append(
                {
                    "value": choice["value"],
                    "label": choice["label"],
                    "count": count,
                    "percent": share.quantize(Decimal("0.1")),
                }
            )
        tally.append(
            {
                "name": spec["name"],
                "label": spec["label"],
                "respondents": respondents,
                "choices": rows,
                "multiple": spec["type"] == "multiple_choice",
                "chart_height": len(rows) * 10,
            }
        )
    return tally


def answer_share(
    organization, fiscal_year: int, *, procedure_id, question: str, answers
) -> Decimal | None:
    """Share (%) of respondents of a survey procedure who chose one of ``answers`` to ``question``."""
    try:
        procedure = procedure_of(organization, procedure_id)
    except Http404:
        return None
    wanted = set(answers if isinstance(answers, list | tuple) else [answers])
    for question_tally in survey_tally(procedure, fiscal_year=fiscal_year):
        if question_tally["name"] != question:
            continue
        if not question_tally["respondents"]:
            return None
        chosen = sum(
            1
            for data in procedure.applications.exclude(status=Application.Status.WITHDRAWN)
            .filter(fiscal_year=fiscal_year)
            .values_list("data", flat=True)
            if _chose(data.get(question), wanted)
        )
        respondents: int = question_tally["respondents"]
        return (Decimal(chosen * 100) / respondents).quantize(Decimal("0.1"))
    return None


def _chose(value, wanted: set) -> bool:
    if value is None:
        return False
    values = value if isinstance(value, list) else [value]
    return any(item in wanted for item in values)


def counts_by_fiscal_year_and_channel(procedure: Procedure) -> dict[tuple[int, str], int]:
    """``{(年度, channel): count}`` of a procedure's applications (withdrawn ones excluded): the
    aggregate that may be published as statistics."""
    rows = (
        procedure.applications.exclude(status=Application.Status.WITHDRAWN)
        .values("fiscal_year", "channel")
        .annotate(total=Count("id"))
    )
    return {(row["fiscal_year"], row["channel"]): row["total"] for row in rows}


def inbox_summary(membership) -> dict:
    """The staff home's inbox card: what waits for a clerk, within what the member may see."""
    applications = applications_of(membership)
    waiting = applications.filter(
        status__in=[Application.Status.RECEIVED, Application.Status.REVIEWING]
    )
    return {
        "waiting": waiting.count(),
        "received": applications.filter(status=Application.Status.RECEIVED).count(),
        "latest": list(waiting[:5]),
        "counts": inbox_counts(membership),
        # Why a clerk's inbox may be empty: the procedures belong to other divisions.
        "division_without_procedures": membership.division
        if membership.division_id and not visible_procedures(membership).exists()
        else None,
    }


def procedure_summary(membership) -> dict:
    procedures = visible_procedures(membership)
    return {
        "published": procedures.filter(status=Procedure.Status.PUBLISHED).count(),
        "draft": procedures.filter(status=Procedure.Status.DRAFT).count(),
    }
