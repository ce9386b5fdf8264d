from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jichitai.automation import selectors, services
from jichitai.automation.forms import (
    LedgerLineForm,
    ResolveForm,
    RunForm,
    ScenarioSourceForm,
    ScheduleForm,
    SecretForm,
)
from jichitai.automation.models import Run
from jichitai.automation.services import scheduling
from jichitai.automation.steps import steps
from jichitai.core import params
from jichitai.core.exports import (
    csv_response,
    export_csv,
    export_xlsx,
    in_the_platforms_language,
    xlsx_response,
)
from jichitai.core.files import private_file_response
from jichitai.core.forms import add_service_errors
from jichitai.core.japanese import fiscal_year as fiscal_year_of
from jichitai.tenancy.middleware import requires_role
from jichitai.tenancy.models import Role


@requires_role(Role.VIEWER)
def home(request, org_code):
    scenarios = selectors.scenarios_of(request.tenant)
    return render(
        request,
        "automation/home.html",
        {
            "scenarios": scenarios,
            "shipped": selectors.shipped_templates(request.tenant),
            "queue_count": selectors.work_queue_count(request.tenant),
            "runs": selectors.runs_of(request.tenant)[:10],
        },
    )


def _step_library():
    return [
        (
            name,
            _(entry.label),
            entry.effect if isinstance(entry.effect, str) else "remote / external",
        )
        for name, entry in steps.items()
    ]


