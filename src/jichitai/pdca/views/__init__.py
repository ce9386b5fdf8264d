"""Staff pages of plans and KPIs."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jichitai.core import japanese
from jichitai.core.exports import xlsx_response
from jichitai.core.files import content_disposition
from jichitai.core.forms import add_service_errors
from jichitai.core.templatetags.japanese import nendo
from jichitai.core.uploads import UploadRejected, check_upload
from jichitai.pdca import budgets, municipal_plans, reports, selectors, services, workbook
from jichitai.pdca.charts import has_figures, responsive_svg
from jichitai.pdca.forms import (
    ActionYearForm,
    ExecutedBudgetsForm,
    IndicatorYearForm,
    MetricBindingForm,
    PlanCreateForm,
    WorkbookForm,
)
from jichitai.pdca.models import ReportSnapshot
from jichitai.tenancy.middleware import requires_role
from jichitai.tenancy.models import Role


def _file(content: bytes, name: str, fmt: str) -> HttpResponse:
    if fmt == "xlsx":
        return xlsx_response(content, f"{name}.xlsx")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"{name}.pdf", inline=True)
    return response


@requires_role(Role.VIEWER)
def plan_list(request, org_code):
    plans = selectors.plans_of(request.tenant)
    fiscal_year = japanese.fiscal_year(timezone.localdate())
    overview = (
        municipal_plans.overview(request.tenant, fiscal_year)
        if request.tenant.kind == "prefecture"
        else None
    )
    return render(
        request,
        "pdca/plan_list.html",
        {
            "plans": plans,
            "meetings": selectors.meetings_of(request.tenant),
            "fiscal_year": fiscal_year,
            "municipal_plans": overview,
            "municipal_totals": municipal_plans.overview_totals(overview) if overview else None,
        },
    )


@require_http_methods(["GET", "POST"])
@requires_role(Role.MANAGER)
def plan_create(request, org_code):
    form = PlanCreateForm(
        request.POST or None, copyable=municipal_plans.copyable_plans(request.tenant)
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(
                actor=request.user, organization=request.tenant, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("計画を作成しました。"))
            return redirect("pdca:plan", org_code=org_code, plan_id=plan.pk)
    return render(
        request,
        "pdca/plan_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@requires_role(Role.VIEWER)
def plan_detail(request, org_code, plan_id):
    return _plan_page(request, selectors.plan_of(request.tenant, plan_id))


def _plan_page(request, plan, *, workbook_form=None, status=200):
    """The plan's page; a workbook refused comes back in it, the reason beside the file field."""
    indicators = [
        {
            **summary,
            "svg": responsive_svg(
                summary["points"],
                title=summary["indicator"].name,
                unit=summary["indicator"].unit,
                decimals=summary["indicator"].decimals,
            )
            if has_figures(summary["points"])
            else "",
        }
        for summary in selectors.indicator_summaries(plan)
    ]
    context = {
        "plan": plan,
        "indicators": indicators,
        "nodes": selectors.top_nodes(plan),
        "locked": selectors.locked_years(plan),
        "years": [(year, nendo(year)) for year in plan.fiscal_years],
        "snapshots": selectors.snapshots_of(plan)[:10],
        "budget_lists": budgets.budget_lists(plan),
        "project_years": selectors.project_fiscal_years(plan),
        "workbook_form": workbook_form or WorkbookForm(),
    }
    return render(request, "pdca/plan_detail.html", context, status=status)


