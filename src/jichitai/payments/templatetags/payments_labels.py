"""What became of each line of a receipts file (``ReconciliationBatch.rows``), in the language of
whoever reads the results: the batch keeps a reason code and its figures, not a sentence."""

from collections.abc import Mapping

from django import template
from django.utils.translation import gettext as _

from jichitai.payments.models import Payment
from jichitai.payments.registry import payment_methods

register = template.Library()


def _method_label(code: str) -> str:
    return str(payment_methods.get(code).label) if code in payment_methods else code


@register.filter
def receipt_outcome(row: Mapping) -> str:
    reason = row.get("reason")
    if reason == "matched":
        return _("%(receipt_number)s を支払済にしました。") % {
            "receipt_number": row["receipt_number"]
        }
    if reason == "number_rounded":
        return _(
            "納付番号「%(number)s」は Excel で数値として扱われ、15桁を超える桁が失われています。納付番号の列を文字列にして出力し直してください。"
        ) % {"number": row["number"]}
    if reason == "no_payment":
        return _("この納付番号の納付はありません。")
    if reason == "already_paid":
        return _("すでに支払済です(%(method)s)。二重入金の可能性があります。") % {
            "method": _method_label(row["method"])
        }
    if reason == "not_unpaid":
        return _("この納付は「%(status)s」です。") % {"status": Payment.Status(row["status"]).label}
    if reason == "amount_unreadable":
        return _("金額「%(amount)s」を円の金額として読み取れません。") % {"amount": row["amount"]}
    if reason == "amount_differs":
        return _("金額が違います(請求 %(owed)s円、入金 %(received)s円)。") % {
            "owed": f"{row['owed']:,}",
            "received": f"{row['received']:,}",
        }
    if reason == "date_unreadable":
        return _(
            "入金日「%(day)s」を日付として読み取れません。入金を確かめて、申請の画面で記録してください。"
        ) % {"day": row["paid_on"]}
    # Lines kept before outcomes were stored as reason codes carry their sentence in Japanese.
    return row.get("message", "")
