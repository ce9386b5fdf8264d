"""Figures of many organizations at once (a prefecture's 市町 side by side), each in one query
whatever the number of organizations: applications per channel and per month, the share of
procedures online, and how long applications took from 受付 to 完了 against their 標準処理期間.
Counts only; nothing here names an applicant or reads an answer."""

import statistics
from decimal import Decimal

from django.db.models import Count, Min, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from jichitai.core import japanese
from jichitai.procedures.models import Application, ApplicationEvent, Procedure
from jichitai.tenancy.models import Organization


def _applications(organizations: list[Organization], fiscal_year: int) -> QuerySet[Application]:
    return Application.objects.filter(
        organization__in=organizations, fiscal_year=fiscal_year
    ).exclude(status=Application.Status.WITHDRAWN)


def application_counts(
    organizations: list[Organization], fiscal_year: int, *, procedure_ids=None, channel: str = ""
) -> dict[int, int]:
    """``{organization id: applications received in the 年度}`` (withdrawn ones excluded)."""
    applications = _applications(organizations, fiscal_year)
    if procedure_ids:
        applications = applications.filter(procedure_id__in=[int(i) for i in procedure_ids])
    if channel:
        applications = applications.filter(channel=channel)
    counts = dict.fromkeys((organization.pk for organization in organizations), 0)
    for organization_id, total in (
        applications.order_by().values_list("organization_id").annotate(total=Count("id"))
    ):
        counts[organization_id] = total
    return counts


def monthly_counts(
    organizations: list[Organization], fiscal_year: int
) -> dict[int, dict[tuple[int, str], int]]:
    """``{organization id: {(month, channel): count}}`` of the applications received in the 年度
    (month 1–12 of the local date of receipt; withdrawn ones excluded)."""
    counts: dict[int, dict[tuple[int, str], int]] = {
        organization.pk: {} for organization in organizations
    }
    rows = (
        _applications(organizations, fiscal_year)
        .order_by()
        .annotate(month=ExtractMonth("submitted_at", tzinfo=timezone.get_current_timezone()))
        .values_list("organization_id", "month", "channel")
        .annotate(total=Count("id"))
    )
    for organization_id, month, channel, total in rows:
        counts[organization_id][(month, channel)] = total
    return counts


def _catalog_rows(
    organizations: list[Organization], fiscal_year: int
) -> list[tuple[int, int, int]]:
    """``(organization id, procedures in its catalog, of which online)`` by the end of the 年度,
    the basis of ``selectors.online_share`` and ``selectors.catalog_count``."""
    _start, end = japanese.fiscal_year_bounds(fiscal_year)
    return list(
        Procedure.objects.filter(organization__in=organizations, created_at__date__lte=end)
        .exclude(status=Procedure.Status.DRAFT)
        .order_by()
        .values_list("organization_id")
        .annotate(
            total=Count("id"),
            online=Count("id", filter=Q(online=True, current_version__isnull=False)),
        )
    )


def online_shares(organizations: list[Organization], fiscal_year: int) -> dict[int, Decimal]:
    """``{organization id: share (%) of its procedures in the catalog accepting online}``, as
    ``selectors.online_share`` for one; organizations without procedures are left out."""
    return {
        organization_id: (Decimal(online) * 100 / Decimal(total)).quantize(Decimal("0.1"))
        for organization_id, total, online in _catalog_rows(organizations, fiscal_year)
        if total
    }


def catalog_counts(organizations: list[Organization], fiscal_year: int) -> dict[int, int]:
    """``{organization id: procedures in its catalog}`` (0 for none), as
    ``selectors.catalog_count`` for one."""
    counts = {organization.pk: 0 for organization in organizations}
    for organization_id, total, _online in _catalog_rows(organizations, fiscal_year):
        counts[organization_id] = total
    return counts


def processing_times(organizations: list[Organization], fiscal_year: int) -> dict[int, dict]:
    """For the applications received in the 年度 and completed (完了): per organization, how many,
    the median of the calendar days from 受付 to 完了, and the share (%) of those with a
    標準処理期間 that were completed by their due date (None when none had one)."""
    rows = (
        _applications(organizations, fiscal_year)
        .filter(status=Application.Status.COMPLETED)
        .order_by()
        .annotate(
            completed_at=Min(
                "events__at",
                filter=Q(
                    events__kind=ApplicationEvent.Kind.STATUS,
                    events__to_status=Application.Status.COMPLETED,
                ),
            )
        )
        .values_list("organization_id", "submitted_at", "completed_at", "due_date")
    )
    days: dict[int, list[int]] = {}
    with_period: dict[int, list[bool]] = {}
    for organization_id, submitted_at, completed_at, due_date in rows:
        if completed_at is None:
            continue
        completed_on = timezone.localdate(completed_at)
        days.setdefault(organization_id, []).append(
            (completed_on - timezone.localdate(submitted_at)).days
        )
        if due_date is not None:
            with_period.setdefault(organization_id, []).append(completed_on <= due_date)
    figures = {}
    for organization in organizations:
        taken = days.get(organization.pk, [])
        kept = with_period.get(organization.pk, [])
        figures[organization.pk] = {
            "completed": len(taken),
            "median_days": Decimal(statistics.median(taken)) if taken else None,
            "within_period_share": (Decimal(sum(kept)) * 100 / len(kept)).quantize(Decimal("0.1"))
            if kept
            else None,
        }
    return figures
