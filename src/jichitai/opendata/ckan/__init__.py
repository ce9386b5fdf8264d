"""The CKAN Action API: the actions CKAN clients and harvesters call, with CKAN's dictionaries.

Each action is a plain function ``action(context, data) -> result`` registered in
``opendata.registry.actions`` by ``@ckan_action`` in ``read.py`` and ``read_lists.py`` (reading) or ``write.py``
(writing); ``params.py`` holds the ``Context`` and the parameter bounds, ``dicts.py`` builds CKAN's
dictionaries. The view in ``ckan.public_views`` parses the request, runs the action (a writing one in one
transaction) and wraps the result in CKAN's envelope. Actions raise ``ValidationError`` (CKAN's
409), ``Http404`` (404) or ``NotAuthorized`` (403)."""

from jichitai.opendata.ckan import read, read_lists, validation, write  # noqa: F401  (the actions register themselves)
from jichitai.opendata.ckan.dicts import package_dict, resource_url
from jichitai.opendata.ckan.params import (
    CKAN_VERSION,
    MAX_FACET_FIELD_LENGTH,
    MAX_FACET_LIMIT,
    MAX_IDENTIFIER_LENGTH,
    MAX_LIST_LIMIT,
    MAX_QUERY_LENGTH,
    MAX_QUERY_TERMS,
    MAX_SORT_LENGTH,
    Context,
    NotAuthorized,
)

__all__ = [
    "CKAN_VERSION",
    "MAX_FACET_FIELD_LENGTH",
    "MAX_FACET_LIMIT",
    "MAX_IDENTIFIER_LENGTH",
    "MAX_LIST_LIMIT",
    "MAX_QUERY_LENGTH",
    "MAX_QUERY_TERMS",
    "MAX_SORT_LENGTH",
    "Context",
    "NotAuthorized",
    "package_dict",
    "resource_url",
]
