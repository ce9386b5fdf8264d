"""The framework's floor for bench-submit: the production settings with one URL and no middleware,
whose view validates the same JSON with the product's validator (the published form read once per
process) and inserts one row through the ORM, in autocommit; for bench-opendata, a view that
returns one cached JSON document. Served by gunicorn with the same
options as the product; this module is both the settings module and the URLconf.

Not part of the product: it exists so that the submission rate can be read against what Django
itself reaches on the same machine at the same moment.
"""

import json
import os
from functools import cache

from django.http import HttpResponse, JsonResponse
from django.urls import path

from jichitai.settings.production import *  # noqa: F403

ROOT_URLCONF = __name__
MIDDLEWARE: list[str] = []
TABLE = "bench_minimal"


@cache
def _form(procedure_id: int):
    from jichitai.procedures.models import Procedure

    version = Procedure.objects.select_related("current_version").get(pk=procedure_id)
    return version.current_version.fields, version.current_version.schema


@cache
def _row_model():
    from django.db import models

    class Row(models.Model):
        payload = models.JSONField()
        created = models.DateTimeField(auto_now_add=True)

        class Meta:
            app_label = "core"
            db_table = TABLE
            managed = False

        def __str__(self) -> str:
            return f"row {self.pk}"

    return Row


def submit(request, procedure_id: int) -> HttpResponse:
    from jichitai.procedures.validation import validate_application_data

    fields, schema = _form(procedure_id)
    data = json.loads(request.body)
    cleaned, errors = validate_application_data(fields, schema, data, reject_unknown=True)
    if errors:
        return JsonResponse({"errors": errors}, status=422)
    row = _row_model().objects.create(payload=cleaned)
    return JsonResponse({"id": row.pk}, status=201)


def cached_document(request) -> HttpResponse:
    """One JSON document (a copy of a package_show answer, from the file BENCH_DOCUMENT names),
    from the cache the product uses: the floor of bench-opendata's reads."""
    from django.core.cache import cache

    document = cache.get("bench:document")
    if document is None:
        with open(os.environ["BENCH_DOCUMENT"], "rb") as handle:
            document = handle.read()
        cache.set("bench:document", document, timeout=None)
    return HttpResponse(document, content_type="application/json")


def healthz(request) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [
    path("minimal/<int:procedure_id>", submit),
    path("minimal/document", cached_document),
    path("healthz", healthz),
]
