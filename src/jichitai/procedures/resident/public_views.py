"""The resident's side beyond one form: find a procedure anywhere in the prefecture, find an
application again by its 受付番号, print the 受付票, list one's applications from an e-mailed link."""

import time

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from jichitai.core.decorators import public_view
from jichitai.core.files import content_disposition, private_file_response
from jichitai.core.links import absolute_url
from jichitai.core.pdf import render_pdf
from jichitai.core.ratelimit import limit_mail, rate_limited
from jichitai.procedures import applicant_links as links
from jichitai.procedures import selectors as procedure_selectors
from jichitai.procedures import services
from jichitai.procedures.documents import selectors as documents
from jichitai.procedures.registry import fee_of
from jichitai.procedures.resident import selectors
from jichitai.procedures.resident.forms import ApplicantLinkForm, FinderForm, LookupForm
from jichitai.procedures.translation_table import TRANSLATABLE_LANGUAGES
from jichitai.procedures.translations import (
    LANGUAGES,
    in_page_language,
    resident_language,
    resident_page_language,
    site_resident_language,
)
from jichitai.tenancy.selectors import organization_by_code

# Every answer of the lookup takes at least this long, found or not, so the time tells nothing.
LOOKUP_ANSWER_SECONDS = 0.4
# The finder shows at most this many procedures, and says so when there are more.
FINDER_LIMIT = 100
# The session key holding the address whose applications an opened link showed, until when.
MY_APPLICATIONS_SESSION = "procedures.my_applications"


@public_view
def finder(request):
    """With ``?lang=``, the forms offered in that language, the whole page in it."""
    language = _resident_language(request)
    with resident_page_language(language or "ja"):
        return _finder(request, language)


def _resident_language(request) -> str:
    """The resident language a page was asked in (``?lang=``), "" for the site's own."""
    language = request.GET.get("lang", "")
    return language if language in TRANSLATABLE_LANGUAGES else ""


def _finder(request, language: str):
    form = FinderForm(request.GET or None, municipalities=selectors.municipalities())
    municipality = None
    query = ""
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"]
        municipality = form.cleaned_data["municipality"]
        if form.cleaned_data["postal_code"]:
            municipality = selectors.municipality_for_postal_code(form.cleaned_data["postal_code"])
            if municipality is None:
                form.add_error(
                    "postal_code",
                    _("この郵便番号の市町が見つかりません。一覧から市町を選んでください。"),
                )
    found = list(
        selectors.find_procedures(query=query, municipality=municipality, language=language)[
            : FINDER_LIMIT + 1
        ]
    )
    languages = selectors.languages_offered()
    context = {
        "form": form,
        "searched": form.is_bound,
        "procedures": found[:FINDER_LIMIT],
        "cut": len(found) > FINDER_LIMIT,
        "limit": FINDER_LIMIT,
        "municipality": municipality,
        "prefecture": selectors.home_prefecture(),
        "languages": languages,
    }
    return render(
        request,
        "procedures/resident/finder.html",
        _in_language(context, language, choices=["ja", *(code for code, name, lang in languages)]),
    )


@public_view
@rate_limited("status-lookup", "10/10m")
@require_http_methods(["GET", "POST"])
def status_lookup(request):
    """With ``?lang=`` (from the finder in a resident's language), the page in that language."""
    language = _resident_language(request)
    with resident_page_language(language or "ja"):
        return _status_lookup(request, language)


def _status_lookup(request, language: str):
    form = LookupForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        started = time.monotonic()
        application = selectors.application_by_secret(
            form.cleaned_data["receipt_number"], form.secret
        )
        time.sleep(max(0.0, LOOKUP_ANSWER_SECONDS - (time.monotonic() - started)))
        if application is not None:
            return redirect(
                "procedures_public:status",
                org_code=application.organization.code,
                receipt_number=application.receipt_number,
                token=application.status_token,
            )
        form.add_error(
            None,
            _(
                "受付番号と、メールアドレスまたは生年月日の組み合わせを確認できませんでした。"
                "入力を確かめてもう一度お試しください。"
            ),
        )
        status = 404
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "procedures/resident/lookup.html",
        _in_language({"form": form}, language, choices=LANGUAGES),
        status=status,
    )


