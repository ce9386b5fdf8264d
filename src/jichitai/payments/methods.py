"""Payment methods, one registry: the payment slip (納付書, paid at a bank counter — a convenience
store takes only a slip with the barcode of a 収納代行 contract — and matched from the receipts
file), reconciliation (消込) of those receipts files, the online payment gateway (signed
redirects and HMAC-signed notifications), and money received at the counter or otherwise,
recorded by staff."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from jichitai.core.pdf import render_pdf
from jichitai.payments import gateway
from jichitai.payments.registry import payment_methods


def _always() -> bool:
    return True


@dataclass(frozen=True)
class PaymentMethod:
    name: str
    # Lazy translations (context "payment method"), read in the language of the page showing them.
    label: str | Promise
    description: str | Promise
    # How the 領収書 (always in Japanese, as the office issues it) names the way it was paid.
    receipt_label: str = ""
    # Renders the document the payer takes to pay (PDF bytes), if the method has one.
    document: Callable | None = None
    # Imports the money received (a receipts file) and matches it, if the method does that.
    importer: Callable | None = None
    # Starts an online payment: returns the URL to send the payer to.
    start: Callable | None = None
    # Whether the method can be used with the current settings.
    available: Callable[[], bool] = _always


def offered(name: str) -> PaymentMethod | None:
    """The method registered as ``name`` if it can be used now, else None."""
    if name not in payment_methods:
        return None
    method = payment_methods.get(name)
    return method if method.available() else None


def online_method_choices() -> list[tuple[str, str | Promise]]:
    """What a procedure can name as its ``payment_method``: the registered methods a payer starts
    online (every payment also has its 納付書 with the 納付番号, whatever the procedure names)."""
    return [(name, method.label) for name, method in payment_methods.items() if method.start]


def online_method_for(procedure) -> PaymentMethod | None:
    """The online payment a procedure's payers are offered now: the method the procedure names,
    or when it names none the first registered one; None when that cannot be used now."""
    name = procedure.payment_method
    if not name:
        choices = online_method_choices()
        name = choices[0][0] if choices else ""
    return offered(name)


def payment_slip(payment) -> bytes:
    return render_pdf(
        "payments/pdf/slip.html", {"payment": payment, "organization": payment.organization}
    )


def receipt(payment) -> bytes:
    return render_pdf(
        "payments/pdf/receipt.html", {"payment": payment, "organization": payment.organization}
    )


def _reconcile(**kwargs):
    from jichitai.payments.services import reconcile

    return reconcile(**kwargs)


def _start(payment, **kwargs):
    from jichitai.payments.services import gateway_start_url

    return gateway_start_url(payment=payment, **kwargs)


payment_methods.register(
    "slip",
    PaymentMethod(
        "slip",
        pgettext_lazy("payment method", "納付書"),
        pgettext_lazy("payment method", "金融機関の窓口で納付する納付書(PDF)"),
        receipt_label="納付書(金融機関等)",
        document=payment_slip,
    ),
)
payment_methods.register(
    "reconciliation",
    PaymentMethod(
        "reconciliation",
        pgettext_lazy("payment method", "消込"),
        pgettext_lazy(
            "payment method", "金融機関・収納代行の入金データ(CSV/XLSX)と納付番号・金額で照合"
        ),
        receipt_label="納付書(金融機関等)",
        importer=_reconcile,
    ),
)
payment_methods.register(
    "gateway",
    PaymentMethod(
        "gateway",
        pgettext_lazy("payment method", "オンライン決済"),
        pgettext_lazy("payment method", "クレジットカード等の決済代行(署名付きの通知)"),
        receipt_label="オンライン決済",
        start=_start,
        available=gateway.is_configured,
    ),
)
payment_methods.register(
    "received",
    PaymentMethod(
        "received",
        pgettext_lazy("payment method", "窓口等での受領"),
        pgettext_lazy(
            "payment method",
            "窓口での現金・収入証紙の受領や、消込できなかった振込を、職員が控えをもとに記録",
        ),
        receipt_label="窓口等",
    ),
)
