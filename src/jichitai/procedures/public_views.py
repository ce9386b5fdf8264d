"""The resident's side: open procedures, 入力 (page by page, ``page_flow``) → 確認 → 完了, drafts
and e-mail verification (the status page is in ``status``). Everything works without
JavaScript."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from jichitai.core import params
from jichitai.core.decorators import public_view
from jichitai.core.files import content_disposition
from jichitai.core.ratelimit import limit_mail, rate_limited
from jichitai.core.uploads import UploadRejected, check_upload, human_size
from jichitai.procedures import form_session, page_flow, pages, selectors, services
from jichitai.procedures.availability import unavailable_reason
from jichitai.procedures.canonical import canonical_content
from jichitai.procedures.definitions import file_fields
from jichitai.procedures.forms import DraftEmailForm, EmailForm
from jichitai.procedures.registry import fee_of
from jichitai.procedures.rendering import fill_address, raw_from_post, widgets
from jichitai.procedures.repeat_rendering import apply_row_action, is_row_action
from jichitai.procedures.translations import (
    LANGUAGES,
    form_languages,
    html_lang,
    missing_language_notice,
    resident_page_language,
    site_resident_language,
    translate,
)
from jichitai.procedures.validation import validate_application_data
from jichitai.tenancy.selectors import organization_by_code

SIGNATURE_MAX_BYTES = 64 * 1024
MAX_SEARCH_LENGTH = 100


def _language(request, version, state: dict) -> tuple[str, list, list]:
    """The language the resident chose (``?lang=``, remembered with the form's state), else
    the site's English where the form has it, else Japanese; the form's languages and its
    fields as shown in that language."""
    languages = form_languages(version.fields)
    chosen = request.GET.get("lang")
    if chosen in dict(languages):
        state["language"] = chosen
    if state.get("language") not in dict(languages):
        site = site_resident_language()
        state["language"] = site if site in dict(languages) else "ja"
    language = state["language"]
    return language, languages, translate(version.fields, language)


def _validate(procedure, state: dict, fields=None) -> tuple[dict, dict, dict[str, str]]:
    """The form's data as typed so far (judged on ``fields``, the form in the resident's
    language), with the files waiting on the server counted in as answers, so a file is
    required only where it is asked. Returns the cleaned answers without the files, the errors
    and the names of the files attached to questions asked."""
    version = procedure.current_version
    pending = form_session.pending_files(procedure, state)
    raw = {**state["raw"], **{name: {"name": f.original_name} for name, f in pending.items()}}
    cleaned, errors = validate_application_data(fields or version.fields, version.schema, raw)
    attached = {name: f.original_name for name, f in pending.items() if name in cleaned}
    return {name: v for name, v in cleaned.items() if name not in pending}, errors, attached


@public_view
def procedure_list(request, org_code):
    organization = organization_by_code(org_code)
    query = params.text(
        request.GET.get("q"), name="q", max_length=MAX_SEARCH_LENGTH, label=gettext("検索語")
    ).strip()
    procedures = selectors.open_procedures(organization, query=query)
    return render(
        request,
        "procedures/public/list.html",
        {"organization": organization, "procedures": procedures, "query": query},
    )


@public_view
@rate_limited("procedure-input", "60/m")
@require_http_methods(["GET", "POST"])
def procedure_form(request, org_code, procedure_id):
    organization = organization_by_code(org_code)
    procedure = selectors.public_procedure(organization, procedure_id)
    if page_flow.later_page_without_answers(request, form_session.key(procedure)):
        return _answers_gone(request, procedure)
    state = form_session.state(request, procedure)
    version = procedure.current_version
    # A procedure without a published version is closed, and told so in Japanese.
    language, languages, fields = (
        _language(request, version, state) if version is not None else ("ja", [], [])
    )
    unavailable = unavailable_reason(procedure)
    if unavailable is not None:
        return page_flow.render_in_language(
            language,
            request,
            "procedures/public/closed.html",
            {
                "organization": organization,
                "procedure": procedure,
                "reason": unavailable.reason,
            },
            choices=dict(languages),
        )
    if procedure.identity == procedure.Identity.EMAIL and not state.get("verified_email"):
        form_session.keep(request, procedure, state)
        return page_flow.render_in_language(
            language,
            request,
            "procedures/public/verify_email.html",
            {"organization": organization, "procedure": procedure, "form": EmailForm()},
            choices=dict(languages),
        )

    # Messages, the fixed texts and the form's own all in the language chosen.
    with resident_page_language(language):
        if request.method == "GET" and "lang" in request.GET:
            form_session.keep(request, procedure, state)
        form_pages = pages.split(fields)
        cleaned, errors, attached = _validate(procedure, state, fields)
        page = page_flow.current_page(form_pages, request.GET.get("page"), cleaned)
        # Errors show on the page's own answers, after 次へ or when the confirmation sent it back.
        shown = page_flow.on_page(page, errors) if request.GET.get("check") else {}
        draft_form = DraftEmailForm(
            prefix="draft",
            initial={"email": state.get("verified_email", "")},
            use_required_attribute=False,
        )
        if request.method == "POST" and pages.find(form_pages, request.GET.get("page")) not in (
            None,
            page,
        ):
            # A page the answers now skip (an old tab): its answers would land on another page.
            return redirect(page_flow.page_url(procedure, page))
        if request.method == "POST":
            state["raw"].update(raw_from_post(page.fields, request.POST))
            upload_errors = _store_uploads(request, procedure, state)
            action = request.POST.get(page_flow.ACTION, "next")
            if action == "save_draft":
                draft_form = DraftEmailForm(
                    request.POST, prefix="draft", use_required_attribute=False
                )
                if draft_form.is_valid():
                    limit_mail(request, draft_form.cleaned_data["email"])
                    services.save_draft(
                        procedure=procedure,
                        email=draft_form.cleaned_data["email"],
                        data=state["raw"],
                        language=language,
                    )
                    form_session.keep(request, procedure, state)
                    messages.success(
                        request,
                        gettext(
                            "入力内容を一時保存しました。メールに届いたリンクから続きを入力できます。"
                        ),
                    )
                    return redirect(page_flow.page_url(procedure, page))
            elif action.startswith("language:"):
                # Another language chosen halfway (``form-language.js``): the page's answers go
                # with it, unchecked.
                chosen = action.removeprefix("language:")
                query = {}
                if chosen in dict(languages):
                    state["language"] = query["lang"] = chosen
                form_session.keep(request, procedure, state)
                return redirect(page_flow.page_url(procedure, page, **query))
            elif action.startswith("postal:"):
                # The 検索 button of an address: fill it from the postal code, check nothing else.
                shown = fill_address(version.fields, state["raw"], action.removeprefix("postal:"))
                form_session.keep(request, procedure, state)
            elif is_row_action(action):
                # 追加 / 削除 of a repeating group's row: the page comes back with everything kept.
                apply_row_action(version.fields, state["raw"], action)
                form_session.keep(request, procedure, state)
            else:
                cleaned, errors, attached = _validate(procedure, state, fields)
                errors.update(upload_errors)
                form_session.keep(request, procedure, state)
                if action == "back":  # 戻る keeps what was typed, checked or not
                    previous = pages.preceding(form_pages, page, cleaned)
                    return redirect(page_flow.page_url(procedure, previous or page))
                shown = page_flow.on_page(page, errors)
                if not shown:
                    return redirect(
                        page_flow.after_page(
                            procedure,
                            form_pages,
                            page,
                            cleaned,
                            errors,
                            to_confirm=request.POST.get(page_flow.RETURN) == "confirm",
                        )
                    )
        context = {
            "organization": organization,
            "procedure": procedure,
            "questions": widgets(fields, state["raw"], shown, files=attached, only=page.names),
            "languages": languages,
            "missing_language": html_lang(request.GET.get("lang", "")),
            "missing_language_notice": missing_language_notice(request.GET.get("lang"), languages),
            "errors": shown,
            "error_count": len(shown),
            "draft_form": draft_form,
            "has_files": bool(file_fields(version.fields)),
            "pending_upload_hours": settings.JICHITAI_PENDING_UPLOAD_HOURS,
            "pending_upload_files": settings.JICHITAI_PENDING_UPLOAD_MAX_FILES,
            "pending_upload_size": human_size(settings.JICHITAI_PENDING_UPLOAD_MAX_BYTES),
            "returns_to_confirm": request.GET.get("return") == "confirm",
            **page_flow.navigation(form_pages, page, cleaned),
        }
        return page_flow.render_in_language(
            language,
            request,
            "procedures/public/form.html",
            context,
            status=422 if shown else 200,
            choices=dict(languages),
        )


def _store_uploads(request, procedure, state: dict) -> dict:
    """Files chosen on the input page are checked and kept until the applicant confirms."""
    errors = {}
    for spec in file_fields(procedure.current_version.fields):
        upload = request.FILES.get(spec["name"])
        if upload is None:
            continue
        try:
            stored = services.store_pending_upload(
                procedure=procedure,
                field_name=spec["name"],
                upload=upload,
                upload_token=state["upload_token"],
                replaces=state.get("files", {}).get(spec["name"]),
                accept=spec.get("accept"),
            )
        except UploadRejected as rejection:
            errors[spec["name"]] = rejection.messages
            continue
        state.setdefault("files", {})[spec["name"]] = stored.pk
    return errors


@public_view
@rate_limited("procedure-submit", "20/m")
@require_http_methods(["GET", "POST"])
def procedure_confirm(request, org_code, procedure_id):
    # The web form's submission: the procedure as the API reads it, kept per process.
    procedure = selectors.public_procedure_by_code(org_code, procedure_id)
    organization = procedure.organization
    state = request.session.get(form_session.key(procedure))
    if not state:
        if request.method == "POST":
            return _answers_gone(request, procedure)
        return redirect("procedures_public:form", org_code=org_code, procedure_id=procedure.pk)
    if request.method == "POST" and not procedure.needs_signature:
        # The submission checks the answers itself; they are checked here only when it refuses
        # them, to send the resident back to the first page with a problem.
        return _submitted(request, procedure, state, data=state["raw"], signature=None)
    cleaned, errors, attached = _validate(procedure, state)
    if errors:
        return _back_to_answers(procedure, state)
    language = state.get("language", "ja")
    shown = translate(procedure.current_version.fields, language)
    signature_error = None
    # The signature's messages and the answers' display (dates) in the resident's language too.
    with resident_page_language(language):
        if request.method == "POST":
            signature, signature_error = read_signature(request)
            if signature_error is None:
                # A signed application carries what the applicant saw and signed: the values of
                # this confirmation page.
                answer = _submitted(request, procedure, state, data=cleaned, signature=signature)
                if not isinstance(answer, str):
                    return answer
                signature_error = answer
        context = {
            "organization": organization,
            "procedure": procedure,
            "groups": page_flow.confirmation_groups(procedure, shown, cleaned, attached),
            "fee_for_persons": page_flow.fee_for_persons(procedure, shown, cleaned),
            "signature_error": signature_error,
        }
    return page_flow.render_in_language(
        language,
        request,
        "procedures/public/confirm.html",
        context,
        status=422 if signature_error else 200,
    )


def _submitted(
    request, procedure, state: dict, *, data: dict, signature: bytes | None
) -> HttpResponseBase | str:
    """Records the application from the confirmation page: the redirect to answer with (the done
    page, or back to the form), or the message about a refused signature."""
    try:
        submission = services.submit_application(
            procedure=procedure,
            data=data,
            idempotency_key=f"web-{state['key']}",
            applicant_email=state.get("verified_email") or None,
            pending_files=form_session.pending_files(procedure, state),
            signature=signature,
            language=state.get("language", "ja"),
        )
    except services.ApplicationInvalid as invalid:
        if "signature" in invalid.message_dict:
            return invalid.message_dict["signature"][0]
        return _back_to_answers(procedure, state)
    except services.ProcedureUnavailable as error:
        with resident_page_language(state.get("language", "ja")):
            messages.error(request, error.message)
        return redirect(
            "procedures_public:form",
            org_code=procedure.organization.code,
            procedure_id=procedure.pk,
        )
    request.session.pop(form_session.key(procedure), None)
    request.session[form_session.done_key(procedure)] = submission.application.pk
    request.session[form_session.done_language_key(procedure)] = state.get("language", "ja")
    return redirect(
        "procedures_public:done", org_code=procedure.organization.code, procedure_id=procedure.pk
    )


def _answers_gone(request, procedure) -> HttpResponseBase:
    """送信, or a later page's 次へ, pressed with no answers in the session. After 完了 (the back
    button brought the page back) nothing is sent twice and what was sent is shown. Otherwise
    the session ended (``SESSION_COOKIE_AGE``, or cookies cleared): nothing is sent, and the
    form's first page says why in the language the page was read in, which its form carries."""
    if form_session.done_key(procedure) in request.session:
        return redirect(
            "procedures_public:done",
            org_code=procedure.organization.code,
            procedure_id=procedure.pk,
        )
    language = request.POST.get(page_flow.LANGUAGE, "ja")
    language = language if language in LANGUAGES else "ja"
    with resident_page_language(language):
        page_flow.tell_answers_expired(request)
    query = {"lang": language} if language != "ja" else {}
    return redirect(page_flow.page_url(procedure, **query))


