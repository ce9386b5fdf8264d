"""Reads of the paper intake, always for one organization. ``procedures`` narrows them to the
procedures a person sees (a clerk attached to a division sees that division's, as in the inbox)."""

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Count, Model, Q, QuerySet
from django.utils import timezone

from jichitai.core.japanese import fiscal_year_bounds
from jichitai.ocr import pages as page_io
from jichitai.ocr import rings
from jichitai.ocr.models import Batch, BatchFile, PaperTemplate, ScanPage
from jichitai.ocr.placement import MARGIN, field_crop
from jichitai.ocr.template import TemplateField
from jichitai.tenancy.models import Organization
from jichitai.tenancy.selectors import for_tenant, tenant_get

if TYPE_CHECKING:
    from jichitai.accounts.models import User
    from jichitai.procedures.models import Procedure

    # The procedures a member may see (``procedures.selectors.visible_procedures``); None: all.
    Procedures = QuerySet[Procedure] | None

NAME_PART_LABELS = {"family": "姓", "given": "名", "family_kana": "セイ", "given_kana": "メイ"}

Visible = TypeVar("Visible", bound=Model)


def _visible(queryset: QuerySet[Visible], procedures: "Procedures", path: str) -> QuerySet[Visible]:
    return queryset if procedures is None else queryset.filter(**{f"{path}__in": procedures})


def templates_of(
    organization: Organization, procedures: "Procedures" = None
) -> QuerySet[PaperTemplate]:
    return _visible(
        for_tenant(PaperTemplate, organization).select_related("procedure"), procedures, "procedure"
    )


def template_of(
    organization: Organization, template_id: int, procedures: "Procedures" = None
) -> PaperTemplate:
    return tenant_get(templates_of(organization, procedures), organization, pk=template_id)


def batches_of(organization: Organization, procedures: "Procedures" = None) -> QuerySet[Batch]:
    return _visible(
        for_tenant(Batch, organization).select_related("template", "job", "created_by"),
        procedures,
        "template__procedure",
    )


def batch_of(organization: Organization, batch_id: int, procedures: "Procedures" = None) -> Batch:
    return tenant_get(batches_of(organization, procedures), organization, pk=batch_id)


def page_of(organization: Organization, page_id: int, procedures: "Procedures" = None) -> ScanPage:
    pages = for_tenant(ScanPage, organization).select_related(
        "batch__template__procedure", "source", "application"
    )
    return tenant_get(
        _visible(pages, procedures, "batch__template__procedure"), organization, pk=page_id
    )


# A page in any other status still needs a person.
_SETTLED = (ScanPage.Status.DONE, ScanPage.Status.DISCARDED)


def pages_to_check(
    organization: Organization, procedures: "Procedures" = None
) -> QuerySet[ScanPage]:
    return _visible(
        for_tenant(ScanPage, organization).exclude(status__in=_SETTLED),
        procedures,
        "batch__template__procedure",
    )


def pages_to_check_count(organization: Organization, procedures: "Procedures" = None) -> int:
    return pages_to_check(organization, procedures).count()


def _open_to(pages: QuerySet[ScanPage], person: "User") -> QuerySet[ScanPage]:
    """Without the pages that wait for someone other than ``person``: the ベリファイ of a page
    they confirmed, the decision on a page whose entries they typed."""
    return pages.exclude(status=ScanPage.Status.SECOND_ENTRY, first_by=person).exclude(
        Q(status=ScanPage.Status.CONFLICT) & (Q(first_by=person) | Q(second_by=person))
    )


def waits_for_others(page: ScanPage, person: "User") -> bool:
    """Whether the page's next step belongs to someone other than ``person``."""
    return not _open_to(ScanPage.objects.filter(pk=page.pk), person).exists()


def first_page_to_check(
    organization: Organization, person: "User", procedures: "Procedures" = None
) -> ScanPage | None:
    """Where a clerk starts checking: the oldest page still waiting that they may check."""
    return _open_to(pages_to_check(organization, procedures), person).order_by("pk").first()


def batches_with_pages_to_check(
    organization: Organization, procedures: "Procedures" = None
) -> QuerySet[Batch]:
    """The batches, each with ``waiting``: how many of its pages still need a person."""
    return batches_of(organization, procedures).annotate(
        waiting=Count("pages", filter=~Q(pages__status__in=_SETTLED))
    )


def _open_in_batch(batch: Batch, person: "User") -> QuerySet[ScanPage]:
    """The batch's pages still waiting that ``person`` may check, in the order they were read."""
    waiting = ScanPage.objects.filter(batch=batch).exclude(status__in=_SETTLED)
    return _open_to(waiting, person).order_by("pk")


