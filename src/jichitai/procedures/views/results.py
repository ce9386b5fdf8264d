"""A procedure's applications as CSV / XLSX and its survey results."""

from django.shortcuts import render

from jichitai.audit import services as audit
from jichitai.core.exports import csv_response, export_csv, xlsx_response
from jichitai.procedures import exports, selectors
from jichitai.procedures.views.catalog import _procedure
from jichitai.tenancy.middleware import requires_role
from jichitai.tenancy.models import Role


@requires_role(Role.CLERK)
def procedure_export(request, org_code, procedure_id):
    procedure = _procedure(request, procedure_id)
    kind = request.GET.get("format", "csv")
    applications = selectors.applications_for_export(request.membership, procedure)
    audit.record(
        action="procedures.applications.exported",
        actor=request.user,
        target=procedure,
        summary=f"{kind} {len(applications)}件",
        kind="read",
    )
    base = f"{procedure.name}_{procedure.pk}"
    if kind == "xlsx":
        return xlsx_response(exports.workbook(procedure, applications), f"{base}.xlsx")
    header, rows = exports.application_table(procedure, applications)
    encoding = "cp932" if kind == "csv-sjis" else "utf-8-sig"
    export = export_csv(header, rows, encoding=encoding)
    if export.unencodable and request.GET.get("download") != "1":
        # Shift_JIS cannot hold every character: the clerk sees which and where before choosing
        # to download it with 〓 in their place, or the UTF-8 file instead.
        return render(
            request,
            "procedures/staff/export_report.html",
            {
                "procedure": procedure,
                "problems": export.unencodable[:500],
                "problem_count": len(export.unencodable),
            },
        )
    return csv_response(export, f"{base}{'_sjis' if encoding == 'cp932' else ''}.csv")


@requires_role(Role.VIEWER)
def procedure_results(request, org_code, procedure_id):
    procedure = _procedure(request, procedure_id)
    return render(
        request,
        "procedures/staff/results.html",
        {"procedure": procedure, "tally": selectors.survey_tally(procedure)},
    )
