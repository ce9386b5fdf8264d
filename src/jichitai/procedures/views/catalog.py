"""Staff pages of the procedure catalog: list, create, settings, publish and close; フォームシェア."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jichitai.core import params
from jichitai.core.forms import add_service_errors
from jichitai.procedures import selectors, services
from jichitai.procedures.forms import (
    ProcedureForm,
)
from jichitai.tenancy.middleware import requires_role
from jichitai.tenancy.models import Role
from jichitai.tenancy.selectors import divisions_of


def _procedure(request, procedure_id):
    return selectors.visible_procedure(request.membership, procedure_id)


@requires_role(Role.VIEWER)
def procedure_list(request, org_code):
    status = params.text(request.GET.get("status"), name="status", max_length=20, label=_("状態"))
    procedures = selectors.visible_procedures(request.membership, status=status)
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
    return render(
        request,
        "procedures/staff/procedure_detail.html",
        {
            "procedure": procedure,
            "versions": selectors.form_versions_of(procedure),
            "by_status": selectors.count_by_status(procedure),
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


@requires_role(Role.CLERK)
def template_library(request, org_code):
    return render(
        request,
        "procedures/staff/template_library.html",
        {"templates": selectors.shared_templates(request.tenant)},
    )


@requires_role(Role.CLERK)
@require_POST
def template_copy(request, org_code, template_id):
    source = selectors.shared_template(request.tenant, template_id)
    division = selectors.default_division(request.membership)
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