@public_view
def receipt_pdf(request, org_code, receipt_number, token):
    """受付票: what the applicant keeps to find the application again, on paper."""
    organization = organization_by_code(org_code)
    application = procedure_selectors.application_for_applicant(organization, receipt_number, token)
    status_path = reverse(
        "procedures_public:status",
        kwargs={"org_code": org_code, "receipt_number": receipt_number, "token": token},
    )
    # On paper in the language the application was made in, whatever the site's language.
    with resident_language(application.language):
        pdf = render_pdf(
            "procedures/resident/receipt_pdf.html",
            {
                "application": application,
                "organization": organization,
                "fee": fee_of(application),
                "status_url": absolute_url(status_path),
                "lookup_url": absolute_url(reverse("resident:lookup")),
            },
            request=request,
        )
        file_name = _("受付票_%(receipt_number)s.pdf") % {"receipt_number": receipt_number}
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(file_name, inline=True)
    return response


@public_view
def issued_document(request, org_code, receipt_number, token, document_id):
    """A document issued on approval (通知書・許可証・受理証明書), as kept when it was issued."""
    organization = organization_by_code(org_code)
    application = procedure_selectors.application_for_applicant(organization, receipt_number, token)
    document = documents.issued_document(application, document_id)
    return private_file_response(
        document.file, filename=document.filename, content_type="application/pdf", inline=True
    )


@public_view
@rate_limited("my-applications", "5/10m")
@require_http_methods(["GET", "POST"])
def my_applications_request(request):
    """Asks for the link by e-mail; the answer is the same whether the address has applications.
    With ``?lang=`` (from the finder in a resident's language) the page, the mail and the list
    the link opens are in that language; otherwise the mail follows the site's language."""
    language = _resident_language(request)
    with resident_page_language(language or "ja"):
        return _my_applications_request(request, language)


def _my_applications_request(request, language: str):
    form = ApplicantLinkForm(request.POST or None)
    context = _in_language({"form": form}, language, choices=LANGUAGES)
    if request.method == "POST":
        if not form.is_valid():
            return render(
                request, "procedures/resident/my_applications_request.html", context, status=422
            )
        limit_mail(request, form.cleaned_data["email"])
        services.request_applicant_link(
            email=form.cleaned_data["email"], language=language or site_resident_language()
        )
        return render(
            request,
            "procedures/resident/my_applications_sent.html",
            _in_language(
                {"email": form.cleaned_data["email"], "minutes": _minutes(links.LINK_LIFETIME)},
                language,
            ),
        )
    return render(request, "procedures/resident/my_applications_request.html", context)


@public_view
@require_http_methods(["GET", "POST"])
def my_applications_open(request, token):
    """The mailed link. Opening it shows a button: the link is spent by that POST only, so a mail
    filter that fetches links does not use it up."""
    if request.method == "POST":
        link = services.use_applicant_link(token=token)
        if link is not None:
            expires = timezone.now() + links.SESSION_LIFETIME
            request.session.cycle_key()
            request.session[MY_APPLICATIONS_SESSION] = {
                "email": link.email,
                "until": expires.timestamp(),
                "language": link.language,
            }
            return redirect("resident:my_applications")
    else:
        live = links.live_applicant_link(token)
        if live is not None:
            with resident_page_language(live.language):
                return render(
                    request,
                    "procedures/resident/my_applications_open.html",
                    _in_language({}, live.language),
                )
    language = links.language_of_link(token)
    with resident_page_language(language or "ja"):
        return render(
            request,
            "procedures/resident/my_applications_unusable.html",
            _in_language({}, language),
            status=410,
        )


@public_view
@never_cache  # a list of someone's applications stays out of shared caches and the back button
def my_applications(request):
    opened = request.session.get(MY_APPLICATIONS_SESSION) or {}
    if not opened or opened.get("until", 0) < timezone.now().timestamp():
        request.session.pop(MY_APPLICATIONS_SESSION, None)
        return redirect("resident:my_applications_request")
    language = opened.get("language", "ja")
    with resident_page_language(language):
        return render(
            request,
            "procedures/resident/my_applications.html",
            _in_language(
                {"applications": list(links.applications_made_with(opened["email"])[:200])},
                language,
            ),
        )


def _in_language(context: dict, language: str, *, choices=()) -> dict:
    """``context`` for a page shown in the resident language ``language``, which ``choices``
    can replace (``translations.in_page_language``); "" leaves the page in the site's own
    language, with the site's own switch."""
    return in_page_language(context, language, choices=choices) if language else context


def _minutes(lifetime) -> int:
    return int(lifetime.total_seconds() // 60)