@requires_role(Role.VIEWER)
@require_http_methods(["GET", "POST"])
def indicator_edit(request, org_code, plan_id, indicator_id, binding=None):
    """The indicator's figures per 年度 and its live-metric binding (``binding``: the binding
    form as ``indicator_bind`` refused it)."""
    plan = selectors.plan_of(request.tenant, plan_id)
    indicator = selectors.indicator_of(plan, indicator_id)
    rows = selectors.indicator_years_by_year(indicator)
    locked = selectors.locked_years(plan)
    can_edit = request.membership.has_role(Role.CLERK)
    forms = []
    for year in plan.fiscal_years:
        row = rows.get(year)
        initial = (
            {
                "target": row.target,
                "actual": row.actual,
                "rationale": row.rationale,
                "override": row.override,
                "override_comment": row.override_comment,
            }
            if row
            else {}
        )
        bound = request.method == "POST" and request.POST.get("fiscal_year") == str(year)
        form = IndicatorYearForm(
            request.POST if bound else None, initial=initial, prefix=f"y{year}"
        )
        if bound:
            if not can_edit:
                raise Http404
            if form.is_valid():
                try:
                    services.set_indicator_year(
                        actor=request.user,
                        indicator=indicator,
                        fiscal_year=year,
                        **form.cleaned_data,
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(
                        request,
                        _("%(year)sの値を保存しました。") % {"year": nendo(year)},
                    )
                    return redirect(
                        "pdca:indicator",
                        org_code=org_code,
                        plan_id=plan.pk,
                        indicator_id=indicator.pk,
                    )
        forms.append(
            {
                "year": year,
                "label": nendo(year),
                "form": form,
                "locked": year in locked,
                "row": row,
            }
        )
    context = {
        "plan": plan,
        "indicator": indicator,
        "metric": selectors.bound_metric(indicator),
        "conditions": selectors.binding_conditions(indicator),
        "unset": selectors.unset_conditions(indicator),
        "forms": forms,
        "binding": binding or MetricBindingForm(organization=request.tenant, indicator=indicator),
        "rows": selectors.indicator_rows(indicator),
        "can_edit": can_edit,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "pdca/indicator_edit.html", context, status=status)


@requires_role(Role.MANAGER)
@require_POST
def indicator_bind(request, org_code, plan_id, indicator_id):
    plan = selectors.plan_of(request.tenant, plan_id)
    indicator = selectors.indicator_of(plan, indicator_id)
    form = MetricBindingForm(request.POST, organization=request.tenant)
    if form.is_valid():
        try:
            services.bind_metric(
                actor=request.user,
                indicator=indicator,
                metric_name=form.cleaned_data["metric_name"],
                parameters=form.parameters(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("自動計測の設定を保存しました。"))
            return redirect(
                "pdca:indicator", org_code=org_code, plan_id=plan.pk, indicator_id=indicator.pk
            )
    # Refused: the indicator's page again, with the choice and the reason beside it.
    return indicator_edit(request, org_code, plan_id, indicator_id, binding=form)


@requires_role(Role.VIEWER)
@require_http_methods(["GET", "POST"])
def action_edit(request, org_code, plan_id, action_id):
    plan = selectors.plan_of(request.tenant, plan_id)
    action = selectors.action_of(plan, action_id)
    rows = selectors.action_years_by_year(action)
    locked = selectors.locked_years(plan)
    forms = []
    for year in plan.fiscal_years:
        row = rows.get(year)
        bound = request.method == "POST" and request.POST.get("fiscal_year") == str(year)
        form = ActionYearForm(
            request.POST if bound else None,
            initial={
                "schedule": row.schedule,
                "status_text": row.status_text,
                "progress": row.progress,
            }
            if row
            else {},
            prefix=f"y{year}",
        )
        if bound:
            if not request.membership.has_role(Role.CLERK):
                raise Http404
            if form.is_valid():
                try:
                    services.set_action_year(
                        actor=request.user, action=action, fiscal_year=year, **form.cleaned_data
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(request, _("保存しました。"))
                    return redirect(
                        "pdca:action", org_code=org_code, plan_id=plan.pk, action_id=action.pk
                    )
        forms.append(
            {
                "year": year,
                "label": nendo(year),
                "form": form,
                "locked": year in locked,
            }
        )
    return render(
        request,
        "pdca/action_edit.html",
        {"plan": plan, "action": action, "forms": forms},
        status=422 if request.method == "POST" else 200,
    )


@requires_role(Role.MANAGER)
@require_POST
def year_lock(request, org_code, plan_id, fiscal_year, action):
    plan = selectors.plan_of(request.tenant, plan_id)
    if fiscal_year not in plan.fiscal_years:
        raise Http404
    if action == "lock":
        services.lock_year(actor=request.user, plan=plan, fiscal_year=fiscal_year)
        messages.success(
            request,
            _("%(year)sを締め切りました。") % {"year": nendo(fiscal_year)},
        )
    elif action == "reopen":
        services.reopen_year(
            actor=request.user, membership=request.membership, plan=plan, fiscal_year=fiscal_year
        )
        messages.success(
            request,
            _("%(year)sを再開しました。") % {"year": nendo(fiscal_year)},
        )
    else:
        raise Http404
    return redirect("pdca:plan", org_code=org_code, plan_id=plan.pk)


@requires_role(Role.VIEWER)
def report_preview(request, org_code, plan_id, kind, fiscal_year, fmt):
    """The report as the data stands now (not yet published)."""
    plan = selectors.plan_of(request.tenant, plan_id)
    if (
        kind not in ReportSnapshot.Kind.values
        or fmt not in {"pdf", "xlsx"}
        or fiscal_year not in plan.fiscal_years
    ):
        raise Http404
    data = selectors.report_data(plan, kind, fiscal_year)
    render_ = reports.pdf if fmt == "pdf" else reports.xlsx
    return _file(
        render_(data),
        f"{plan.name}_{japanese.fiscal_year_label(fiscal_year)}_{ReportSnapshot.Kind(kind).label}(案)",
        fmt,
    )


@requires_role(Role.VIEWER)
def snapshot_download(request, org_code, plan_id, snapshot_id, fmt):
    plan = selectors.plan_of(request.tenant, plan_id)
    snapshot = selectors.snapshot_of(plan, snapshot_id)
    if fmt not in {"pdf", "xlsx"}:
        raise Http404
    render_ = reports.pdf if fmt == "pdf" else reports.xlsx
    return _file(
        render_(snapshot.data),
        f"{plan.name}_{japanese.fiscal_year_label(snapshot.fiscal_year)}_{snapshot.get_kind_display()}",
        fmt,
    )


@requires_role(Role.MANAGER)
@require_POST
def report_publish(request, org_code, plan_id, kind, fiscal_year):
    plan = selectors.plan_of(request.tenant, plan_id)
    if kind not in ReportSnapshot.Kind.values or fiscal_year not in plan.fiscal_years:
        raise Http404
    services.publish_report(actor=request.user, plan=plan, kind=kind, fiscal_year=fiscal_year)
    messages.success(
        request, _("公開しました。以後の編集は、次に公開するまでこの版に反映されません。")
    )
    return redirect("pdca:plan", org_code=org_code, plan_id=plan.pk)


@requires_role(Role.VIEWER)
def workbook_export(request, org_code, plan_id):
    plan = selectors.plan_of(request.tenant, plan_id)
    return xlsx_response(workbook.export_workbook(plan), f"{plan.slug}.xlsx")


@requires_role(Role.CLERK)
@require_POST
def workbook_import(request, org_code, plan_id):
    plan = selectors.plan_of(request.tenant, plan_id)
    form = WorkbookForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["workbook"]
        try:
            checked = check_upload(upload, allowed=["xlsx"], max_bytes=10 * 1024 * 1024)
        except UploadRejected as rejection:
            form.add_error("workbook", rejection)
        else:
            try:
                batch = services.preview_import(
                    actor=request.user, plan=plan, file_name=checked.name, data=upload.read()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect(
                    "pdca:import", org_code=org_code, plan_id=plan.pk, import_id=batch.pk
                )
    return _plan_page(request, plan, workbook_form=form, status=400)


@requires_role(Role.CLERK)
@require_http_methods(["GET", "POST"])
def import_preview(request, org_code, plan_id, import_id):
    plan = selectors.plan_of(request.tenant, plan_id)
    batch = selectors.import_batch_of(request.tenant, plan, import_id)
    if request.method == "POST":
        try:
            job = services.confirm_import(actor=request.user, batch=batch)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            return redirect("jobs:job", org_code=org_code, job_id=job.pk)
    changed = sum(row["status"] != "unchanged" for row in batch.rows)
    return render(
        request, "pdca/import_preview.html", {"plan": plan, "batch": batch, "changed": changed}
    )


@requires_role(Role.VIEWER)
def budget_list(request, org_code, plan_id, fiscal_year):
    plan = selectors.plan_of(request.tenant, plan_id)
    if fiscal_year not in budgets.budget_list_years(plan):
        raise Http404
    return render(
        request,
        "pdca/budget_list.html",
        {"plan": plan, "budget_list": budgets.budget_list(plan, fiscal_year)},
    )


@requires_role(Role.CLERK)
@require_http_methods(["GET", "POST"])
def executed_budgets(request, org_code, plan_id, fiscal_year):
    """The executed amount (千円) of each project of a 年度, all saved in one go."""
    plan = selectors.plan_of(request.tenant, plan_id)
    rows = list(budgets.counted_rows(plan, fiscal_year))
    if not rows:
        raise Http404
    locked = fiscal_year in selectors.locked_years(plan)
    form = ExecutedBudgetsForm(request.POST or None, rows=rows)
    if request.method == "POST" and not locked and form.is_valid():
        try:
            changed = services.set_executed_budgets(
                actor=request.user, plan=plan, fiscal_year=fiscal_year, amounts=form.amounts()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(year)sの執行額を保存しました(変更 %(count)s 件)。")
                % {"year": nendo(fiscal_year), "count": changed},
            )
            return redirect(
                "pdca:executed_budgets", org_code=org_code, plan_id=plan.pk, fiscal_year=fiscal_year
            )
    return render(
        request,
        "pdca/executed_budgets.html",
        {
            "plan": plan,
            "form": form,
            "fiscal_year": fiscal_year,
            "locked": locked,
            "planned": sum(row.budget or 0 for row in rows),
            "executed": sum(row.executed or 0 for row in rows),
        },
        status=422 if request.method == "POST" else 200,
    )


@requires_role(Role.VIEWER)
def meeting_list(request, org_code):
    return render(
        request, "pdca/meetings.html", {"meetings": selectors.meeting_summaries(request.tenant)}
    )
