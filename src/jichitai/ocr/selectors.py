"""Reads of the paper intake, always for one organization."""

from jichitai.ocr.models import Batch, PaperTemplate, ScanPage
from jichitai.tenancy.selectors import for_tenant, tenant_get


def templates_of(organization):
    return for_tenant(PaperTemplate, organization).select_related("procedure")


def template_of(organization, template_id: int) -> PaperTemplate:
    return tenant_get(templates_of(organization), organization, pk=template_id)


def batches_of(organization):
    return for_tenant(Batch, organization).select_related("template", "job", "created_by")


def batch_of(organization, batch_id: int) -> Batch:
    return tenant_get(batches_of(organization), organization, pk=batch_id)


def page_of(organization, page_id: int) -> ScanPage:
    return tenant_get(
        for_tenant(ScanPage, organization).select_related(
            "batch__template__procedure", "source", "application"
        ),
        organization,
        pk=page_id,
    )


def pages_to_check(organization):
    return for_tenant(ScanPage, organization).exclude(
        status__in=[ScanPage.Status.DONE, ScanPage.Status.DISCARDED]
    )


def next_page(page: ScanPage) -> ScanPage | None:
    """The next page of the same batch that still needs a person."""
    return (
        ScanPage.objects.filter(batch=page.batch, pk__gt=page.pk)
        .exclude(status__in=[ScanPage.Status.DONE, ScanPage.Status.DISCARDED])
        .order_by("pk")
        .first()
    )
