"""The CKAN actions that read: the site's status, datasets and their search, resources,
organizations, groups, tags, licenses and each action's help. What they read comes from
``opendata.selectors``; the dictionaries from ``ckan.dicts``."""

from django.http import Http404

from jichitai.core import params
from jichitai.opendata import ckan_query, selectors
from jichitai.opendata.ckan.dicts import (
    group_dict,
    organization_dict,
    package_dict,
    package_dicts,
    resource_dict,
    tag_dict,
)
from jichitai.opendata.ckan.params import (
    CKAN_VERSION,
    MAX_FACET_FIELD_LENGTH,
    MAX_FACET_LIMIT,
    MAX_IDENTIFIER_LENGTH,
    MAX_LIST_LIMIT,
    MAX_SORT_LENGTH,
    Context,
    boolean,
    integer,
    listed,
    required,
)
from jichitai.opendata.licenses import LICENSES
from jichitai.opendata.registry import actions, ckan_action
from jichitai.tenancy import selectors as tenancy

# organization_show and group_show list at most this many datasets with include_datasets.
MAX_INCLUDED_DATASETS = 1000


@ckan_action("status_show")
def status_show(context: Context, data: dict) -> dict:
    """The site's CKAN version and identity."""
    return {
        "ckan_version": CKAN_VERSION,
        "site_title": "jichitai オープンデータカタログ",
        "site_description": "",
        "site_url": context.base_url,
        "error_emails_to": None,
        "locale_default": "ja",
        "extensions": ["jichitai"],
    }


@ckan_action("package_list")
def package_list(context: Context, data: dict) -> list[str]:
    """Names of the public datasets (``limit``, ``offset``)."""
    names = selectors.public_dataset_names()
    offset = integer(data, "offset", 0, maximum=selectors.MAX_START)
    if "limit" in data:
        return list(names[offset : offset + integer(data, "limit", 0, maximum=MAX_LIST_LIMIT)])
    return list(names[offset:])


@ckan_action("package_show")
def package_show(context: Context, data: dict) -> dict:
    """One dataset by ``id`` (its id or name)."""
    version = selectors.dataset_version(
        selectors.readable_datasets(context.organization), required(data, "id")
    )
    return package_dicts([version], context)[0]


@ckan_action("package_search")
def package_search(context: Context, data: dict) -> dict:
    """Search: ``q``, ``fq``, ``sort``, ``rows`` (≤ 1000), ``start``, ``facet.field``, ``facet.limit``,
    ``include_private``."""
    query = selectors.SearchQuery(
        sort=params.text(data.get("sort"), name="sort", max_length=MAX_SORT_LENGTH)
        or "score desc, metadata_modified desc",
        rows=integer(data, "rows", 10, maximum=selectors.MAX_ROWS, clamp=True),
        start=integer(data, "start", 0, maximum=selectors.MAX_START),
        facet_limit=integer(data, "facet.limit", 50, minimum=-1, maximum=MAX_FACET_LIMIT),
    )
    # Field terms inside q (``tags:防災``) filter like fq; the rest is free text.
    words = ckan_query.read_query(data.get("q"), parameter="q", query=query)
    ckan_query.read_query(data.get("fq"), parameter="fq", query=query, ranks=False)
    query.text = " ".join(words)
    fields = listed(
        params.text(data.get("facet.field"), name="facet.field", max_length=MAX_FACET_FIELD_LENGTH)
        if isinstance(data.get("facet.field"), str)
        else data.get("facet.field"),
        "facet.field",
    )
    if len(fields) > len(selectors.FACET_FIELDS):
        raise params.InvalidParameter(
            "facet.field", f"facet.field は {len(selectors.FACET_FIELDS)} 個までにしてください。"
        )
    query.facet_fields = tuple(str(f) for f in fields if str(f) in selectors.FACET_FIELDS)
    if boolean(data, "facet", True) is False:
        query.facet_fields = ()
    visible = (
        selectors.visible_datasets(context.organization)
        if boolean(data, "include_private")
        else selectors.public_datasets()
    )
    result = selectors.search(query, visible=visible)
    return {
        "count": result.count,
        "sort": query.sort,
        "results": package_dicts(result.page, context),
        "facets": {
            name: {item.name: item.count for item in items} for name, items in result.facets.items()
        },
        "search_facets": {
            name: {
                "title": name,
                "items": [
                    {"name": item.name, "display_name": item.display_name, "count": item.count}
                    for item in items
                ],
            }
            for name, items in result.facets.items()
        },
    }


@ckan_action("resource_show")
def resource_show(context: Context, data: dict) -> dict:
    resource = selectors.resource_by_id(
        selectors.visible_datasets(context.organization), required(data, "id")
    )
    return resource_dict(resource, context)


@ckan_action("organization_list")
def organization_list(context: Context, data: dict) -> list:
    organizations = tenancy.public_organizations().order_by("code")
    offset = integer(data, "offset", 0, maximum=selectors.MAX_START)
    limit = integer(data, "limit", MAX_LIST_LIMIT, maximum=MAX_LIST_LIMIT, clamp=True)
    organizations = organizations[offset : offset + limit]
    if not boolean(data, "all_fields"):
        return [org.code for org in organizations]
    counts = selectors.public_dataset_counts_by_organization()
    return [
        organization_dict(org, context, package_count=counts.get(org.pk, 0))
        for org in organizations
    ]


@ckan_action("organization_show")
def organization_show(context: Context, data: dict) -> dict:
    organization = tenancy.organization_by_code(required(data, "id"))
    datasets = selectors.public_datasets_of(organization)
    result = organization_dict(organization, context, package_count=datasets.count())
    if boolean(data, "include_datasets"):
        result["packages"] = _package_dicts(datasets, context)
    return result


def _package_dicts(datasets, context: Context) -> list[dict]:
    return [
        package_dict(d, context) for d in selectors.with_relations(datasets)[:MAX_INCLUDED_DATASETS]
    ]


@ckan_action("group_list")
def group_list(context: Context, data: dict) -> list:
    groups = selectors.groups()
    if not boolean(data, "all_fields"):
        return [group.name for group in groups]
    counts = selectors.public_dataset_counts_by_group()
    return [group_dict(g, context, package_count=counts.get(g.pk, 0)) for g in groups]


@ckan_action("group_show")
def group_show(context: Context, data: dict) -> dict:
    group = selectors.group_by_name_or_id(required(data, "id"))
    datasets = selectors.public_datasets_in_group(group)
    result = group_dict(group, context, package_count=datasets.count())
    if boolean(data, "include_datasets"):
        result["packages"] = _package_dicts(datasets, context)
    return result


@ckan_action("tag_list")
def tag_list(context: Context, data: dict) -> list:
    """Tags of public datasets (``query``, ``all_fields``); the catalog's tags belong to no
    vocabulary, so ``vocabulary_id`` lists none."""
    if data.get("vocabulary_id"):
        return []
    tags = selectors.public_tags(
        params.text(data.get("query"), name="query", max_length=MAX_IDENTIFIER_LENGTH)
    )
    if boolean(data, "all_fields"):
        return [tag_dict(t) for t in tags]
    return [tag.name for tag in tags]


@ckan_action("license_list")
def license_list(context: Context, data: dict) -> list:
    return [license.as_ckan() for license in LICENSES.values()]


@ckan_action("help_show")
def help_show(context: Context, data: dict) -> str:
    name = required(data, "name")
    if name not in actions:
        raise Http404
    return actions.get(name).help