@requires_role(Role.CLERK)
@require_http_methods(["GET", "POST"])
def scenario_add(request, org_code):
    template = selectors.shipped_template(request.tenant, request.GET.get("from", ""))
    initial = template.source if template else ""
    form = ScenarioSourceForm(request.POST or None, initial={"source": initial})
    if request.method == "POST" and form.is_valid():
        try:
            scenario = services.create_scenario(
                actor=request.user, organization=request.tenant, source=form.cleaned_data["source"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("シナリオを登録しました。計画(ドライラン)で内容を確認し、承認を受けてください。"),
            )
            return redirect("automation:scenario", org_code=org_code, scenario_id=scenario.pk)
    return render(
        request, "automation/scenario_form.html", {"form": form, "library": _step_library()}
    )


@requires_role(Role.VIEWER)
def scenario_detail(request, org_code, scenario_id):
    return _scenario_page(request, selectors.scenario_of(request.tenant, scenario_id))


def _scenario_page(request, scenario, *, form=None, schedule_form=None, status=200):
    """The scenario's page; a run or a schedule refused comes back in it, with what was typed."""
    version = scenario.current_version
    if version and form is None:
        form = RunForm(definition=version.definition, organization=request.tenant)
    if version and schedule_form is None:
        schedule_form = ScheduleForm(
            definition=version.definition, organization=request.tenant, prefix="schedule"
        )
    return render(
        request,
        "automation/scenario_detail.html",
        {
            "scenario": scenario,
            "version": version,
            "versions": selectors.versions_of(scenario),
            "form": form,
            "runs": selectors.runs_of(request.tenant, scenario=scenario)[:20],
            "can_approve": request.membership.has_role(Role.MANAGER),
            "schedules": selectors.schedules_with_inputs(version) if version else [],
            "changes": selectors.changes_to_approve(version) if version else None,
            "planned": bool(version) and selectors.was_planned(version),
            "schedule_form": schedule_form,
        },
        status=status,
    )


@requires_role(Role.CLERK)
@require_http_methods(["GET", "POST"])
def scenario_edit(request, org_code, scenario_id):
    scenario = selectors.scenario_of(request.tenant, scenario_id)
    form = ScenarioSourceForm(
        request.POST or None, initial={"source": scenario.current_version.source}
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.new_version(
                actor=request.user, scenario=scenario, source=form.cleaned_data["source"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("第%(number)s版として保存しました。本番実行の前に承認が必要です。")
                % {"number": version.number},
            )
            return redirect("automation:scenario", org_code=org_code, scenario_id=scenario.pk)
    return render(
        request,
        "automation/scenario_form.html",
        {"form": form, "scenario": scenario, "library": _step_library()},
    )


@requires_role(Role.MANAGER)
@require_POST
def version_approve(request, org_code, scenario_id, version_id):
    scenario = selectors.scenario_of(request.tenant, scenario_id)
    version = selectors.version_of(scenario, version_id)
    try:
        services.approve_version(actor=request.user, membership=request.membership, version=version)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("第%(number)s版を承認しました。本番実行できます。") % {"number": version.number},
        )
    return redirect("automation:scenario", org_code=org_code, scenario_id=scenario.pk)


@requires_role(Role.CLERK)
@require_POST
def run_start(request, org_code, scenario_id):
    scenario = selectors.scenario_of(request.tenant, scenario_id)
    version = scenario.current_version
    form = RunForm(
        request.POST, request.FILES, definition=version.definition, organization=request.tenant
    )
    mode = Run.Mode.APPLY if request.POST.get("mode") == "apply" else Run.Mode.PLAN
    if form.is_valid():
        try:
            run = services.start_run(
                actor=request.user,
                scenario=scenario,
                mode=mode,
                values=form.values(),
                files=form.uploads,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("automation:run", org_code=org_code, run_id=run.pk)
    return _scenario_page(request, scenario, form=form, status=400)


@requires_role(Role.VIEWER)
def run_detail(request, org_code, run_id):
    run = selectors.run_of(request.tenant, run_id)
    return render(
        request,
        "automation/run_detail.html",
        {
            "run": run,
            "items": selectors.items_of(run),
            "files": selectors.files_of(run),
            "job": run.job,
        },
    )


@requires_role(Role.VIEWER)
def run_file(request, org_code, run_id, output_id):
    run = selectors.run_of(request.tenant, run_id)
    output = selectors.file_of(run, output_id)
    return private_file_response(output.file, filename=output.name)


@requires_role(Role.VIEWER)
def item_screenshot(request, org_code, item_id):
    item = selectors.item_of(request.tenant, item_id)
    if not item.screenshot:
        raise Http404
    return private_file_response(
        item.screenshot, filename=f"screenshot-{item.pk}.png", content_type="image/png", inline=True
    )


@requires_role(Role.VIEWER)
def work_queue(request, org_code):
    return _queue_page(request)


def _queue_page(request, *, refused=None, status=200):
    """The work queue; an item's record refused comes back under it, with what was typed."""
    items = selectors.work_queue(request.tenant)
    forms = {item.pk: ResolveForm(prefix=f"item-{item.pk}") for item in items}
    if refused is not None:
        item, form = refused
        if item.pk in forms:
            forms[item.pk] = form
        else:  # handled meanwhile by someone else: nothing left to show it under
            for error in form.non_field_errors():
                messages.error(request, error)
    return render(
        request,
        "automation/queue.html",
        {"items": [(item, forms[item.pk]) for item in items]},
        status=status,
    )


@requires_role(Role.CLERK)
@require_POST
def item_resolve(request, org_code, item_id):
    item = selectors.item_of(request.tenant, item_id)
    form = ResolveForm(request.POST, prefix=f"item-{item.pk}")
    if form.is_valid():
        try:
            services.resolve_item(
                actor=request.user,
                item=item,
                resolution=form.cleaned_data["resolution"],
                release=form.cleaned_data["outcome"] == "release",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("対応内容を記録しました。"))
            return redirect("automation:queue", org_code=org_code)
    return _queue_page(request, refused=(item, form), status=400)


def _number(value):
    from decimal import Decimal

    return float(value) if isinstance(value, Decimal) else value


@in_the_platforms_language
def _effect_rows(effect):
    header = [
        _("所属"),
        _("業務"),
        _("件数"),
        _("導入前(時間)"),
        _("導入後(時間)"),
        _("削減(時間)"),
        _("削減率(%)"),
    ]
    rows = [
        [
            t["division"],
            t["task"],
            t["items"],
            t["before"],
            t["after"],
            t["reduction"],
            t["reduction_percent"],
        ]
        for t in effect["tasks"]
    ]
    total = effect["total"]
    rows.append(
        [
            _("合計"),
            f"{total['tasks']} 業務",
            "",
            total["before"],
            total["after"],
            total["reduction"],
            total["reduction_percent"],
        ]
    )
    return header, rows


@in_the_platforms_language
def _effect_workbook(effect, header: list, rows: list) -> bytes:
    division_rows = [
        [d["division"], d["before"], d["after"], d["reduction"], d["reduction_percent"]]
        for d in effect["divisions"]
    ]
    return export_xlsx(
        {
            _("業務別"): (header, [[_number(value) for value in row] for row in rows]),
            _("所属別"): ([header[0], *header[3:]], division_rows),
        }
    )


@requires_role(Role.VIEWER)
def ledger(request, org_code):
    years = selectors.ledger_years(request.tenant)
    current = fiscal_year_of(timezone.localdate())
    year = params.fiscal_year(request.GET.get("year"), default=years[0] if years else current)
    effect = selectors.effect_by_fiscal_year(request.tenant, year)
    fmt = request.GET.get("format", "")
    if fmt:
        header, rows = _effect_rows(effect)
        name = f"rpa-effect-{year}"
        if fmt == "csv":
            return csv_response(export_csv(header, rows), f"{name}.csv")
        if fmt == "csv-sjis":
            return csv_response(export_csv(header, rows, encoding="cp932"), f"{name}-sjis.csv")
        if fmt == "xlsx":
            return xlsx_response(_effect_workbook(effect, header, rows), f"{name}.xlsx")
        raise Http404
    form = (
        LedgerLineForm(initial={"fiscal_year": year})
        if request.membership.has_role(Role.MANAGER)
        else None
    )
    return render(
        request,
        "automation/ledger.html",
        {
            "effect": effect,
            "year": year,
            "years": sorted(set(years) | {current}, reverse=True),
            "form": form,
        },
    )


@requires_role(Role.MANAGER)
@require_POST
def ledger_add(request, org_code):
    form = LedgerLineForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_ledger_line(actor=request.user, organization=request.tenant, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("効果台帳に記録しました。"))
            url = reverse("automation:ledger", kwargs={"org_code": org_code})
            return redirect(f"{url}?year={data['fiscal_year']}")
    year = form.cleaned_data.get("fiscal_year") if hasattr(form, "cleaned_data") else None
    year = year or fiscal_year_of(timezone.localdate())
    return render(
        request,
        "automation/ledger.html",
        {
            "effect": selectors.effect_by_fiscal_year(request.tenant, year),
            "year": year,
            "years": [year],
            "form": form,
        },
        status=400,
    )


@requires_role(Role.MANAGER)
@require_http_methods(["GET", "POST"])
def secret_list(request, org_code):
    form = SecretForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_secret(
                actor=request.user, organization=request.tenant, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("秘密情報「%(name)s」を保存しました。") % {"name": form.cleaned_data["name"]},
            )
            return redirect("automation:secrets", org_code=org_code)
    return render(
        request,
        "automation/secrets.html",
        {"secrets": selectors.secrets_of(request.tenant), "form": form},
    )


@requires_role(Role.MANAGER)
@require_http_methods(["GET", "POST"])
def secret_delete(request, org_code, secret_id):
    """Says which scenarios log in with the secret, and deletes it once confirmed."""
    secret = selectors.secret_of(request.tenant, secret_id)
    if request.method == "POST":
        services.delete_secret(actor=request.user, secret=secret)
        messages.success(request, _("秘密情報「%(name)s」を削除しました。") % {"name": secret.name})
        return redirect("automation:secrets", org_code=org_code)
    return render(
        request,
        "automation/secret_delete.html",
        {"secret": secret, "scenarios": selectors.scenarios_using(secret)},
    )


@requires_role(Role.CLERK)
@require_POST
def schedule_request(request, org_code, scenario_id):
    scenario = selectors.scenario_of(request.tenant, scenario_id)
    form = ScheduleForm(
        request.POST,
        definition=scenario.current_version.definition,
        organization=request.tenant,
        prefix="schedule",
    )
    if form.is_valid():
        try:
            scheduling.request_schedule(
                actor=request.user,
                scenario=scenario,
                cron=form.cleaned_data["cron"],
                values=form.values(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "定期実行を登録しました。別の職員(所属長・推進担当以上)が有効にすると実行されます。"
                ),
            )
            return redirect("automation:scenario", org_code=org_code, scenario_id=scenario.pk)
    return _scenario_page(request, scenario, schedule_form=form, status=400)


@requires_role(Role.MANAGER)
@require_POST
def schedule_enable(request, org_code, schedule_id):
    schedule = selectors.schedule_of(request.tenant, schedule_id)
    try:
        scheduling.enable_schedule(
            actor=request.user, membership=request.membership, schedule=schedule
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("定期実行を有効にしました。"))
    return redirect("automation:scenario", org_code=org_code, scenario_id=schedule.scenario_id)


@requires_role(Role.CLERK)
@require_POST
def schedule_delete(request, org_code, schedule_id):
    schedule = selectors.schedule_of(request.tenant, schedule_id)
    try:
        scheduling.disable_schedule(
            actor=request.user, membership=request.membership, schedule=schedule
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("定期実行を削除しました。"))
    return redirect("automation:scenario", org_code=org_code, scenario_id=schedule.scenario_id)
