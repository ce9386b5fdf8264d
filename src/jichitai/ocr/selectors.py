"""Reads of the paper intake, always for one organization. ``procedures`` narrows them to the
procedures a person sees (a clerk attached to a division sees that division's, as in the inbox)."""

from jichitai.ocr.models import Batch, PaperTemplate, ScanPage
from jichitai.tenancy.selectors import for_tenant, tenant_get


def _visible(queryset, procedures, path: str):
    return queryset if procedures is None else queryset.filter(**{f"{path}__in": procedures})


def templates_of(organization, procedures=None):
    return _visible(
        for_tenant(PaperTemplate, organization).select_related("procedure"), procedures, "procedure"
    )


def template_of(organization, template_id: int, procedures=None) -> PaperTemplate:
    return tenant_get(templates_of(organization, procedures), organization, pk=template_id)


def batches_of(organization, procedures=None):
    return _visible(
        for_tenant(Batch, organization).select_related("template", "job", "created_by"),
        procedures,
        "template__procedure",
    )


def batch_of(organization, batch_id: int, procedures=None) -> Batch:
    return tenant_get(batches_of(organization, procedures), organization, pk=batch_id)


def page_of(organization, page_id: int, procedures=None) -> ScanPage:
    pages = for_tenant(ScanPage, organization).select_related(
        "batch__template__procedure", "source", "application"
    )
    return tenant_get(
        _visible(pages, procedures, "batch__template__procedure"), organization, pk=page_id
    )


def pages_to_check(organization, procedures=None):
    return _visible(
        for_tenant(ScanPage, organization).exclude(
            status__in=[ScanPage.Status.DONE, ScanPage.Status.DISCARDED]
        ),
        procedures,
        "batch__template__procedure",
    )


def next_page(page: ScanPage) -> ScanPage | None:
    """The next page of the same batch that still needs a person."""
    return (
        ScanPage.objects.filter(batch=page.batch, pk__gt=page.pk)
        .exclude(status__in=[ScanPage.Status.DONE, ScanPage.Status.DISCARDED])
        .order_by("pk")
        .first()
    )
