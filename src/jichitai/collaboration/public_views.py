"""The public page of figures across a prefecture's 市町, and the same table as CSV/JSON."""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from jichitai.collaboration import peers
from jichitai.core import japanese
from jichitai.core.decorators import public_view
from jichitai.core.exports import csv_response, export_csv
from jichitai.tenancy.selectors import organization_by_code


def _prefecture_and_year(request, org_code):
    prefecture = organization_by_code(org_code)
    if not prefecture.is_prefecture:
        raise Http404
    asked = request.GET.get("year", "")
    try:
        fiscal_year = int(asked) if asked.strip().isdigit() else japanese.parse_fiscal_year(asked)
    except ValueError:
        fiscal_year = japanese.fiscal_year(timezone.localdate())
    if not 2000 <= fiscal_year <= 2100:
        raise Http404
    return prefecture, fiscal_year


@public_view
def peer_figures(request, org_code):
    prefecture, fiscal_year = _prefecture_and_year(request, org_code)
    return render(
        request,
        "collaboration/public_figures.html",
        {
            "organization": prefecture,
            "fiscal_year": fiscal_year,
            "table": peers.peer_table(prefecture, fiscal_year),
            "threshold": peers.SUPPRESSION_THRESHOLD,
        },
    )


@public_view
def peer_figures_data(request, org_code, fmt):
    prefecture, fiscal_year = _prefecture_and_year(request, org_code)
    header, rows = peers.open_data_rows(prefecture, fiscal_year)
    name = f"{prefecture.code}_municipal_figures_{fiscal_year}"
    if fmt == "csv":
        return csv_response(export_csv(header, rows), f"{name}.csv")
    if fmt == "json":
        return JsonResponse(
            {"fields": header, "rows": rows},
            json_dumps_params={"ensure_ascii": False},
        )
    raise Http404