def _back_to_answers(procedure, state: dict) -> HttpResponseBase:
    """Where answers that were refused send the resident: the first page with a problem (the whole
    application is checked again), or the form's start when a check of the whole application
    refused answers that are each fine."""
    cleaned, errors, _attached = _validate(procedure, state)
    if not errors:
        return redirect(
            "procedures_public:form",
            org_code=procedure.organization.code,
            procedure_id=procedure.pk,
        )
    unfinished = pages.first_with_errors(
        pages.split(procedure.current_version.fields), cleaned, errors
    )
    return redirect(page_flow.page_url(procedure, unfinished, check=1))


def read_signature(request) -> tuple[bytes | None, str | None]:
    upload = request.FILES.get("signature")
    if upload is None:
        return None, gettext("この手続には電子署名が必要です。署名ファイル(.p7s)を選んでください。")
    try:
        check_upload(upload, allowed=["p7s"], max_bytes=SIGNATURE_MAX_BYTES)
    except UploadRejected as rejection:
        return None, rejection.messages[0]
    return upload.read(), None


@public_view
def signing_content(request, org_code, procedure_id):
    """The exact bytes to sign (RFC 8785 JSON of the confirmed values), for the applicant's
    signing software."""
    organization = organization_by_code(org_code)
    procedure = selectors.public_procedure(organization, procedure_id)
    state = request.session.get(form_session.key(procedure))
    if not state:
        raise Http404
    cleaned, errors, _attached = _validate(procedure, state)
    if errors:
        raise Http404
    content = canonical_content(procedure, procedure.current_version.number, cleaned)
    response = HttpResponse(content, content_type="application/json")
    response["Content-Disposition"] = content_disposition(f"署名用データ_{procedure.pk}.json")
    return response


