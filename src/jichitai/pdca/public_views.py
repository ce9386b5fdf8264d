"""Public plan pages: progress per action, indicator charts with targets, budgets planned vs
executed and a timeline per 年度, with the same data as JSON and CSV (UTF-8 with BOM) for reuse as
open data."""

from django.http import JsonResponse
from django.shortcuts import render

from jichitai.core.decorators import public_view
from jichitai.core.exports import csv_response, export_csv, in_the_platforms_language
from jichitai.pdca import public
from jichitai.pdca.charts import has_figures, responsive_svg
from jichitai.tenancy.selectors import organization_by_code


@public_view
def plan_list(request, org_code):
    organization = organization_by_code(org_code)
    return render(
        request,
        "pdca/public/plan_list.html",
        {"organization": organization, "plans": public.plan_summaries(organization)},
    )


@public_view
def plan_page(request, org_code, slug):
    organization = organization_by_code(org_code)
    data = public.public_plan_data(public.published_plan(organization, slug))
    charts = [
        responsive_svg(
            item["chart"], title=item["name"], unit=item["unit"], decimals=item["decimals"]
        )
        if has_figures(item["chart"])
        else ""
        for item in data["indicators"]
    ]
    return render(
        request,
        "pdca/public/plan.html",
        {
            "organization": organization,
            "data": data,
            "indicators": list(zip(data["indicators"], charts, strict=True)),
        },
    )


# The plan's JSON and CSV files are open data: the same file for every reader.
open_plan_data = in_the_platforms_language(public.public_plan_data)


@public_view
def plan_json(request, org_code, slug):
    organization = organization_by_code(org_code)
    data = open_plan_data(public.published_plan(organization, slug))
    for item in data["indicators"]:
        del item["chart"]
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@public_view
def indicators_csv(request, org_code, slug):
    organization = organization_by_code(org_code)
    data = open_plan_data(public.published_plan(organization, slug))
    header = ["計画", "指標", "区分", "年度", "目標値", "実績値", "単位", "自動計測"]
    rows = [
        [
            data["plan"]["name"],
            item["name"],
            item["kind"],
            year["label"],
            year["target"],
            year["actual"],
            item["unit"],
            "はい" if year["measured"] else "",
        ]
        for item in data["indicators"]
        for year in item["years"]
    ]
    return csv_response(export_csv(header, rows), f"{slug}-indicators.csv")


@public_view
def budgets_csv(request, org_code, slug):
    """The plan's budget per 年度, planned and executed (千円), counted as on the page."""
    organization = organization_by_code(org_code)
    data = open_plan_data(public.published_plan(organization, slug))
    header = ["計画", "年度", "予算額(千円)", "執行額(千円)", "執行率(%)"]
    rows = [
        [data["plan"]["name"], row["label"], row["planned"], row["executed"], row["rate"]]
        for row in data["budgets"]
    ]
    return csv_response(export_csv(header, rows), f"{slug}-budgets.csv")
