"""The status page (``/status/<receipt>/<token>/``): where the application stands, and for a
returned one (差戻し) its correction on the same pages as the form (``?page=N``, one POST per
page, without JavaScript), starting from the answers sent. What is typed is kept in the session
until it is sent again; files chosen on a page before the last wait on the server as on a new
application's pages."""

import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from jichitai.core.decorators import public_view
from jichitai.core.files import content_disposition
from jichitai.core.uploads import UploadRejected
from jichitai.procedures import page_flow, pages, selectors, services
from jichitai.procedures.canonical import canonical_content
from jichitai.procedures.definitions import file_fields
from jichitai.procedures.public_views import read_signature
from jichitai.procedures.registry import applicant_panels, panels_for
from jichitai.procedures.rendering import raw_from_data, raw_from_post, widgets
from jichitai.procedures.repeat_rendering import apply_row_action, is_row_action
from jichitai.procedures.translations import resident_page_language, translate
from jichitai.procedures.validation import validate_application_data
from jichitai.tenancy.selectors import organization_by_code


def _status_url(application, page: pages.Page | None = None, **query) -> str:
    url = reverse(
        "procedures_public:status",
        kwargs={
            "org_code": application.organization.code,
            "receipt_number": application.receipt_number,
            "token": application.status_token,
        },
    )
    if page is not None and page.number > 1:
        query = {"page": page.number, **query}
    return f"{url}?{urlencode(query)}" if query else url


def _correction(request, application) -> tuple[str, dict]:
    """The session key of this 差戻し's correction and its state: the answers as typed, started
    from those sent. A later 差戻し starts again from the answers sent then."""
    returned = selectors.return_message(application)
    key = f"procedures:correction:{application.pk}:{returned.pk if returned else 0}"
    state = request.session.get(key)
    if state is None:
        state = {
            "raw": raw_from_data(application.form_version.fields, application.data),
            "files": {},
            "upload_token": secrets.token_urlsafe(16),
        }
    return key, state


def _pending(application, state: dict) -> dict:
    stored = selectors.pending_files(
        application.organization,
        upload_token=state["upload_token"],
        file_ids=state["files"].values(),
    )
    return {name: stored[i] for name, i in state["files"].items() if i in stored}


def _judged(application, state: dict) -> tuple[dict, dict]:
    version = application.form_version
    waiting = {name: {"name": f.original_name} for name, f in _pending(application, state).items()}
    # The form's own messages in the language the application was made in.
    fields = translate(version.fields, application.language)
    return validate_application_data(fields, version.schema, {**state["raw"], **waiting})


def _keep_uploads(request, application, page: pages.Page, state: dict) -> dict:
    """Files chosen on a page before the last wait on the server until the correction is sent."""
    errors = {}
    for spec in file_fields(list(page.fields)):
        upload = request.FILES.get(spec["name"])
        if upload is None:
            continue
        try:
            stored = services.store_pending_upload(
                procedure=application.procedure,
                field_name=spec["name"],
                upload=upload,
                upload_token=state["upload_token"],
                replaces=state["files"].get(spec["name"]),
                accept=spec.get("accept"),
            )
        except UploadRejected as rejection:
            errors[spec["name"]] = rejection.messages
            continue
        state["files"][spec["name"]] = stored.pk
        # The answer is now the file waiting, no longer the one sent before.
        state["raw"].pop(spec["name"], None)
    return errors


@public_view
@require_http_methods(["GET", "POST"])
def status_page(request, org_code, receipt_number, token):
    organization = organization_by_code(org_code)
    application = selectors.application_for_applicant(organization, receipt_number, token)
    # The page in the language the application was made in, its answers' display included.
    with resident_page_language(application.language):
        context = {
            "organization": organization,
            "application": application,
            "rows": selectors.display_rows(application, language=application.language),
            "history": selectors.history(application, internal=False),
            "can_withdraw": application.status in services.WITHDRAWABLE,
            "panels": panels_for(applicant_panels, request, application),
            "errors": {},
            "error_count": 0,
            "needs_signature": application.procedure.needs_signature,
            "signature_error": None,
        }
        if application.status != application.Status.RETURNED:
            if request.method == "POST":  # an old tab: there is nothing to correct any more
                return redirect(_status_url(application))
            return page_flow.render_in_language(
                application.language, request, "procedures/public/status.html", context
            )
        return _correct(request, application, context)