@public_view
def procedure_done(request, org_code, procedure_id):
    organization = organization_by_code(org_code)
    procedure = selectors.public_procedure(organization, procedure_id)
    application = selectors.submitted_application(
        organization, procedure, request.session.get(form_session.done_key(procedure))
    )
    language = request.session.get(form_session.done_language_key(procedure), "ja")
    return page_flow.render_in_language(
        language,
        request,
        "procedures/public/done.html",
        {
            "organization": organization,
            "procedure": procedure,
            "application": application,
            "fee": fee_of(application),
        },
    )


@public_view
def resume_draft(request, org_code, token):
    organization = organization_by_code(org_code)
    draft = selectors.live_draft(organization, token)
    if draft is None:
        raise Http404
    state = form_session.state(request, draft.procedure)
    state["raw"] = draft.data
    # Resumed in the language it was saved in, on whichever device the link is opened.
    state["language"] = draft.language
    form_session.keep(request, draft.procedure, state)
    with resident_page_language(draft.language):
        messages.info(request, gettext("一時保存した内容を読み込みました。"))
    return redirect("procedures_public:form", org_code=org_code, procedure_id=draft.procedure_id)


@public_view
@rate_limited("procedure-verify", "5/10m")
@require_POST
def request_verification(request, org_code, procedure_id):
    organization = organization_by_code(org_code)
    procedure = selectors.public_procedure(organization, procedure_id)
    # The language the resident chose on the form's page, kept with its state.
    language = form_session.state(request, procedure).get("language", "ja")
    with resident_page_language(language):
        form = EmailForm(request.POST)
        valid = form.is_valid()
    if not valid:
        return page_flow.render_in_language(
            language,
            request,
            "procedures/public/verify_email.html",
            {"organization": organization, "procedure": procedure, "form": form},
            status=422,
        )
    services.request_email_verification(
        procedure=procedure, email=form.cleaned_data["email"], language=language
    )
    return page_flow.render_in_language(
        language,
        request,
        "procedures/public/verify_sent.html",
        {"organization": organization, "procedure": procedure, "email": form.cleaned_data["email"]},
    )


@public_view
def verified(request, org_code, procedure_id, token):
    organization = organization_by_code(org_code)
    procedure = selectors.public_procedure(organization, procedure_id)
    verification = selectors.live_verification(procedure, token)
    if verification is None:
        raise Http404
    state = form_session.state(request, procedure)
    state["verified_email"] = verification.email
    form_session.keep(request, procedure, state)
    with resident_page_language(state.get("language", "ja")):
        messages.success(request, gettext("メールアドレスを確認しました。申込みを続けてください。"))
    return redirect("procedures_public:form", org_code=org_code, procedure_id=procedure.pk)
