"""A receipts file is read in the encoding it was saved in — UTF-8 with or without a byte order
mark, Shift_JIS, Excel's 「Unicode テキスト」 (UTF-16, tabs between the cells) — with no setting a
clerk could get wrong: a bank that changes its export, or a file saved again from Excel, is still
matched, and bytes in none of those encodings are refused beside the file."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jichitai.payments import services
from jichitai.payments.models import Payment, ReconciliationProfile
from jichitai.payments.tests.factories import application_with_payment

pytestmark = pytest.mark.django_db


def receipts(payment, *, encoding: str, delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(
        [["お客様番号", "入金額", "入金日"], [payment.payment_number, "1,500", "令和8年11月20日"]]
    )
    return buffer.getvalue().encode(encoding)


def banks_profile(tsu) -> ReconciliationProfile:
    """The settings of a bank whose file heads its columns お客様番号, 入金額 and 入金日."""
    return ReconciliationProfile.objects.create(
        organization=tsu,
        name="百五銀行",
        number_column="お客様番号",
        amount_column="入金額",
        paid_on_column="入金日",
    )


def reconcile(tsu, clerk, data: bytes, *, file_name: str = "入金.csv"):
    profile = banks_profile(tsu)
    return services.reconcile(
        actor=clerk, organization=tsu, profile=profile, file_name=file_name, data=data, kind="csv"
    )


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ","), ("cp932", ","), ("cp932", "\t"), ("utf-16", "\t")],
)
def test_a_receipts_file_is_matched_whatever_encoding_it_was_saved_in(
    tsu, tsu_clerk, encoding, delimiter
):
    payment = application_with_payment(tsu).payment

    batch = reconcile(tsu, tsu_clerk, receipts(payment, encoding=encoding, delimiter=delimiter))

    assert (batch.matched, batch.unmatched, batch.mismatched) == (1, 0, 0)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID


def test_bytes_in_no_encoding_a_bank_saves_are_refused_beside_the_file(tsu, tsu_clerk):
    payment = application_with_payment(tsu).payment
    data = receipts(payment, encoding="utf-8") + b"\x82\xa0\xff\xfe\x00"

    with pytest.raises(ValidationError) as error:
        reconcile(tsu, tsu_clerk, data)

    assert error.value.message_dict == {
        "file": ["文字コードを判別できません。UTF-8 か Shift_JIS で保存し直してください。"]
    }
    payment.refresh_from_db()
    assert payment.status == Payment.Status.UNPAID


def test_the_settings_of_a_banks_file_no_longer_ask_for_its_encoding(tsu, tsu_clerk, login):
    ReconciliationProfile.objects.create(organization=tsu, name="三重銀行")

    page = login(tsu_clerk).get(f"/s/{tsu.code}/payments/reconcile/").content.decode()

    assert 'name="profile-encoding"' not in page
    assert "文字コードは自動で判別します" in page


def test_a_list_saved_from_excel_as_unicode_text_is_imported_from_the_page(tsu, tsu_clerk, login):
    payment = application_with_payment(tsu).payment
    profile = banks_profile(tsu)
    text = receipts(payment, encoding="utf-16", delimiter="\t")

    response = login(tsu_clerk).post(
        f"/s/{tsu.code}/payments/reconcile/",
        {"kind": "receipts", "profile": profile.pk, "file": SimpleUploadedFile("入金.txt", text)},
        follow=True,
    )

    assert "消込 1 件" in response.content.decode()
