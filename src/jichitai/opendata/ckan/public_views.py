"""The CKAN Action API endpoint: ``/api/action/<name>`` and ``/api/3/action/<name>``.

Parses GET parameters, JSON bodies and multipart forms, authenticates the raw ``Authorization``
token, runs a writing action in one transaction and answers in CKAN's envelope with CKAN's status codes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from jichitai.accounts import services as accounts
from jichitai.accounts.selectors import principal_for_token
from jichitai.core import params
from jichitai.core.decorators import public_view
from jichitai.core.exports import in_the_platforms_language
from jichitai.opendata.ckan import Context, NotAuthorized
from jichitai.opendata.ckan import openapi as ckan_openapi
from jichitai.opendata.registry import actions

# A dataset with its resources and extras is a few levels deep; nothing CKAN sends goes further.
MAX_JSON_DEPTH = 16


def _answer(request, name: str, status: int, **body) -> JsonResponse:
    help_url = (
        request.build_absolute_uri(reverse("ckan:action_v3", kwargs={"name": "help_show"}))
        + f"?name={name}"
    )
    return JsonResponse(
        {"help": help_url, **body}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _error(request, name: str, status: int, error_type: str, **details) -> JsonResponse:
    return _answer(request, name, status, success=False, error={"__type": error_type, **details})


def _validation_error(request, name: str, error: ValidationError) -> JsonResponse:
    """CKAN's 409: the messages under the name of the field they concern."""
    details = (
        {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
        if hasattr(error, "error_dict")
        else {"message": " ".join(error.messages)}
    )
    return _answer(
        request, name, 409, success=False, error={"__type": "Validation Error", **details}
    )


def _parameters(request) -> dict:
    if request.method == "GET":
        return {key: request.GET.get(key) for key in request.GET}
    content_type = request.content_type or ""
    if content_type.startswith("multipart/") or content_type == "application/x-www-form-urlencoded":
        return {key: request.POST.get(key) for key in request.POST}
    if not request.body:
        return {}
    return params.json_object(request.body, max_depth=MAX_JSON_DEPTH)


def _invalid_parameter(request, name: str, error: params.InvalidParameter) -> JsonResponse:
    """CKAN's 400 for a query it cannot run, with the message under the parameter's name."""
    return _answer(
        request,
        name,
        400,
        success=False,
        error={"__type": "Validation Error", error.name: [error.message]},
    )


@public_view
def openapi(request):
    return JsonResponse(
        ckan_openapi.document(request.build_absolute_uri("/").rstrip("/")),
        json_dumps_params={"ensure_ascii": False},
    )


@csrf_exempt
@public_view
@in_the_platforms_language
def action(request, name: str):
    if name not in actions:
        return _error(
            request,
            name,
            400,
            "Bad Request",
            message=f"Bad request - Action name not known: {name}",
        )
    found = actions.get(name)
    if found.writes and request.method != "POST":
        return _error(
            request,
            name,
            400,
            "Bad Request",
            message="Bad request - JSON Error: Invalid request. Please use POST method for your request",
        )
    try:
        data = _parameters(request)
    except params.InvalidParameter as error:
        return _error(
            request, name, 400, "Bad Request", message=f"Bad request - JSON Error: {error}"
        )

    principal = None
    authorization = request.headers.get("Authorization", "")
    if authorization:
        principal = principal_for_token(authorization)
        if principal is None:
            return _error(
                request,
                name,
                403,
                "Authorization Error",
                message="Access denied: invalid API token",
            )
        accounts.touch_api_token(token=principal.token)

    context = Context(
        base_url=request.build_absolute_uri("/").rstrip("/"),
        principal=principal,
        files=request.FILES,
    )
    try:
        if found.writes:
            with transaction.atomic():
                result = found.run(context, data)
        else:
            result = found.run(context, data)
    except params.InvalidParameter as error:
        return _invalid_parameter(request, name, error)
    except ValidationError as error:
        return _validation_error(request, name, error)
    except Http404:
        return _error(request, name, 404, "Not Found Error", message="Not found")
    except NotAuthorized:
        return _error(request, name, 403, "Authorization Error", message="Access denied")
    return _answer(request, name, 200, success=True, result=result)
