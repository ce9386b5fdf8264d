"""Staff pages about fees: the list with totals, 消込 imports, and actions on one payment. Public
endpoints: the applicant's slip/receipt PDFs, starting an online payment, the gateway's return
page and its signed notifications."""

import logging
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from jichitai.core import japanese, params
from jichitai.core.decorators import public_view
from jichitai.core.files import content_disposition
from jichitai.core.forms import add_service_errors
from jichitai.core.uploads import UploadRejected, check_upload
from jichitai.payments import gateway, selectors, services
from jichitai.payments.forms import (
    DueDateForm,
    FeeForm,
    ReceiptsFileForm,
    ReceivedPaymentForm,
    ReconciliationProfileForm,
    RefundForm,
)
from jichitai.payments.methods import online_method_for, payment_slip, receipt
from jichitai.payments.models import Payment
from jichitai.procedures import selectors as procedure_selectors
from jichitai.procedures.notifications import absolute
from jichitai.procedures.translations import in_page_language, resident_page_language
from jichitai.tenancy.middleware import requires_role
from jichitai.tenancy.models import Role
from jichitai.tenancy.selectors import organization_by_code

logger = logging.getLogger(__name__)
RECEIPTS_MAX_BYTES = 10 * 1024 * 1024
PAGE_SIZE = 50


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename, inline=True)
    return response


@requires_role(Role.CLERK)
def payment_list(request, org_code):
    fiscal_year = params.fiscal_year(
        request.GET.get("year"), default=japanese.fiscal_year(timezone.localdate())
    )
    status = params.text(request.GET.get("status"), name="status", max_length=20, label=_("状態"))
    payments = selectors.visible_payments(
        request.membership, status=status, fiscal_year=fiscal_year
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": Paginator(payments, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query.urlencode(),
        "totals": selectors.visible_totals_by_procedure(request.membership, fiscal_year),
        "fiscal_year": fiscal_year,
        "status": status,
        "statuses": [*Payment.Status.choices, (selectors.OVERDUE, _("期限切れの未払"))],
    }
    return render(request, "payments/list.html", context)


@requires_role(Role.CLERK)
def payment_document(request, org_code, payment_id, kind):
    payment = selectors.payment_of(request.membership, payment_id)
    return _document(payment, kind)


def _document(payment: Payment, kind: str) -> HttpResponse:
    if kind == "slip" and payment.status == Payment.Status.UNPAID:
        return _pdf(payment_slip(payment), f"納付書_{payment.payment_number}.pdf")
    if kind == "receipt" and payment.status == Payment.Status.PAID:
        return _pdf(receipt(payment), f"領収書_{payment.payment_number}.pdf")
    raise Http404


@requires_role(Role.CLERK)
@require_POST
def set_fee(request, org_code, application_id):
    application = procedure_selectors.application_of(request.membership, application_id)
    return _sent_form(
        request,
        application,
        FeeForm(request.POST),
        partial(services.set_fee, actor=request.user, application=application),
        done=_("手数料を設定し、申請者に納付をお願いしました。"),
        title=_("手数料を設定"),
    )


@requires_role(Role.MANAGER)
@require_POST
def payment_action(request, org_code, payment_id, action):
    payment = selectors.payment_of(request.membership, payment_id)
    act = partial(_sent_form, request, payment.application)
    if action == "refund":
        return act(
            RefundForm(request.POST),
            partial(services.refund, actor=request.user, payment=payment),
            done=_("納付の状態を変更しました。"),
            title=_("返金済みにする"),
            danger=True,
        )
    if action == "received":
        return act(
            ReceivedPaymentForm(request.POST),
            partial(services.record_payment_received, actor=request.user, payment=payment),
            done=_("入金を記録し、申請者に納付の確認をお知らせしました。"),
            title=_("入金を記録する"),
        )
    if action == "due-date":
        return act(
            DueDateForm(request.POST),
            partial(services.change_due_date, actor=request.user, payment=payment),
            done=_("納付期限を変更し、申請者に新しい納付期限をお知らせしました。"),
            title=_("納付期限を変更"),
        )
    if action != "cancel":
        raise Http404
    try:
        services.cancel(actor=request.user, payment=payment)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("納付の状態を変更しました。"))
    return redirect(
        "procedures:application", org_code=org_code, application_id=payment.application_id
    )


