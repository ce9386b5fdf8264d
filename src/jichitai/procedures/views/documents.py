"""Staff pages: issue an application's document, open it, the procedure's document template
and the organization's 公印."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jichitai.audit import services as audit
from jichitai.core.files import private_file_response
from jichitai.core.forms import add_service_errors
from jichitai.procedures import selectors
from jichitai.procedures.documents import rendering
from jichitai.procedures.documents import selectors as documents
from jichitai.procedures.documents.forms import DocumentTemplateForm, SealForm
from jichitai.procedures.documents.models import DocumentKind
from jichitai.procedures.services import documents as services
from jichitai.tenancy.middleware import requires_role
from jichitai.tenancy.models import Role


@requires_role(Role.CLERK)
@require_POST
def document_issue(request, org_code, application_id):
    application = selectors.application_of(request.membership, application_id)
    try:
        document = services.issue_document(actor=request.user, application=application)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(title)s(%(number)s)を発行しました。申請者の状況ページから受け取れます。")
            % {"title": document.title, "number": document.number},
        )
    return redirect("procedures:application", org_code=org_code, application_id=application.pk)


@requires_role(Role.VIEWER)
def issued_document(request, org_code, application_id, document_id):
    application = selectors.application_of(request.membership, application_id)
    document = documents.issued_document(application, document_id)
    audit.record_read(
        actor=request.user,
        organization=request.tenant,
        target=application,
        summary=f"発行文書 {document.number} を閲覧",
    )
    return private_file_response(
        document.file, filename=document.filename, content_type="application/pdf", inline=True
    )


@requires_role(Role.MANAGER)
@require_http_methods(["GET", "POST"])
def document_template(request, org_code, procedure_id):
    procedure = selectors.procedure_of(request.tenant, procedure_id)
    saved = documents.document_template(procedure)
    initial = (
        {"kind": saved.kind, "title": saved.title, "body": saved.body}
        if saved
        else {
            "kind": DocumentKind.NOTICE,
            "title": rendering.default_title(DocumentKind.NOTICE),
            "body": rendering.DEFAULT_BODIES[DocumentKind.NOTICE],
        }
    )
    form = DocumentTemplateForm(
        request.POST or None, initial=initial, item_names=selectors.item_names(procedure)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_document_template(
                actor=request.user, procedure=procedure, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("発行文書のひな形を保存しました。"))
            return redirect(
                "procedures:document_template", org_code=org_code, procedure_id=procedure.pk
            )
    return render(
        request,
        "procedures/documents/template_form.html",
        {
            "procedure": procedure,
            "form": form,
            "seal": documents.official_seal(request.tenant),
            "is_admin": request.membership.has_role(Role.ADMIN),
        },
        status=422 if form.errors else 200,
    )


@requires_role(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def official_seal(request, org_code):
    form = SealForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_official_seal(
                actor=request.user, organization=request.tenant, upload=form.cleaned_data["image"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("公印を登録しました。これから発行する文書に印刷されます。"))
            return redirect("procedures:official_seal", org_code=org_code)
    return render(
        request,
        "procedures/documents/seal_form.html",
        {"form": form, "seal": documents.official_seal(request.tenant)},
        status=422 if form.errors else 200,
    )


@requires_role(Role.ADMIN)
def official_seal_image(request, org_code):
    seal = documents.official_seal(request.tenant)
    if seal is None:
        raise Http404
    return private_file_response(
        seal.image, filename="seal.png", content_type="image/png", inline=True
    )