def first_page_of_batch_to_check(batch: Batch, person: "User") -> ScanPage | None:
    """Where a clerk carries on with one batch: its first page that ``person`` may check."""
    return _open_in_batch(batch, person).first()


def next_page(page: ScanPage, person: "User") -> ScanPage | None:
    """The next page of the same batch that still needs a person and that ``person`` may check."""
    return _open_in_batch(page.batch, person).filter(pk__gt=page.pk).first()


def batch_files(batch: Batch) -> QuerySet[BatchFile]:
    return batch.files.all()


def batch_pages(batch: Batch) -> QuerySet[ScanPage]:
    return batch.pages.select_related("source", "application")


def procedure_field_choices(procedure: "Procedure") -> list[tuple[str, str]]:
    """The procedure's form fields a zone can fill: plain fields by name, the parts of a name
    field as ``<field>__family`` etc."""
    version = procedure.current_version
    choices = []
    for spec in version.fields if version else []:
        if spec["type"] in {"file", "note", "section", "page", "calculate"}:  # nothing on paper
            continue
        if spec["type"] == "name":
            for part, label in NAME_PART_LABELS.items():
                choices.append((f"{spec['name']}__{part}", f"{spec['label']}({label})"))
        else:
            choices.append((spec["name"], spec["label"]))
    return choices


def template_json(paper: PaperTemplate) -> dict[str, Any]:
    """The shareable template JSON of a paper template."""
    return paper.as_template().to_dict()


def same_value(a: object, b: object) -> bool:
    """Whether two entries of one field agree (blank and missing are the same)."""
    return (a in (None, "") and b in (None, "")) or a == b


def conflicting_names(page: ScanPage) -> list[str]:
    """The critical fields whose first entry and ベリファイ differ."""
    return [
        f["name"]
        for f in page.batch.template.critical_fields
        if not same_value(page.values.get(f["name"]), page.second_values.get(f["name"]))
    ]


def field_zone_png(page: ScanPage, field_name: str) -> bytes | None:
    """The zone of one field on the aligned page as PNG, as the verification screen shows it;
    None when the page has no such field, was not aligned or its image was erased."""
    zone = next((f for f in page.batch.template.as_template().fields if f.name == field_name), None)
    if zone is None or not page.aligned or not page.image:
        return None
    with page.image.open("rb") as handle:
        aligned = next(page_io.load_pages(handle.read()))
    return page_io.encode_png(field_crop(aligned, zone.box, shown_margin(zone)))


def shown_margin(zone: TemplateField) -> int:
    """Pixels around a zone shown with it: a check box with as much around it as the reader looks
    at for a ring drawn around it (``rings.REACH``), so the person sees what it was read from."""
    if zone.type == "checkbox":
        return max(MARGIN, int(rings.REACH * min(zone.box[2], zone.box[3])))
    return MARGIN


# --- The live metric ``ocr.pages_read`` ---------------------------------------------------------


def pages_read(organization: Organization, fiscal_year: int) -> int:
    """Paper pages the organization's AI-OCR read in a 年度: every page of the batches uploaded
    that 年度, whatever became of it afterwards (a page discarded later was still read)."""
    start, end = fiscal_year_bounds(fiscal_year)
    return (
        for_tenant(ScanPage, organization)
        .filter(
            batch__created_at__gte=timezone.make_aware(datetime.combine(start, time.min)),
            batch__created_at__lte=timezone.make_aware(datetime.combine(end, time.max)),
        )
        .count()
    )


def pages_read_of(organizations: Iterable[Organization], fiscal_year: int) -> dict[int, int]:
    """``pages_read`` of many organizations (a prefecture's 市町) in one query (0 where an
    organization read no page that 年度, as ``pages_read`` says)."""
    organizations = list(organizations)
    start, end = fiscal_year_bounds(fiscal_year)
    counts = dict(
        ScanPage.objects.filter(
            organization__in=organizations,
            batch__created_at__gte=timezone.make_aware(datetime.combine(start, time.min)),
            batch__created_at__lte=timezone.make_aware(datetime.combine(end, time.max)),
        )
        .order_by()
        .values_list("organization_id")
        .annotate(pages=Count("pk"))
    )
    return {organization.pk: counts.get(organization.pk, 0) for organization in organizations}


def pages_read_since(organization: Organization) -> date | None:
    """The day the organization's first page was read: 年度 before it have no figure, not 0."""
    first = (
        for_tenant(ScanPage, organization)
        .order_by("batch__created_at")
        .values_list("batch__created_at", flat=True)
        .first()
    )
    return timezone.localdate(first) if first else None
