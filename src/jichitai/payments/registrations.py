from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jichitai.core.metrics import Metric
from jichitai.core.registry import metrics
from jichitai.dashboard.registry import NavItem, navigation
from jichitai.demo.registry import DemoLoader, demo_loaders
from jichitai.payments import demo, selectors, services
from jichitai.payments.forms import DueDateForm, FeeForm, ReceivedPaymentForm, RefundForm
from jichitai.payments.methods import online_method_choices, online_method_for
from jichitai.procedures.models import Procedure
from jichitai.procedures.registry import (
    FeeSource,
    Panel,
    SubmissionHook,
    applicant_panels,
    fee_sources,
    procedure_options,
    staff_panels,
    submission_hooks,
)
from jichitai.tenancy.models import Role

submission_hooks.register(
    "payments.fee",
    SubmissionHook(
        run=lambda application: services.fee_on_submission(application=application),
        applies_to=lambda procedure: procedure.fee_owed_on_receipt,
    ),
)
procedure_options.register("payment_method", online_method_choices)


def _fee(application) -> dict | None:
    payment = getattr(application, "payment", None)
    if payment is None:
        return None
    return {
        "amount": payment.amount,
        "status": payment.status,
        "status_label": payment.get_status_display(),
        "payment_number": payment.payment_number,
        "due_date": payment.due_date,
        "paid_amount": payment.paid_amount,
        "paid_at": payment.paid_at,
    }


fee_sources.register("payments", FeeSource(related="payment", describe=_fee))

navigation.register(
    "payments",
    NavItem(
        pgettext_lazy("staff menu", "手数料・消込"), "payments:list", order=15, role=Role.CLERK
    ),
)

metrics.register(
    "payments.collected",
    Metric(
        name="payments.collected",
        label=_("電子申請の手数料収納額"),
        unit="円",
        compute=lambda organization, fiscal_year: selectors.collected(organization, fiscal_year),
        description=_("その年度に支払済となった手数料の合計。"),
    ),
)


def _staff_panel(request, application):
    payment = selectors.payment_of_application(application)
    if payment is None and application.procedure.fee_kind != Procedure.FeeKind.AFTER_REVIEW:
        return None
    return {
        "payment": payment,
        "fee_form": FeeForm() if payment is None else None,
        "refund_form": RefundForm(),
        "due_date_form": DueDateForm(auto_id="id_due_%s"),
        "received_form": None
        if payment is None
        else ReceivedPaymentForm(initial={"amount": payment.amount}, auto_id="id_received_%s"),
        "can_manage": request.membership.has_role(Role.MANAGER),
        "can_act": request.membership.has_role(Role.CLERK),
    }


def _applicant_panel(request, application):
    payment = selectors.payment_of_application(application)
    if payment is None:
        return None
    return {
        "payment": payment,
        "application": application,
        "online": online_method_for(application.procedure) is not None,
    }


staff_panels.register(
    "payments", Panel(_("手数料"), "payments/staff_panel.html", _staff_panel, order=20)
)
applicant_panels.register(
    "payments",
    Panel(_("手数料のお支払い"), "payments/applicant_panel.html", _applicant_panel, order=20),
)
demo_loaders.register("payments", DemoLoader(load=demo.load, order=25))
