"""Reads of fees and payments. Staff pages read through ``visible_payments``: the inbox's division
scope (``procedures.selectors.visible_procedures``), so a clerk of a division (所属) lists, opens and
prints slips and receipts for that division's payments only. Figures for the whole organization
(metrics, PDCA) read ``payments_of``."""

from typing import TypedDict

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from jichitai.payments.models import Payment, ReconciliationBatch, ReconciliationProfile
from jichitai.procedures.models import Application
from jichitai.procedures.selectors import visible_procedures
from jichitai.tenancy.models import Membership, Organization
from jichitai.tenancy.selectors import for_tenant, tenant_get


class ProcedureTotals(TypedDict):
    """One procedure's fees in a 年度 (cancelled ones left out); sums are None when no row has one."""

    procedure_id: int
    procedure__name: str
    count: int
    billed: int | None
    paid: int | None
    paid_count: int
    refunded: int | None


# The status filter's value for unpaid fees past their 納付期限, beside ``Payment.Status``'s.
OVERDUE = "overdue"


def payments_of(
    organization: Organization, *, status: str = "", fiscal_year: int | None = None
) -> QuerySet[Payment]:
    """The organization's payments, newest first; ``status`` is a ``Payment.Status`` or
    ``OVERDUE``."""
    payments = for_tenant(Payment, organization).select_related("application", "procedure")
    if status == OVERDUE:
        payments = payments.filter(status=Payment.Status.UNPAID, due_date__lt=timezone.localdate())
    elif status:
        payments = payments.filter(status=status)
    if fiscal_year is not None:
        payments = payments.filter(fiscal_year=fiscal_year)
    return payments


def visible_payments(
    membership: Membership, *, status: str = "", fiscal_year: int | None = None
) -> QuerySet[Payment]:
    """The payments of the procedures ``membership`` sees in the inbox."""
    return payments_of(membership.organization, status=status, fiscal_year=fiscal_year).filter(
        procedure__in=visible_procedures(membership)
    )


def payment_of(membership: Membership, payment_id: int) -> Payment:
    """One payment the member may see; 404 for another division's or organization's."""
    return tenant_get(visible_payments(membership), membership.organization, pk=payment_id)


def totals_by_procedure(organization: Organization, fiscal_year: int) -> list[ProcedureTotals]:
    """Per procedure for a 年度, for the whole organization: amounts billed, paid and outstanding,
    and counts (PDCA reads it)."""
    return _totals(payments_of(organization, fiscal_year=fiscal_year))


def visible_totals_by_procedure(membership: Membership, fiscal_year: int) -> list[ProcedureTotals]:
    """The same totals over the procedures ``membership`` sees."""
    return _totals(visible_payments(membership, fiscal_year=fiscal_year))


def _totals(payments: QuerySet[Payment]) -> list[ProcedureTotals]:
    return list(
        payments.exclude(status=Payment.Status.CANCELLED)
        .values("procedure_id", "procedure__name")
        .annotate(
            count=Count("id"),
            billed=Sum("amount"),
            paid=Sum("paid_amount", filter=Q(status=Payment.Status.PAID)),
            paid_count=Count("id", filter=Q(status=Payment.Status.PAID)),
            refunded=Sum("paid_amount", filter=Q(status=Payment.Status.REFUNDED)),
        )
        .order_by("procedure__name")
    )


def collected(organization: Organization, fiscal_year: int) -> int:
    return (
        payments_of(organization, status=Payment.Status.PAID, fiscal_year=fiscal_year).aggregate(
            total=Sum("paid_amount")
        )["total"]
        or 0
    )


def profiles_of(organization: Organization) -> QuerySet[ReconciliationProfile]:
    return for_tenant(ReconciliationProfile, organization)


def batches_of(organization: Organization) -> QuerySet[ReconciliationBatch]:
    return for_tenant(ReconciliationBatch, organization).select_related("uploaded_by")


def batch_of(organization: Organization, batch_id: int) -> ReconciliationBatch:
    return tenant_get(ReconciliationBatch, organization, pk=batch_id)


def payment_of_application(application: Application) -> Payment | None:
    """The payment an application owes, if any (the application was already checked by whoever
    asks: staff through ``application_of``, the applicant through the status token)."""
    return (
        Payment.objects.filter(application=application)
        .select_related("procedure__division")
        .first()
    )


def payment_by_gateway_token(payment_number: str, token: str) -> Payment | None:
    """The payment the gateway's return page names, only with its unguessable token."""
    return (
        Payment.objects.select_related("application__organization")
        .filter(payment_number=payment_number, gateway_token=token)
        .first()
    )