def _correct(request, application, context: dict):
    version = application.form_version
    key, state = _correction(request, application)
    if page_flow.later_page_without_answers(request, key):
        # The earlier pages' corrections are gone: sent on, the answers of before them would be
        # resubmitted without a word.
        page_flow.tell_answers_expired(request)
        return redirect(_status_url(application))
    form_pages = pages.split(version.fields)
    cleaned, errors = _judged(application, state)
    page = page_flow.current_page(form_pages, request.GET.get("page"), cleaned)
    shown = {}
    if request.GET.get("check"):
        shown = {**page_flow.on_page(page, errors), **state.pop("errors", {})}
        request.session[key] = state
    if request.method == "POST":
        if pages.find(form_pages, request.GET.get("page")) not in (None, page):
            return redirect(_status_url(application, page))
        state["raw"].update(raw_from_post(list(page.fields), request.POST))
        action = request.POST.get(page_flow.ACTION, "next")
        last = pages.following(form_pages, page, cleaned) is None
        upload_errors = {} if last else _keep_uploads(request, application, page, state)
        request.session[key] = state
        if is_row_action(action):
            apply_row_action(version.fields, state["raw"], action)
            request.session[key] = state
        else:
            cleaned, errors = _judged(application, state)
            errors.update(upload_errors)
            if action == "back":
                previous = pages.preceding(form_pages, page, cleaned)
                return redirect(_status_url(application, previous or page))
            shown = page_flow.on_page(page, errors)
            following = pages.following(form_pages, page, cleaned)
            if not shown and following is not None:
                return redirect(_status_url(application, following))
            if not shown:
                sent = _send(request, application, key, state, cleaned, action, context)
                if sent is not None:
                    return sent
                shown = context.pop("send_errors", {})
                unfinished = pages.first_with_errors(form_pages, cleaned, shown)
                if unfinished is not None and unfinished != page:
                    state["errors"] = shown
                    request.session[key] = state
                    return redirect(_status_url(application, unfinished, check=1))
    pending = {name: f.original_name for name, f in _pending(application, state).items()}
    files = {
        spec["name"]: pending.get(spec["name"])
        or application.data.get(spec["name"], {}).get("name")
        for spec in file_fields(version.fields)
        if pending.get(spec["name"]) or application.data.get(spec["name"])
    }
    context.update(
        {
            "questions": widgets(
                translate(version.fields, application.language),
                state["raw"],
                shown,
                files=files,
                only=page.names,
            ),
            "return_message": selectors.return_message(application),
            "errors": shown,
            "error_count": len(shown),
            **page_flow.navigation(form_pages, page, cleaned),
        }
    )
    failed = bool(shown or context["signature_error"])
    return page_flow.render_in_language(
        application.language,
        request,
        "procedures/public/status.html",
        context,
        status=422 if failed else 200,
    )


def _send(request, application, key: str, state: dict, cleaned: dict, action: str, context):
    """On the last page: the data to sign, or the correction sent. Returns the response, or None
    with the refusal's messages in the context."""
    version = application.form_version
    # A signed correction carries what the applicant signed: the values as the form reads them,
    # as on the confirmation page of a new application.
    data = cleaned if context["needs_signature"] else state["raw"]
    if action == "signing_content":
        content = canonical_content(application.procedure, version.number, data)
        response = HttpResponse(content, content_type="application/json")
        response["Content-Disposition"] = content_disposition(
            f"署名用データ_{application.receipt_number}.json"
        )
        return response
    if action != "resubmit":
        return None
    signature = None
    if context["needs_signature"]:
        signature, context["signature_error"] = read_signature(request)
    uploads = {k: v for k, v in request.FILES.items() if k != "signature"}
    try:
        services.resubmit(
            application=application,
            # A file chosen on this page takes the place of the one sent before.
            data={name: value for name, value in data.items() if name not in uploads},
            uploads=uploads,
            pending_files=_pending(application, state),
            signature=signature,
        )
    except services.ApplicationInvalid as error:
        errors = error.message_dict
        context["signature_error"] = (
            context["signature_error"] or (errors.pop("signature", None) or [None])[0]
        )
        context["send_errors"] = errors
        return None
    except services.ProcedureUnavailable as error:
        messages.error(request, error.message)
        return redirect(_status_url(application))
    request.session.pop(key, None)
    messages.success(request, gettext("修正した内容で再提出しました。"))
    return redirect(_status_url(application))


@public_view
@require_POST
def withdraw(request, org_code, receipt_number, token):
    organization = organization_by_code(org_code)
    application = selectors.application_for_applicant(organization, receipt_number, token)
    with resident_page_language(application.language):
        if request.POST.get("confirm") != "yes":
            messages.error(request, gettext("取り下げる場合は確認のチェックを入れてください。"))
            return redirect(_status_url(application))
        try:
            services.withdraw(application=application)
        except services.ProcedureUnavailable as error:
            messages.error(request, error.message)
        else:
            messages.success(request, gettext("申請を取り下げました。"))
    return redirect(_status_url(application))
