"""Staff pages: the procedure catalog, the form builder, XLSForm import, the inbox and exports."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jichitai.audit import services as audit
from jichitai.core import params
from jichitai.core.exports import csv_response, export_csv, xlsx_response
from jichitai.core.files import private_file_response
from jichitai.core.forms import add_service_errors
from jichitai.core.uploads import UploadRejected, check_upload
from jichitai.procedures import exports, retention, selectors, services, xlsform
from jichitai.procedures.forms import (
    AssignForm,
    BulkStatusForm,
    CommentForm,
    FieldForm,
    InboxFilterForm,
    ProcedureForm,
    StatusForm,
    XLSFormUploadForm,
)
from jichitai.procedures.models import Application
from jichitai.procedures.registry import panels_for, staff_panels
from jichitai.tenancy.middleware import requires_role
from jichitai.tenancy.models import Role
from jichitai.tenancy.selectors import divisions_of

PAGE_SIZE = 50
# Rows chosen for one bulk status change: at most a page of the inbox.
MAX_BULK_SELECTION = PAGE_SIZE


def _procedure(request, procedure_id):
    procedure = selectors.procedure_of(request.tenant, procedure_id)
    if not selectors.visible_procedures(request.membership).filter(pk=procedure.pk).exists():
        raise Http404
    return procedure


@requires_role(Role.VIEWER)
def procedure_list(request, org_code):
    procedures = selectors.visible_procedures(request.membership)
    status = params.text(request.GET.get("status"), name="status", max_length=20, label="状態")
    if status:
        procedures = procedures.filter(status=status)
    return render(
        request,
        "procedures/staff/procedure_list.html",
        {"procedures": procedures, "status": status},
    )


@requires_role(Role.CLERK)
@require_http_methods(["GET", "POST"])
def procedure_create(request, org_code):
    form = ProcedureForm(
        request.POST or None,
        divisions=divisions_of(request.tenant),
        organization=request.tenant,
        initial={"division": request.membership.division},
    )
    if request.method == "POST" and form.is_valid():
        try:
            procedure = services.create_procedure(
                actor=request.user, organization=request.tenant, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("手続を登録しました。続けて申込フォームの項目を作成してください。")
            )
            return redirect("procedures:form_builder", org_code=org_code, procedure_id=procedure.pk)
    return render(request, "procedures/staff/procedure_form.html", {"form": form, "creating": True})


@requires_role(Role.VIEWER)
def procedure_detail(request, org_code, procedure_id):
    procedure = _procedure(request, procedure_id)
    counts = procedure.applications.values_list("status").order_by()
    by_status = {}
    for (status,) in counts:
        by_status[status] = by_status.get(status, 0) + 1
    return render(
        request,
        "procedures/staff/procedure_detail.html",
        {
            "procedure": procedure,
            "versions": procedure.versions.all(),
            "by_status": [(Application.Status(s).label, n) for s, n in by_status.items()],
            "unpublished_changes": procedure.current_version is None
            or procedure.current_version.fields != procedure.draft_fields,
        },
    )


@requires_role(Role.CLERK)
@require_http_methods(["GET", "POST"])
def procedure_edit(request, org_code, procedure_id):
    procedure = _procedure(request, procedure_id)
    form = ProcedureForm(
        request.POST or None,
        instance=procedure,
        divisions=divisions_of(request.tenant),
        organization=request.tenant,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_procedure(actor=request.user, procedure=procedure, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("手続の設定を保存しました。"))
            return redirect("procedures:detail", org_code=org_code, procedure_id=procedure.pk)
    return render(
        request, "procedures/staff/procedure_form.html", {"form": form, "procedure": procedure}
    )


@requires_role(Role.MANAGER)
@require_POST
def procedure_publish(request, org_code, procedure_id):
    procedure = _procedure(request, procedure_id)
    try:
        services.publish_procedure(actor=request.user, procedure=procedure)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("公開しました。"))
    return redirect("procedures:detail", org_code=org_code, procedure_id=procedure.pk)


@requires_role(Role.MANAGER)
@require_POST
def procedure_close(request, org_code, procedure_id):
    procedure = _procedure(request, procedure_id)
    services.close_procedure(actor=request.user, procedure=procedure)
    messages.success(request, _("受付を終了しました。"))
    return redirect("procedures:detail", org_code=org_code, procedure_id=procedure.pk)


# --- Form builder -------------------------------------------------------------------------------


@requires_role(Role.CLERK)
@require_http_methods(["GET", "POST"])
def form_builder(request, org_code, procedure_id):
    """Lists the questions with move/remove buttons and adds new ones; no JavaScript needed."""
    procedure = _procedure(request, procedure_id)
    fields = list(procedure.draft_fields)
    form = FieldForm(request.POST or None, earlier_fields=fields)
    if request.method == "POST":
        action = request.POST.get("action", "add")
        if action in {"up", "down", "remove"}:
            position = _position(request.POST.get("position"), fields)
            if action == "remove":
                fields.pop(position)
            else:
                target = position - 1 if action == "up" else position + 1
                if 0 <= target < len(fields):
                    fields[position], fields[target] = fields[target], fields[position]
            return _save_fields(request, procedure, fields, FieldForm(earlier_fields=fields))
        if form.is_valid():
            fields.append(form.to_spec({spec["name"] for spec in fields}))
            return _save_fields(request, procedure, fields, form)
    return render(
        request,
        "procedures/staff/form_builder.html",
        {"procedure": procedure, "fields": fields, "form": form},
    )


def _position(value, fields) -> int:
    try:
        position = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 <= position < len(fields):
        raise Http404
    return position


def _save_fields(request, procedure, fields, form):
    try:
        services.save_form_fields(actor=request.user, procedure=procedure, fields=fields)
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return render(
            request,
            "procedures/staff/form_builder.html",
            {"procedure": procedure, "fields": procedure.draft_fields, "form": form},
            status=422,
        )
    messages.success(request, _("項目を保存しました。公開すると申込フォームに反映されます。"))
    return redirect(
        "procedures:form_builder", org_code=request.tenant.code, procedure_id=procedure.pk
    )


@requires_role(Role.CLERK)
@require_http_methods(["GET", "POST"])
def field_edit(request, org_code, procedure_id, position):
    procedure = _procedure(request, procedure_id)
    fields = list(procedure.draft_fields)
    position = _position(position, fields)
    spec = fields[position]
    form = FieldForm(
        request.POST or None, initial=FieldForm.initial_from(spec), earlier_fields=fields[:position]
    )
    if request.method == "POST" and form.is_valid():
        fields[position] = form.to_spec({f["name"] for i, f in enumerate(fields) if i != position})
        return _save_fields(request, procedure, fields, form)
    return render(
        request,
        "procedures/staff/field_edit.html",
        {"procedure": procedure, "form": form, "spec": spec, "position": position},
    )


@requires_role(Role.CLERK)
@require_http_methods(["GET", "POST"])
# The workbook is read before any transaction: on SQLite a transaction holds the write lock, and
# reading may take seconds. The one write is save_form_fields, its own transaction.
@transaction.non_atomic_requests
def xlsform_upload(request, org_code, procedure_id):
    procedure = _procedure(request, procedure_id)
    form = XLSFormUploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            check_upload(form.cleaned_data["workbook"], allowed=["xlsx"], max_bytes=5 * 1024 * 1024)
            fields = xlsform.read_xlsform(form.cleaned_data["workbook"])
            services.save_form_fields(actor=request.user, procedure=procedure, fields=fields)
        except UploadRejected as rejection:
            form.add_error("workbook", rejection)
        except xlsform.XLSFormError as error:
            problems = error.problems
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                _("Excel から %(count)s 項目を読み込みました。内容を確認して公開してください。")
                % {"count": len(fields)},
            )
            return redirect("procedures:form_builder", org_code=org_code, procedure_id=procedure.pk)
    return render(
        request,
        "procedures/staff/xlsform_upload.html",
        {
            "procedure": procedure,
            "form": form,
            "problems": problems,
            "subset": xlsform.SUPPORTED_TYPES,
        },
        status=422 if problems or form.errors else 200,
    )


# --- フォームシェア ------------------------------------------------------------------------------


@requires_role(Role.CLERK)
def template_library(request, org_code):
    return render(
        request,
        "procedures/staff/template_library.html",
        {"templates": selectors.shared_templates()},
    )


@requires_role(Role.CLERK)
@require_POST
def template_copy(request, org_code, template_id):
    source = selectors.shared_template(template_id)
    division = request.membership.division or divisions_of(request.tenant).first()
    if division is None:
        messages.error(request, _("先に所属を登録してください。"))
        return redirect("procedures:templates", org_code=org_code)
    copy = services.copy_procedure(
        actor=request.user, source=source, organization=request.tenant, division=division
    )
    messages.success(
        request,
        _("「%(name)s」を複製しました。内容を確認してから公開してください。") % {"name": copy.name},
    )
    return redirect("procedures:detail", org_code=org_code, procedure_id=copy.pk)


# --- Inbox -----------------------------------------------------------------------------------------


@requires_role(Role.VIEWER)
@require_http_methods(["GET", "POST"])
def inbox(request, org_code):
    membership = request.membership
    procedures = selectors.visible_procedures(membership)
    filters = InboxFilterForm(request.GET or None, procedures=procedures)
    criteria = {
        k: v
        for k, v in (
            filters.cleaned_data.items() if filters.is_bound and filters.is_valid() else []
        )
        if v
    }
    applications = selectors.applications_of(membership, **criteria)
    bulk = BulkStatusForm(request.POST or None)
    if request.method == "POST":
        if not membership.has_role(Role.CLERK):
            raise Http404
        chosen = applications.filter(
            pk__in=params.integers(
                request.POST.getlist("selected"),
                name="selected",
                label="選択した申請",
                max_items=MAX_BULK_SELECTION,
            )
        )
        if not chosen.exists():
            messages.error(request, _("まとめて変更する申請を選んでください。"))
        elif bulk.is_valid():
            changed, skipped = services.bulk_change_status(
                actor=request.user,
                applications=list(chosen),
                to_status=bulk.cleaned_data["to_status"],
                message=bulk.cleaned_data["message"],
            )
            messages.success(request, _("%(count)s 件の状態を変更しました。") % {"count": changed})
            if skipped:
                messages.warning(
                    request, _("変更できなかった申請: %(list)s") % {"list": "、".join(skipped)}
                )
            return redirect(request.get_full_path())
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "procedures/staff/inbox.html",
        {"filters": filters, "page": page, "bulk": bulk, "query": query.urlencode()},
    )


@requires_role(Role.VIEWER)
def application_detail(request, org_code, application_id):
    application = selectors.application_of(request.membership, application_id)
    audit.record_read(
        actor=request.user,
        organization=request.tenant,
        target=application,
        summary="申請内容を閲覧",
    )
    return _detail(request, application)


def _detail(
    request, application, *, status_form=None, comment_form=None, assign_form=None, status=200
):
    allowed = sorted(
        services.TRANSITIONS[Application.Status(application.status)],
        key=lambda s: list(Application.Status).index(s),
    )
    staff = get_user_model().objects.filter(
        memberships__organization=request.tenant, memberships__is_active=True
    )
    context = {
        "application": application,
        "rows": selectors.display_rows(application),
        "files": application.files.all(),
        "events": application.events.select_related("actor"),
        "status_form": status_form or StatusForm(allowed=allowed),
        "comment_form": comment_form or CommentForm(),
        "assign_form": assign_form
        or AssignForm(staff=staff, initial={"assignee": application.assigned_to}),
        "can_act": request.membership.has_role(Role.CLERK),
        "panels": panels_for(staff_panels, request, application),
    }
    return render(request, "procedures/staff/application_detail.html", context, status=status)


@requires_role(Role.CLERK)
@require_POST
def application_status(request, org_code, application_id):
    application = selectors.application_of(request.membership, application_id)
    allowed = services.TRANSITIONS[Application.Status(application.status)]
    form = StatusForm(request.POST, allowed=allowed)
    if form.is_valid():
        try:
            services.change_status(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("状態を変更し、申請者に通知しました。"))
            return redirect(
                "procedures:application", org_code=org_code, application_id=application.pk
            )
    return _detail(request, application, status_form=form, status=422)


@requires_role(Role.CLERK)
@require_POST
def application_comment(request, org_code, application_id):
    application = selectors.application_of(request.membership, application_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.add_comment(
            actor=request.user, application=application, text=form.cleaned_data["text"]
        )
        return redirect("procedures:application", org_code=org_code, application_id=application.pk)
    return _detail(request, application, comment_form=form, status=422)


@requires_role(Role.CLERK)
@require_POST
def application_assign(request, org_code, application_id):
    application = selectors.application_of(request.membership, application_id)
    staff = get_user_model().objects.filter(
        memberships__organization=request.tenant, memberships__is_active=True
    )
    form = AssignForm(request.POST, staff=staff)
    if form.is_valid():
        services.assign(
            actor=request.user, application=application, assignee=form.cleaned_data["assignee"]
        )
        return redirect("procedures:application", org_code=org_code, application_id=application.pk)
    return _detail(request, application, assign_form=form, status=422)


@requires_role(Role.VIEWER)
def application_file(request, org_code, application_id, file_id):
    application = selectors.application_of(request.membership, application_id)
    stored = application.files.filter(pk=file_id).first()
    if stored is None:
        raise Http404
    audit.record_read(
        actor=request.user,
        organization=request.tenant,
        target=application,
        summary=f"添付ファイル {stored.original_name} を閲覧",
    )
    return private_file_response(
        stored.file, filename=stored.original_name, content_type=stored.content_type
    )


# --- Exports and results ----------------------------------------------------------------------------


@requires_role(Role.CLERK)
def procedure_export(request, org_code, procedure_id):
    procedure = _procedure(request, procedure_id)
    kind = request.GET.get("format", "csv")
    applications = selectors.applications_of(request.membership, procedure=procedure).order_by(
        "submitted_at", "id"
    )
    header, rows = exports.application_table(procedure, applications)
    audit.record(
        "procedures.applications.exported",
        actor=request.user,
        target=procedure,
        summary=f"{kind} {len(rows)}件",
        kind="read",
    )
    base = f"{procedure.name}_{procedure.pk}"
    if kind == "xlsx":
        return xlsx_response(exports.workbook(procedure, header, rows), f"{base}.xlsx")
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


@requires_role(Role.MANAGER)
def application_export(request, org_code, application_id):
    """One application's data, e.g. to hand to the applicant before erasing it on request."""
    application = selectors.application_of(request.membership, application_id)
    header, rows = exports.application_table(application.procedure, [application])
    audit.record(
        "procedures.application.exported", actor=request.user, target=application, kind="read"
    )
    return csv_response(export_csv(header, rows), f"{application.receipt_number}.csv")


@requires_role(Role.MANAGER)
@require_POST
def application_purge(request, org_code, application_id):
    application = selectors.application_of(request.membership, application_id)
    reason = request.POST.get("reason", "").strip()
    if request.POST.get("confirm") != "yes" or not reason:
        messages.error(request, _("削除の理由を入力し、確認のチェックを入れてください。"))
    else:
        retention.purge_application(
            actor=request.user, application=application, reason=reason[:200]
        )
        messages.success(request, _("この申請の個人情報を削除しました。件数の集計には残ります。"))
    return redirect("procedures:application", org_code=org_code, application_id=application.pk)