def _sent_form(request, application, form, write, *, done, title, danger=False):
    """A fee's form sent from the application: its fields, when valid, are the keyword
    arguments of ``write`` (a service); accepted, back to the application with ``done``."""
    if form.is_valid():
        try:
            write(**form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(
                "procedures:application",
                org_code=request.tenant.code,
                application_id=application.pk,
            )
    return _refused(request, application, form, title=title, danger=danger)


def _refused(request, application, form, *, title, danger=False):
    """A fee's form refused, on a page of its own: the error beside the field, what was typed
    still in it, and the way back to the application."""
    return render(
        request,
        "payments/refused_form.html",
        {"application": application, "form": form, "title": title, "danger": danger},
        status=422,
    )


@requires_role(Role.CLERK)
@require_http_methods(["GET", "POST"])
def reconciliation(request, org_code):
    profiles = selectors.profiles_of(request.tenant)
    upload_form = ReceiptsFileForm(profiles=profiles)
    profile_form = ReconciliationProfileForm(prefix="profile")
    status = 200
    if request.method == "POST" and request.POST.get("kind") == "profile":
        profile_form = ReconciliationProfileForm(request.POST, prefix="profile")
        if profile_form.is_valid():
            try:
                services.add_reconciliation_profile(
                    actor=request.user, organization=request.tenant, **profile_form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(profile_form, error)
            else:
                messages.success(request, _("取込設定を保存しました。"))
                return redirect("payments:reconciliation", org_code=org_code)
        status = 422
    elif request.method == "POST":
        upload_form = ReceiptsFileForm(request.POST, request.FILES, profiles=profiles)
        if upload_form.is_valid():
            upload = upload_form.cleaned_data["file"]
            try:
                # A .txt is a list Excel saved as 「Unicode テキスト」 or 「テキスト (タブ区切り)」.
                checked = check_upload(
                    upload, allowed=["csv", "txt", "xlsx"], max_bytes=RECEIPTS_MAX_BYTES
                )
                batch = services.reconcile(
                    actor=request.user,
                    organization=request.tenant,
                    profile=upload_form.cleaned_data["profile"],
                    file_name=checked.name,
                    data=upload.read(),
                    kind=checked.kind.name,
                )
            except UploadRejected as rejection:
                upload_form.add_error("file", rejection)
            except ValidationError as error:
                add_service_errors(upload_form, error)
            else:
                return redirect("payments:batch", org_code=org_code, batch_id=batch.pk)
        status = 422
    context = {
        "upload_form": upload_form,
        "profile_form": profile_form,
        "profiles": profiles,
        "batches": selectors.batches_of(request.tenant)[:20],
    }
    return render(request, "payments/reconciliation.html", context, status=status)


@requires_role(Role.CLERK)
def batch_detail(request, org_code, batch_id):
    batch = selectors.batch_of(request.tenant, batch_id)
    return render(request, "payments/batch.html", {"batch": batch})


# --- The applicant's side and the gateway --------------------------------------------------


def _applicant_payment(org_code, receipt_number, token) -> Payment:
    organization = organization_by_code(org_code)
    application = procedure_selectors.application_for_applicant(organization, receipt_number, token)
    payment = selectors.payment_of_application(application)
    if payment is None:
        raise Http404
    return payment


@public_view
def applicant_document(request, org_code, receipt_number, token, kind):
    return _document(_applicant_payment(org_code, receipt_number, token), kind)


@public_view
def start_online_payment(request, org_code, receipt_number, token):
    """A link, not a form: it changes nothing here, it only signs the order and sends the payer to
    the gateway (a form posting to another origin would also be blocked by form-action 'self')."""
    payment = _applicant_payment(org_code, receipt_number, token)
    online = online_method_for(payment.procedure)
    if payment.status != Payment.Status.UNPAID or online is None:
        raise Http404
    return_url = absolute(
        reverse(
            "payments_public:gateway_return",
            kwargs={"payment_number": payment.payment_number, "token": payment.gateway_token},
        )
    )
    notify_url = absolute(reverse("payments_public:gateway_notify"))
    return redirect(online.start(payment, return_url=return_url, notify_url=notify_url))


@public_view
def gateway_return(request, payment_number, token):
    """Where the gateway sends the payer back. The payment's status comes from the signed
    notification, never from this page's parameters."""
    payment = selectors.payment_by_gateway_token(payment_number, token)
    if payment is None:
        raise Http404
    application = payment.application
    status_url = reverse(
        "procedures_public:status",
        kwargs={
            "org_code": application.organization.code,
            "receipt_number": application.receipt_number,
            "token": application.status_token,
        },
    )
    # In the language the application was made in, as its status page is.
    with resident_page_language(application.language):
        return render(
            request,
            "payments/gateway_return.html",
            in_page_language({"payment": payment, "status_url": status_url}, application.language),
        )


@public_view
@csrf_exempt
@require_POST
def gateway_notify(request):
    """Without a configured gateway this address does not exist."""
    if not gateway.is_configured():
        raise Http404
    try:
        outcome = services.handle_gateway_notification(
            body=request.body, signature_header=request.headers.get("X-Gateway-Signature", "")
        )
    except services.NotificationRejected as rejection:
        logger.warning("gateway notification refused: %s", rejection)
        return HttpResponse(status=400)
    return HttpResponse(outcome, content_type="text/plain")
