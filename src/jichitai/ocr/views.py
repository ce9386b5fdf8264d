"""Staff pages of the paper intake: templates and their zones, batches, verification."""

import io
import json
import zipfile

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jichitai.audit import services as audit
from jichitai.core.files import content_disposition, private_file_response
from jichitai.core.forms import add_service_errors
from jichitai.ocr import selectors, services
from jichitai.ocr.forms import BatchForm, FieldForm, PageForm, TemplateForm, shown_value
from jichitai.ocr.models import ScanPage
from jichitai.procedures.selectors import visible_procedures
from jichitai.tenancy.middleware import requires_role
from jichitai.tenancy.models import Role


def _procedures(request):
    return visible_procedures(request.membership)


@requires_role(Role.CLERK)
def index(request, org_code):
    return render(
        request,
        "ocr/index.html",
        {
            "templates": selectors.templates_of(request.tenant, _procedures(request)),
            "batches": selectors.batches_with_pages_to_check(request.tenant, _procedures(request))[
                :20
            ],
            "waiting": selectors.pages_to_check_count(request.tenant, _procedures(request)),
            "first_waiting": selectors.first_page_to_check(
                request.tenant, request.user, _procedures(request)
            ),
        },
    )


@requires_role(Role.CLERK)
@require_http_methods(["GET", "POST"])
def template_create(request, org_code):
    form = TemplateForm(
        request.POST or None, request.FILES or None, procedures=_procedures(request)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        definition = data["definition"].read() if data["definition"] else None
        try:
            paper = services.create_template(
                actor=request.user,
                organization=request.tenant,
                procedure=data["procedure"],
                name=data["name"],
                blank=data["blank"],
                dpi=data["dpi"],
                double_entry=data["double_entry"],
                definition=definition,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("様式を登録しました。読み取る項目の枠を定義してください。"))
            return redirect("ocr:template", org_code=org_code, paper_template_id=paper.pk)
    return render(request, "ocr/template_form.html", {"form": form})


@requires_role(Role.CLERK)
@require_http_methods(["GET", "POST"])
def template_detail(request, org_code, paper_template_id):
    paper = selectors.template_of(request.tenant, paper_template_id, _procedures(request))
    choices = selectors.procedure_field_choices(paper.procedure)
    form = FieldForm(request.POST or None, choices=choices, prefix="zone")
    if request.method == "POST":
        if "delete" in request.POST:
            services.delete_field(actor=request.user, paper=paper, name=request.POST["delete"])
            messages.success(request, _("項目を削除しました。"))
            return redirect("ocr:template", org_code=org_code, paper_template_id=paper.pk)
        if form.is_valid():
            try:
                services.save_field(actor=request.user, paper=paper, data=form.as_data())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("項目の枠を保存しました。"))
                return redirect("ocr:template", org_code=org_code, paper_template_id=paper.pk)
    return render(
        request,
        "ocr/template_detail.html",
        {"paper": paper, "form": form, "batch_form": BatchForm(), "labels": dict(choices)},
    )


@requires_role(Role.CLERK)
def template_reference(request, org_code, paper_template_id):
    paper = selectors.template_of(request.tenant, paper_template_id, _procedures(request))
    return private_file_response(
        paper.reference, filename="blank.png", content_type="image/png", inline=True
    )


@requires_role(Role.CLERK)
def template_export(request, org_code, paper_template_id):
    """The template JSON and its blank page, zipped: what another organization imports."""
    paper = selectors.template_of(request.tenant, paper_template_id, _procedures(request))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "template.json",
            json.dumps(selectors.template_json(paper), ensure_ascii=False, indent=2),
        )
        with paper.reference.open("rb") as handle:
            archive.writestr("blank.png", handle.read())
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = content_disposition(f"{paper.name}.zip")
    return response


