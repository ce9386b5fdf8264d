"""The form builder (no JavaScript needed) and XLSForm import."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jichitai.core.uploads import UploadRejected, check_upload
from jichitai.procedures import services, xlsform
from jichitai.procedures.forms import (
    FieldForm,
    XLSFormUploadForm,
)
from jichitai.procedures.views.catalog import _procedure
from jichitai.tenancy.middleware import requires_role
from jichitai.tenancy.models import Role


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
        fields[position] = form.to_spec(
            {f["name"] for i, f in enumerate(fields) if i != position}, previous=spec
        )
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
            check_upload(
                form.cleaned_data["workbook"], allowed=["xlsx", "xls"], max_bytes=xlsform.MAX_BYTES
            )
            imported = xlsform.read_xlsform(form.cleaned_data["workbook"])
            fields = imported.fields
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
            for warning in imported.warnings:
                messages.warning(request, warning)
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
