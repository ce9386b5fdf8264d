from django.db.models import Count, Q, Sum

from jichitai.payments.models import Payment, ReconciliationBatch, ReconciliationProfile
from jichitai.tenancy.selectors import for_tenant, tenant_get


def payments_of(organization, *, status: str = "", fiscal_year: int | None = None):
    payments = for_tenant(Payment, organization).select_related("application", "procedure")
    if status:
        payments = payments.filter(status=status)
    if fiscal_year is not None:
        payments = payments.filter(fiscal_year=fiscal_year)
    return payments


def payment_of(organization, payment_id) -> Payment:
    return tenant_get(payments_of(organization), organization, pk=payment_id)


def totals_by_procedure(organization, fiscal_year: int) -> list[dict]:
    """Per procedure for a 年度: amounts billed, paid and outstanding, and counts (PDCA reads it)."""
    return list(
        payments_of(organization, fiscal_year=fiscal_year)
        .exclude(status=Payment.Status.CANCELLED)
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


def collected(organization, fiscal_year: int) -> int:
    return (
        payments_of(organization, status=Payment.Status.PAID, fiscal_year=fiscal_year).aggregate(
            total=Sum("paid_amount")
        )["total"]
        or 0
    )


def profiles_of(organization):
    return for_tenant(ReconciliationProfile, organization)


def profile_of(organization, profile_id) -> ReconciliationProfile:
    return tenant_get(ReconciliationProfile, organization, pk=profile_id)


def batches_of(organization):
    return for_tenant(ReconciliationBatch, organization).select_related("uploaded_by")


def batch_of(organization, batch_id) -> ReconciliationBatch:
    return tenant_get(ReconciliationBatch, organization, pk=batch_id)
