"""What a CKAN action receives: the ``Context`` of the request and the parameters, read within the
bounds the OpenAPI document (``ckan.openapi``) publishes. A parameter out of bounds raises
``core.params.InvalidParameter`` (CKAN's 400)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from jichitai.core import params
from jichitai.opendata import ckan_query
from jichitai.tenancy.models import Organization

CKAN_VERSION = "2.10.5"
MAX_QUERY_LENGTH = ckan_query.MAX_QUERY_LENGTH
MAX_QUERY_TERMS = ckan_query.MAX_QUERY_TERMS
MAX_SORT_LENGTH = 200
MAX_FACET_LIMIT = 1000
MAX_LIST_LIMIT = 1000
MAX_IDENTIFIER_LENGTH = 200
MAX_FACET_FIELD_LENGTH = 500
# A list parameter holds names or small objects (a resource, an extra): two levels suffice.
MAX_LIST_DEPTH = 4


class NotAuthorized(Exception):
    pass


@dataclass
class Context:
    base_url: str  # scheme://host, no trailing slash
    principal: object | None  # accounts.selectors.ApiPrincipal
    files: dict  # uploaded files of a multipart request

    @property
    def organization(self) -> Organization | None:
        return self.principal.organization if self.principal else None

    def absolute(self, path: str) -> str:
        return self.base_url + path


def required(data: dict, name: str) -> str:
    value = data.get(name)
    if value in (None, ""):
        raise ValidationError({name: ["Missing value"]})
    return params.text(str(value), name=name, max_length=MAX_IDENTIFIER_LENGTH)


def integer(
    data: dict, name: str, default: int, *, minimum: int = 0, maximum: int, clamp: bool = False
) -> int:
    return params.integer(
        data.get(name), name=name, default=default, minimum=minimum, maximum=maximum, clamp=clamp
    )


def boolean(data: dict, name: str, default: bool = False) -> bool:
    value = data.get(name, default)
    if isinstance(value, bool):
        return value
    return str(value).lower() in {"true", "1", "yes", "on"}


def listed(value, name: str) -> list:
    """CKAN's list parameters: a JSON list (in a JSON body, or as text in a query string) or a single
    value."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        try:
            parsed = params.json_value(value, name=name, max_depth=MAX_LIST_DEPTH)
        except params.InvalidParameter:
            return [value]
        return parsed if isinstance(parsed, list) else [parsed]
    return value if isinstance(value, list) else [value]
