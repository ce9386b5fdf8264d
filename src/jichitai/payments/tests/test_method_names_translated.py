"""Payment method names and descriptions are looked up in the translation catalogue (context
"payment method") each time they are shown, so English mode shows the English the catalogue holds
(here entries added for the test) on the staff panel (``Payment.method_label``) and in the
procedure form's choice of online payment."""

import pytest
from django.utils import translation
from django.utils.translation import trans_real

from jichitai.payments.methods import online_method_choices
from jichitai.payments.models import Payment
from jichitai.payments.registry import payment_methods

CONTEXT = "payment method"


@pytest.fixture
def english_catalogue():
    """Adds entries to the English catalogue for one test, restoring it afterwards."""
    catalogue = trans_real.translation("en")._catalog._catalogs[0]
    before = dict(catalogue)

    def add(entries: dict[str, str]) -> None:
        # gettext keys a message with a context as "context\x04message".
        catalogue.update({f"{CONTEXT}\x04{ja}": en for ja, en in entries.items()})

    yield add
    catalogue.clear()
    catalogue.update(before)


def test_in_japanese_the_names_are_the_source_text():
    with translation.override("ja"):
        assert Payment(method="gateway").method_label == "オンライン決済"
        assert str(payment_methods.get("slip").description).startswith("金融機関の窓口")


def test_in_english_mode_the_catalogues_english_is_shown(english_catalogue):
    english_catalogue(
        {
            "オンライン決済": "Online payment",
            "消込": "Reconciliation",
            "金融機関の窓口で納付する納付書(PDF)": "Payment slip (PDF) to pay at a bank counter",
        }
    )
    with translation.override("en"):
        assert Payment(method="gateway").method_label == "Online payment"
        assert Payment(method="reconciliation").method_label == "Reconciliation"
        assert str(payment_methods.get("slip").description) == (
            "Payment slip (PDF) to pay at a bank counter"
        )
        assert ("gateway", "Online payment") in [
            (name, str(label)) for name, label in online_method_choices()
        ]
    # The same objects give Japanese again once the page is Japanese.
    with translation.override("ja"):
        assert Payment(method="gateway").method_label == "オンライン決済"
