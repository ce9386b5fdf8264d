"""Public pages of the catalog (search, dataset, resource with preview, downloads), the DCAT
documents and the standard schemas. Only published datasets appear; files are served from here and
only while their dataset is published."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jichitai.core import params
from jichitai.core.decorators import public_view
from jichitai.core.files import private_file_response
from jichitai.opendata import dcat, selectors, services, standards
from jichitai.opendata.ckan import Context, resource_url
from jichitai.opendata.licenses import LICENSES
from jichitai.opendata.preview import table_preview
from jichitai.opendata.rating import openness_stars

PAGE_SIZE = 20
MAX_SEARCH_LENGTH = 200
MAX_VALUE_LENGTH = 200
FACET_LABELS = {
    "organization": _("団体"),
    "groups": _("分類"),
    "tags": _("タグ"),
    "res_format": _("形式"),
    "license_id": _("ライセンス"),
}


def _context(request) -> Context:
    return Context(base_url=request.build_absolute_uri("/").rstrip("/"), principal=None, files={})


@public_view
def catalog(request):
    def values(name: str) -> list[str]:
        return params.texts(
            request.GET.getlist(name),
            name=name,
            max_items=selectors.MAX_TERMS,
            max_length=MAX_VALUE_LENGTH,
            label=FACET_LABELS[name],
        )

    query = selectors.SearchQuery(
        text=params.words(
            request.GET.get("q"),
            name="q",
            max_length=MAX_SEARCH_LENGTH,
            max_words=selectors.MAX_TERMS,
            label=_("検索語"),
        ),
        organizations=values("organization"),
        groups=values("groups"),
        tags=values("tags"),
        formats=values("res_format"),
        licenses=values("license_id"),
        sort=params.text(
            request.GET.get("sort"), name="sort", max_length=MAX_VALUE_LENGTH, label=_("並び順")
        )
        or "score desc, metadata_modified desc",
        rows=PAGE_SIZE,
        facet_fields=selectors.FACET_FIELDS,
        facet_limit=15,
    )
    page_number = params.integer(
        request.GET.get("page"),
        name="page",
        label=_("ページ番号"),
        default=1,
        minimum=1,
        maximum=selectors.MAX_START // PAGE_SIZE,
    )
    query.start = (page_number - 1) * PAGE_SIZE
    result = selectors.search(query, visible=selectors.public_datasets())
    paginator = Paginator(range(result.count), PAGE_SIZE)
    page = paginator.get_page(page_number)
    active = {
        "organization": query.organizations,
        "groups": query.groups,
        "tags": query.tags,
        "res_format": query.formats,
        "license_id": query.licenses,
    }
    facets = [
        {
            "field": name,
            "label": FACET_LABELS[name],
            "items": [
                {"item": item, "active": item.name in active[name]} for item in result.facets[name]
            ],
        }
        for name in selectors.FACET_FIELDS
        if result.facets.get(name)
    ]
    return render(
        request,
        "opendata/public/catalog.html",
        {
            "result": result,
            "query": query,
            "facets": facets,
            "page": page,
            "active": [(name, value) for name, values in active.items() for value in values],
        },
    )


def _public_dataset(name: str):
    return selectors.dataset_by_name_or_id(selectors.public_datasets(), name)


@public_view
def dataset(request, name):
    found = _public_dataset(name)
    resources = selectors.resources_of(found)
    return render(
        request,
        "opendata/public/dataset.html",
        {
            "dataset": found,
            "resources": resources,
            "license": LICENSES.get(found.license_id),
            "stars": openness_stars(found.license_id, [r.format for r in resources]),
            "downloads": selectors.download_total(found),
        },
    )


@public_view
def resource(request, dataset_id, resource_id):
    found = selectors.resource_by_id(selectors.public_datasets(), resource_id)
    if found.dataset.ckan_id != dataset_id:
        raise Http404
    context = _context(request)
    return render(
        request,
        "opendata/public/resource.html",
        {
            "resource": found,
            "dataset": found.dataset,
            "preview": table_preview(found),
            "download_url": resource_url(found, context),
        },
    )


@public_view
def download(request, dataset_id, resource_id, filename):
    found = selectors.resource_by_id(selectors.public_datasets(), resource_id)
    if found.dataset.ckan_id != dataset_id or not found.is_upload:
        raise Http404
    services.record_download(resource=found)
    response = private_file_response(
        found.file, filename=found.filename, content_type=found.mimetype or None
    )
    # Published open data may be cached and fetched by any site (aggregators, browsers' fetch).
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@public_view
def catalog_rdf(request, extension):
    """The catalog in DCAT, paged as ckanext-dcat pages it (``?page=``, hydra links)."""
    page = params.integer(
        request.GET.get("page"), name="page", default=1, minimum=1, maximum=selectors.MAX_START
    )
    datasets, total = selectors.public_catalog_page(page, per_page=dcat.DATASETS_PER_PAGE)
    graph = dcat.catalog_graph(
        datasets,
        _context(request),
        publisher=selectors.catalog_publisher(),
        paging=dcat.Paging(page=page, total=total, path=request.path),
    )
    content, content_type = dcat.serialize(graph, extension)
    return HttpResponse(content, content_type=content_type)


@public_view
def dataset_rdf(request, name, extension):
    found = _public_dataset(name)
    content, content_type = dcat.serialize(dcat.dataset_graph(found, _context(request)), extension)
    return HttpResponse(content, content_type=content_type)


@public_view
def standard_list(request):
    return render(
        request,
        "opendata/public/standards.html",
        {"standards": [standard for _key, standard in standards.standard_datasets.items()]},
    )


@public_view
def standard_schema(request, key, layout):
    try:
        standard = standards.standard_datasets.get(key)
        found = standard.layouts[layout]
    except KeyError:  # an unknown standard (NotRegistered is a KeyError) or layout
        raise Http404 from None
    response = JsonResponse(found.schema, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@public_view
def group(request, name):
    found = selectors.group_by_name_or_id(name)
    return redirect(reverse("opendata_public:catalog") + f"?groups={found.name}")


@public_view
def organization(request, code):
    return redirect("portal:organization", org_code=code)
