"""The form builder (no JavaScript needed) and XLSForm import."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from jichitai.core.exports import xlsx_response
from jichitai.core.uploads import UploadRejected
from jichitai.procedures import pages, selectors, services, xlsform
from jichitai.procedures.builder_forms import JumpForm
from jichitai.procedures.forms import (
    FieldForm,
    XLSFormUploadForm,
)
from jichitai.procedures.rendering import widgets
from jichitai.procedures.translations import form_languages, html_lang, translate
from jichitai.procedures.views.catalog import _procedure
from jichitai.procedures.xlsform_export import write_xlsform
from jichitai.tenancy.middleware import requires_role
from jichitai.tenancy.models import Role


@requires_role(Role.CLERK)
@require_http_methods(["GET", "POST"])
def form_builder(request, org_code, procedure_id):
    """Lists the questions with move/remove buttons, adds new ones and writes page jumps; no
    JavaScript needed."""
    procedure = _procedure(request, procedure_id)
    fields = list(procedure.draft_fields)
    action = request.POST.get("action", "add") if request.method == "POST" else None
    form = FieldForm(request.POST if action == "add" else None, earlier_fields=fields)
    jump_form = JumpForm(request.POST if action == "jump" else None, fields=fields)
    if action in {"up", "down", "remove"}:
        position = _position(request.POST.get("position"), fields)
        refusal = _refusal(action, fields[position])
        if action == "remove":
            fields.pop(position)
        else:
            target = position - 1 if action == "up" else position + 1
            if 0 <= target < len(fields):
                fields[position], fields[target] = fields[target], fields[position]
        return _save_fields(request, procedure, fields, form, refusal=refusal)
    if action == "add" and form.is_valid():
        fields.append(form.to_spec({spec["name"] for spec in fields}))
        return _save_fields(request, procedure, fields, form)
    if action == "jump" and jump_form.is_valid():
        jumped = pages.with_jump(
            fields,
            source=jump_form.cleaned_data["source"],
            target=jump_form.cleaned_data["target_page"],
            condition=jump_form.cleaned_data["condition"],
        )
        return _save_fields(request, procedure, jumped, form, jump_form=jump_form)
    return _builder_page(
        request,
        procedure,
        fields,
        form,
        jump_form,
        status=422 if form.errors or jump_form.errors else 200,
    )


def _builder_page(
    request, procedure, fields, form, jump_form, *, status, list_errors=(), refusal=""
):
    return render(
        request,
        "procedures/staff/form_builder.html",
        {
            "procedure": procedure,
            "fields": fields,
            "form": form,
            "jump_form": jump_form,
            "page_count": len(pages.split(fields)),
            # Why a move or a removal was refused, above the list it was asked from.
            "list_errors": list_errors,
            "refusal": refusal,
        },
        status=status,
    )


def _position(value, fields) -> int:
    try:
        position = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 <= position < len(fields):
        raise Http404
    return position


# What the builder says before the problems of a move or removal it refused: the problems number
# the questions as they would stand after the change, not as the page shows them.
_REFUSALS = {
    "up": gettext_lazy(
        "「%(label)s」を上へ移動すると、次の問題が起きます(番号は移動後の並びです)。"
    ),
    "down": gettext_lazy(
        "「%(label)s」を下へ移動すると、次の問題が起きます(番号は移動後の並びです)。"
    ),
    "remove": gettext_lazy(
        "「%(label)s」を削除すると、次の問題が起きます(番号は削除後の並びです)。"
    ),
}


def _refusal(action: str, spec) -> str:
    return _REFUSALS[action] % {"label": spec.get("label") or spec["name"]}


def _save_fields(request, procedure, fields, form, *, jump_form=None, refusal=""):
    """Saves the question list; ``refusal`` (a move or removal) shows its problems in the list's
    alert rather than on the form for adding a question."""
    try:
        services.save_form_fields(actor=request.user, procedure=procedure, fields=fields)
    except ValidationError as error:
        if not refusal:
            for message in error.messages:
                (jump_form or form).add_error(None, message)
        jump_form = jump_form or JumpForm(fields=procedure.draft_fields)
        return _builder_page(
            request,
            procedure,
            procedure.draft_fields,
            FieldForm(earlier_fields=procedure.draft_fields) if refusal else form,
            jump_form,
            status=422,
            list_errors=error.messages if refusal else (),
            refusal=refusal,
        )
    messages.success(request, _("項目を保存しました。公開すると申込フォームに反映されます。"))
    return redirect(
        "procedures:form_builder", org_code=request.tenant.code, procedure_id=procedure.pk
    )


@requires_role(Role.CLERK)
@require_http_methods(["GET"])
def xlsform_download(request, org_code, procedure_id):
    """The form being edited as an XLSForm workbook, which the import reads back the same."""
    procedure = _procedure(request, procedure_id)
    return xlsx_response(
        write_xlsform(list(procedure.draft_fields)), f"{procedure.name}_{procedure.pk}_xlsform.xlsx"
    )


@requires_role(Role.CLERK)
@require_http_methods(["GET"])
def form_preview(request, org_code, procedure_id):
    """The form being edited as a resident sees it, in each of its languages, in a phone-wide
    frame, page after page (each page with its condition); nothing can be sent from it."""
    procedure = _procedure(request, procedure_id)
    fields = list(procedure.draft_fields)
    languages = form_languages(fields)
    language = request.GET.get("lang", "ja")
    if language not in dict(languages):
        language = "ja"
    shown = translate(fields, language)
    form_pages = pages.split(shown)
    preview_pages = [
        {
            "number": page.number,
            # The page field itself shows the page's title and condition.
            "questions": widgets(
                shown, {}, {}, only=page.names | {page.marker["name"] if page.marker else ""}
            ),
        }
        for page in form_pages
    ]
    return render(
        request,
        "procedures/staff/form_preview.html",
        {
            "procedure": procedure,
            "preview_pages": preview_pages,
            "page_count": len(form_pages),
            "languages": languages,
            "language": language,
            "html_lang": html_lang(language),
        },
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
        status=422 if form.errors else 200,
    )


@requires_role(Role.CLERK)
@require_http_methods(["GET", "POST"])
def xlsform_upload(request, org_code, procedure_id):
    """Keeps the workbook and queues its reading; the import page shows the outcome."""
    procedure = _procedure(request, procedure_id)
    form = XLSFormUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            form_import = services.start_form_import(
                actor=request.user, procedure=procedure, upload=form.cleaned_data["workbook"]
            )
        except UploadRejected as rejection:
            form.add_error("workbook", rejection)
        else:
            return redirect(
                "procedures:xlsform_import",
                org_code=org_code,
                procedure_id=procedure.pk,
                form_import_id=form_import.pk,
            )
    return render(
        request,
        "procedures/staff/xlsform_upload.html",
        {"procedure": procedure, "form": form, "subset": xlsform.SUPPORTED_TYPES},
        status=422 if form.errors else 200,
    )


@requires_role(Role.CLERK)
@require_http_methods(["GET", "POST"])
def xlsform_import(request, org_code, procedure_id, form_import_id):
    """The outcome of reading a workbook: refused rows, or warnings to accept before the fields
    replace the form being edited."""
    procedure = _procedure(request, procedure_id)
    form_import = selectors.form_import(request.tenant, procedure, form_import_id)
    if request.method == "POST":
        try:
            services.accept_form_import(actor=request.user, form_import=form_import)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Excel から %(count)s 項目を読み込みました。内容を確認して公開してください。")
                % {"count": len(form_import.fields)},
            )
            return redirect("procedures:form_builder", org_code=org_code, procedure_id=procedure.pk)
    return render(
        request,
        "procedures/staff/xlsform_import.html",
        {"procedure": procedure, "form_import": form_import},
        status=422 if form_import.status == form_import.Status.REFUSED else 200,
    )
