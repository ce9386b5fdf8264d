"""The further CKAN reading actions harvesters and tools call besides search: ckanext-harvest's CKAN
harvester, ckanext-dcat and ``ckanapi dump/load`` (whole lists with resources, tags and their
vocabularies, the API's own user, autocompletion, a group's datasets). The catalog has no tag
vocabularies, activity streams, resource views or collaborators: those actions answer CKAN's
empty answer, so a client walking them sees what a CKAN site without them shows."""

from django.http import Http404

from jichitai.core import params
from jichitai.opendata import ckan_selectors, selectors
from jichitai.opendata.ckan.dicts import (
    organization_dict,
    package_dicts,
    resource_dict,
    tag_dict,
)
from jichitai.opendata.ckan.params import (
    MAX_IDENTIFIER_LENGTH,
    MAX_LIST_LIMIT,
    Context,
    boolean,
    integer,
    required,
)
from jichitai.opendata.registry import ckan_action
from jichitai.tenancy import selectors as tenancy

# CKAN's autocomplete actions answer at most this many names.
AUTOCOMPLETE_LIMIT = 10


def _query_text(data: dict, name: str = "q") -> str:
    return params.text(data.get(name), name=name, max_length=MAX_IDENTIFIER_LENGTH) or ""


@ckan_action("site_read")
def site_read(context: Context, data: dict) -> bool:
    """Whether the site may be read: always."""
    return True


@ckan_action("current_package_list_with_resources")
def current_package_list_with_resources(context: Context, data: dict) -> list[dict]:
    """The public datasets with their resources, most recently changed first (``limit``,
    ``offset``; ``page`` as CKAN's older clients send it)."""
    limit = integer(data, "limit", MAX_LIST_LIMIT, minimum=1, maximum=MAX_LIST_LIMIT, clamp=True)
    offset = integer(data, "offset", 0, maximum=selectors.MAX_START)
    if "page" in data:
        offset = (integer(data, "page", 1, minimum=1, maximum=selectors.MAX_START) - 1) * limit
    return package_dicts(
        ckan_selectors.public_dataset_versions(offset=offset, limit=limit), context
    )


@ckan_action("tag_show")
def tag_show(context: Context, data: dict) -> dict:
    """One tag by ``id`` (its id or name); ``include_datasets`` adds its public datasets."""
    tag = ckan_selectors.public_tag(required(data, "id"))
    result = tag_dict(tag)
    if boolean(data, "include_datasets"):
        datasets = ckan_selectors.public_datasets_with_tag(tag)
        versions = ckan_selectors.dataset_versions(datasets)[:MAX_LIST_LIMIT]
        result["packages"] = package_dicts(list(versions), context)
    return result


def _no_vocabulary(data: dict) -> bool:
    """The catalog's tags belong to no vocabulary: a named one holds none of them."""
    return bool(data.get("vocabulary_id"))


@ckan_action("tag_search")
def tag_search(context: Context, data: dict) -> dict:
    """Tags whose name contains ``query`` (or ``q``), with ``limit`` and ``offset``."""
    if _no_vocabulary(data):
        return {"count": 0, "results": []}
    tags = selectors.public_tags(_query_text(data, "query") or _query_text(data))
    offset = integer(data, "offset", 0, maximum=selectors.MAX_START)
    limit = integer(data, "limit", 10, maximum=MAX_LIST_LIMIT, clamp=True)
    return {"count": tags.count(), "results": [tag_dict(t) for t in tags[offset : offset + limit]]}


@ckan_action("tag_autocomplete")
def tag_autocomplete(context: Context, data: dict) -> list[str]:
    if _no_vocabulary(data):
        return []
    text = _query_text(data, "query") or _query_text(data)
    limit = integer(data, "limit", AUTOCOMPLETE_LIMIT, minimum=1, maximum=100, clamp=True)
    return list(selectors.public_tags(text).values_list("name", flat=True)[:limit]) if text else []


@ckan_action("vocabulary_list")
def vocabulary_list(context: Context, data: dict) -> list:
    """The catalog keeps its tags free, outside any vocabulary."""
    return []


@ckan_action("vocabulary_show")
def vocabulary_show(context: Context, data: dict) -> dict:
    required(data, "id")
    raise Http404


@ckan_action("user_show")
def user_show(context: Context, data: dict) -> dict:
    """The API's own user (the token's holder); other people's accounts are not published."""
    principal = context.principal
    wanted = required(data, "id")
    if principal is None or wanted not in (principal.user.get_username(), str(principal.user.pk)):
        raise Http404
    user = principal.user
    return {
        "id": str(user.pk),
        "name": user.get_username(),
        "fullname": user.get_full_name() or user.get_username(),
        "display_name": user.get_full_name() or user.get_username(),
        "about": "",
        "created": None,
        "state": "active",
        "sysadmin": False,
        "email_hash": "",
        "image_display_url": "",
        "number_created_packages": 0,
        "organization": principal.organization.code,
        "capacity": {"admin": "admin", "manager": "editor"}.get(principal.role, "member"),
    }


@ckan_action("organization_list_for_user")
def organization_list_for_user(context: Context, data: dict) -> list[dict]:
    """The organization the token acts for (none for an anonymous caller)."""
    if context.organization is None:
        return []
    return [organization_dict(context.organization, context)]