@requires_role(Role.CLERK)
@require_POST
def batch_create(request, org_code, paper_template_id):
    paper = selectors.template_of(request.tenant, paper_template_id, _procedures(request))
    form = BatchForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            batch = services.start_batch(
                actor=request.user,
                paper=paper,
                uploads=form.cleaned_data["scans"],
                received_on=form.cleaned_data["received_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("ocr:batch", org_code=org_code, ocr_batch_id=batch.pk)
    choices = selectors.procedure_field_choices(paper.procedure)
    return render(
        request,
        "ocr/template_detail.html",
        {
            "paper": paper,
            "form": FieldForm(choices=choices, prefix="zone"),
            "batch_form": form,
            "labels": dict(choices),
        },
        status=400,
    )


@requires_role(Role.CLERK)
def batch_detail(request, org_code, ocr_batch_id):
    batch = selectors.batch_of(request.tenant, ocr_batch_id, _procedures(request))
    response = render(
        request,
        "ocr/batch_detail.html",
        {
            "batch": batch,
            "job": batch.job,
            "files": selectors.batch_files(batch),
            "pages": selectors.batch_pages(batch),
            "first_waiting": selectors.first_page_of_batch_to_check(batch, request.user),
        },
    )
    if batch.job and not batch.job.is_finished:
        response["Refresh"] = "2"
    return response


def _page_context(page, form, mode):
    specs = page.batch.template.fields
    rows = [
        {
            "spec": spec,
            "field": form[spec["name"]],
            "result": page.results.get(spec["name"], {}),
            "flagged": spec["name"] in page.flagged_names,
            "reasons": page.flag_reasons(spec["name"]),
        }
        for spec in specs
        if spec["name"] in form.fields
    ]
    return {
        "page": page,
        "form": form,
        "rows": rows,
        "mode": mode,
        "paper": page.batch.template,
    }


@requires_role(Role.CLERK)
@require_http_methods(["GET", "POST"])
def page_verify(request, org_code, page_id):
    """確認・修正, ベリファイ or 判定, whichever the page is waiting for."""
    page = selectors.page_of(request.tenant, page_id, _procedures(request))
    paper = page.batch.template
    status = page.status
    if status in (ScanPage.Status.REVIEW, ScanPage.Status.NOT_ALIGNED):
        mode, specs, service = "verify", paper.fields, services.verify_page
        initial = {name: result.get("value") for name, result in page.results.items()}
        flagged = page.flagged_names if page.aligned else [s["name"] for s in specs]
    elif status == ScanPage.Status.SECOND_ENTRY:
        mode, specs, service = "second", paper.critical_fields, services.second_entry
        initial, flagged = {}, []
    elif status == ScanPage.Status.CONFLICT:
        names = selectors.conflicting_names(page)
        mode, specs, service = "resolve", [s for s in paper.fields if s["name"] in names], None
        service = services.resolve_conflict
        initial, flagged = {}, names
    else:
        mode, specs, service, initial, flagged = "done", [], None, {}, []
    if mode in ("second", "resolve") and selectors.waits_for_others(page, request.user):
        mode, specs, service, initial, flagged = "others", [], None, {}, []
    form = PageForm(
        request.POST or None,
        specs=specs,
        initial_values=initial,
        flagged=flagged,
        blind=mode in ("second", "resolve"),
    )
    if request.method == "POST" and "discard" in request.POST and mode != "done":
        page = services.discard_page(actor=request.user, page=page)
        messages.success(request, _("このページを取り下げました(申請にはしません)。"))
        following = selectors.next_page(page, request.user)
        if following is not None:
            return redirect("ocr:page", org_code=org_code, page_id=following.pk)
        return redirect("ocr:batch", org_code=org_code, ocr_batch_id=page.batch_id)
    if request.method == "POST" and service is not None and form.is_valid():
        try:
            page = service(actor=request.user, page=page, typed=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if page.status == ScanPage.Status.DONE:
                messages.success(
                    request,
                    _("受付番号 %(number)s として受け付けました。")
                    % {"number": page.application.receipt_number},
                )
            elif page.status == ScanPage.Status.CONFLICT:
                messages.warning(request, _("入力が一致しませんでした。別の職員が判定します。"))
            else:
                messages.success(request, _("確認しました。別の職員のベリファイを待ちます。"))
            following = selectors.next_page(page, request.user)
            if following is not None:
                return redirect("ocr:page", org_code=org_code, page_id=following.pk)
            return redirect("ocr:batch", org_code=org_code, ocr_batch_id=page.batch_id)
    if request.method == "GET":
        audit.record_read(
            actor=request.user,
            organization=request.tenant,
            target=page,
            summary="紙の届出の読取結果を閲覧",
        )
    context = _page_context(page, form, mode)
    if mode == "resolve":
        specs = {spec["name"]: spec for spec in page.batch.template.fields}
        context["entries"] = {
            name: tuple(
                shown_value(specs.get(name, {"type": ""}), values.get(name))
                for values in (page.values, page.second_values)
            )
            for name in flagged
        }
    return render(request, "ocr/page_verify.html", context)


@requires_role(Role.CLERK)
def page_image(request, org_code, page_id):
    page = selectors.page_of(request.tenant, page_id, _procedures(request))
    if not page.image:  # erased with its application's personal data
        raise Http404
    return private_file_response(
        page.image, filename=f"page-{page.pk}.png", content_type="image/png", inline=True
    )


@requires_role(Role.CLERK)
def field_image(request, org_code, page_id, field_name):
    """The zone of one field on the aligned page, as the person compares it with the value."""
    page = selectors.page_of(request.tenant, page_id, _procedures(request))
    zone = selectors.field_zone_png(page, field_name)
    if zone is None:
        raise Http404
    response = HttpResponse(zone, content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response
