"""Figures of one organization's applications for other modules (statistics, PDCA, the live
metrics): counts per 年度 and channel, the share of procedures online, survey tallies. Counts and
shares only; nothing here names an applicant."""

from collections import Counter
from collections.abc import Collection
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from jichitai.core import japanese
from jichitai.procedures.models import Application, Procedure
from jichitai.procedures.registry import field_types
from jichitai.tenancy.models import Organization
from jichitai.tenancy.selectors import for_tenant, tenant_get


def application_counts(
    organization: Organization, fiscal_year: int, *, procedure_ids: Collection[int] | None = None
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
    organization: Organization,
    fiscal_year: int,
    *,
    procedure_ids: Collection[int] | None = None,
    channel: str = "",
) -> int:
    return sum(
        count
        for channels in application_counts(
            organization, fiscal_year, procedure_ids=procedure_ids
        ).values()
        for name, count in channels.items()
        if not channel or name == channel
    )


def first_application_day(
    organization: Organization, *, procedure_ids: Collection[int] | None = None
) -> date | None:
    """The day the organization (or the given procedures) received its first application."""
    applications = for_tenant(Application, organization)
    if procedure_ids:
        applications = applications.filter(procedure_id__in=procedure_ids)
    first = applications.order_by("submitted_at").values_list("submitted_at", flat=True).first()
    return timezone.localdate(first) if first else None


def online_share(organization: Organization, fiscal_year: int) -> Decimal | None:
    """Share (%) of the organization's procedures in the catalog that accept applications online."""
    procedures = for_tenant(Procedure, organization).exclude(status=Procedure.Status.DRAFT)
    _start, end = japanese.fiscal_year_bounds(fiscal_year)
    procedures = procedures.filter(created_at__date__lte=end)
    total = procedures.count()
    if not total:
        return None
    online = procedures.filter(online=True, current_version__isnull=False).count()
    return (Decimal(online) * 100 / Decimal(total)).quantize(Decimal("0.1"))


def catalog_count(organization: Organization, fiscal_year: int) -> int:
    """How many of the organization's procedures are in its catalog (published or closed, not
    drafts) at the end of the 年度: the procedures ``online_share`` is a share of."""
    _start, end = japanese.fiscal_year_bounds(fiscal_year)
    return (
        for_tenant(Procedure, organization)
        .exclude(status=Procedure.Status.DRAFT)
        .filter(created_at__date__lte=end)
        .count()
    )


def survey_tally(procedure: Procedure, *, fiscal_year: int | None = None) -> list[dict[str, Any]]:
    """For each choice question of the current form: the count per choice and the number of
    respondents, over the applications not withdrawn."""
    applications = procedure.applications.exclude(status=Application.Status.WITHDRAWN)
    if fiscal_year is not None:
        applications = applications.filter(fiscal_year=fiscal_year)
    answers = list(applications.values_list("data", flat=True))
    tally: list[dict[str, Any]] = []
    fields = procedure.current_version.fields if procedure.current_version else []
    for spec in fields:
        if not field_types.get(spec["type"]).has_choices:
            continue
        counter: Counter[str] = Counter()
        respondents = 0
        for data in answers:
            value = data.get(spec["name"])
            if value is None:
                continue
            respondents += 1
            for item in value if isinstance(value, list) else [value]:
                counter[item] += 1
        rows: list[dict[str, Any]] = []
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
    organization: Organization,
    fiscal_year: int,
    *,
    procedure_id: int | str,
    question: str,
    answers: str | list[str] | tuple[str, ...],
) -> Decimal | None:
    """Share (%) of respondents of a survey procedure who chose one of ``answers`` to ``question``."""
    try:
        procedure = tenant_get(Procedure, organization, pk=procedure_id)
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


def _chose(value: Any, wanted: set[str]) -> bool:
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