@ckan_action("group_list_authz")
def group_list_authz(context: Context, data: dict) -> list:
    """Groups the caller may add datasets to: groups are kept by the site's operators."""
    return []


@ckan_action("package_autocomplete")
def package_autocomplete(context: Context, data: dict) -> list[dict]:
    text = _query_text(data)
    limit = integer(data, "limit", AUTOCOMPLETE_LIMIT, minimum=1, maximum=100, clamp=True)
    if not text:
        return []
    return [
        {"name": name, "title": title, "match_field": "title", "match_displayed": title}
        for name, title in ckan_selectors.public_dataset_titles_containing(text, limit=limit)
    ]


@ckan_action("format_autocomplete")
def format_autocomplete(context: Context, data: dict) -> list[str]:
    text = _query_text(data)
    limit = integer(data, "limit", 5, minimum=1, maximum=100, clamp=True)
    return ckan_selectors.public_formats_containing(text, limit=limit) if text else []


@ckan_action("organization_autocomplete")
def organization_autocomplete(context: Context, data: dict) -> list[dict]:
    text = _query_text(data)
    limit = integer(data, "limit", 20, minimum=1, maximum=100, clamp=True)
    if not text:
        return []
    organizations = ckan_selectors.organizations_containing(text, limit=limit)
    return [{"id": o.code, "name": o.code, "title": o.name} for o in organizations]


@ckan_action("group_autocomplete")
def group_autocomplete(context: Context, data: dict) -> list[dict]:
    text = _query_text(data)
    limit = integer(data, "limit", 20, minimum=1, maximum=100, clamp=True)
    if not text:
        return []
    found = ckan_selectors.groups_containing(text, limit=limit)
    return [{"id": str(g.ckan_id), "name": g.name, "title": g.title} for g in found]


@ckan_action("group_package_show")
def group_package_show(context: Context, data: dict) -> list[dict]:
    """The public datasets of a group (``id``), most recently changed first (``limit``)."""
    group = selectors.group_by_name_or_id(required(data, "id"))
    limit = integer(data, "limit", MAX_LIST_LIMIT, minimum=1, maximum=MAX_LIST_LIMIT, clamp=True)
    versions = ckan_selectors.dataset_versions(selectors.public_datasets_in_group(group))[:limit]
    return package_dicts(list(versions), context)


@ckan_action("member_list")
def member_list(context: Context, data: dict) -> list[tuple]:
    """The datasets of a group or organization as CKAN's (id, "package", capacity) triples
    (``object_type`` "package"; people are not published)."""
    identifier = required(data, "id")
    if data.get("object_type", "package") != "package":
        return []
    try:
        datasets = selectors.public_datasets_in_group(selectors.group_by_name_or_id(identifier))
    except Http404:
        datasets = selectors.public_datasets_of(tenancy.organization_by_code(identifier))
    return [(str(ckan_id), "package", "public") for ckan_id in ckan_selectors.ckan_ids(datasets)]


@ckan_action("resource_search")
def resource_search(context: Context, data: dict) -> dict:
    """Resources of public datasets whose ``field:term`` matches (``query``: ``name:一覧``,
    ``format:CSV``, ``description:…``), with ``limit`` and ``offset``."""
    terms = data.get("query") or []
    if isinstance(terms, str):
        terms = [terms]
    conditions = []
    for term in terms[:10]:
        field, _sep, value = params.text(
            str(term), name="query", max_length=MAX_IDENTIFIER_LENGTH
        ).partition(":")
        if field not in ckan_selectors.RESOURCE_SEARCH_FIELDS or not value:
            raise params.InvalidParameter(
                "query", f"「{term}」は name・format・description:語 の形で指定してください。"
            )
        conditions.append((field, value))
    offset = integer(data, "offset", 0, maximum=selectors.MAX_START)
    limit = integer(data, "limit", 100, maximum=MAX_LIST_LIMIT, clamp=True)
    resources = ckan_selectors.public_resources_matching(conditions)
    return {
        "count": resources.count(),
        "results": [resource_dict(r, context) for r in resources[offset : offset + limit]],
    }


def _empty_list(name: str, doc: str):
    def action(context: Context, data: dict) -> list:
        return []

    action.__doc__ = doc
    ckan_action(name)(action)


for _name, _doc in (
    ("resource_view_list", "The catalog has no resource views."),
    ("package_collaborator_list", "The catalog has no dataset collaborators."),
    ("package_relationships_list", "The catalog keeps no relationships between datasets."),
    ("package_activity_list", "The catalog keeps no activity stream (the audit log is internal)."),
    ("organization_activity_list", "The catalog keeps no activity stream."),
    ("group_activity_list", "The catalog keeps no activity stream."),
    ("recently_changed_packages_activity_list", "The catalog keeps no activity stream."),
):
    _empty_list(_name, _doc)


@ckan_action("config_option_show")
def config_option_show(context: Context, data: dict) -> str | None:
    """The site's public settings CKAN clients ask for."""
    key = required(data, "key")
    known = {"ckan.site_title": "jichitai オープンデータカタログ", "ckan.locale_default": "ja"}
    if key not in known:
        raise Http404
    return known[key]
