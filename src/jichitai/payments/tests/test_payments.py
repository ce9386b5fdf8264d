"""Fees and payments: what is owed is created with the application (or set after review), paid by
納付書 and matched from an imported receipts file (消込), or paid online through a gateway whose
signed notifications are handled once; PDFs carry embedded Japanese fonts."""

import csv
import io
import json
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from jichitai.audit.models import AuditEvent
from jichitai.core.registry import metrics
from jichitai.core.tests.pdf import all_fonts_embedded, pdf_text
from jichitai.core.tests.samples import FIRST_SHEET, with_part_rewritten, xlsx_bytes
from jichitai.payments import selectors, services
from jichitai.payments.methods import receipt
from jichitai.payments.models import GatewayNotification, Payment, ReconciliationProfile
from jichitai.payments.numbers import is_valid_payment_number
from jichitai.payments.registry import payment_methods
from jichitai.payments.templatetags.payments_labels import receipt_outcome
from jichitai.payments.tests.factories import application_with_payment, paid_procedure
from jichitai.payments.tests.gateway_simulator import GatewaySimulator
from jichitai.procedures import services as procedures
from jichitai.procedures.tests.factories import event_data


def reconcile_file(tsu, clerk, profile, data: bytes, *, kind: str = "csv"):
    """A receipts file imported by ``clerk`` with the settings of ``profile``."""
    return services.reconcile(
        actor=clerk,
        organization=tsu,
        profile=profile,
        file_name=f"入金.{kind}",
        data=data,
        kind=kind,
    )


def import_on_the_page(client, tsu, profile, content: bytes):
    """The receipts file sent from the 消込 page, following the redirect to its results."""
    return client.post(
        f"/s/{tsu.code}/payments/reconcile/",
        {
            "kind": "receipts",
            "profile": profile.pk,
            "file": SimpleUploadedFile("入金.csv", content),
        },
        follow=True,
    )


@pytest.mark.django_db
class TestFees:
    def test_a_fixed_fee_is_owed_on_submission(self, tsu):
        application = application_with_payment(tsu)
        payment = application.payment
        assert payment.amount == 1500 and payment.status == Payment.Status.UNPAID
        assert is_valid_payment_number(payment.payment_number)
        assert payment.payment_number.startswith("242012")
        assert AuditEvent.objects.filter(action="payments.payment.created").exists()

    def test_a_per_person_fee_counts_persons(self, tsu):
        procedure = paid_procedure(tsu, fee_kind="per_person", fee_amount=500)
        application = procedures.submit_application(
            procedure=procedure, data=event_data(participants=3)
        ).application
        assert application.payment.amount == 1500

    def test_after_review_the_clerk_sets_the_fee(
        self, tsu, tsu_clerk, django_capture_on_commit_callbacks
    ):
        from django.core import mail

        procedure = paid_procedure(tsu, fee_kind="after_review", fee_amount=None)
        application = procedures.submit_application(
            procedure=procedure, data=event_data()
        ).application
        assert not Payment.objects.exists()
        with django_capture_on_commit_callbacks(execute=True):
            payment = services.set_fee(actor=tsu_clerk, application=application, amount=3200)
        assert payment.amount == 3200
        assert "手数料は 3,200 円です。納付期限(令和" in mail.outbox[-1].body
        with pytest.raises(ValidationError, match="すでに設定"):
            services.set_fee(actor=tsu_clerk, application=application, amount=100)

    def test_a_fee_needs_an_amount(self, tsu):
        with pytest.raises(ValidationError):
            paid_procedure(tsu, fee_amount=None)


@pytest.mark.django_db
def test_the_payment_slip_and_receipt_are_pdfs_with_japanese_fonts(tsu):
    tsu.address = "三重県津市西丸之内23番1号"
    tsu.postal_code = "514-8611"
    tsu.save()
    payment = application_with_payment(tsu).payment
    slip = payment_methods.get("slip").document(payment)
    text = pdf_text(slip)
    squeezed = re.sub(r"\s+", "", text)
    assert "納付書" in squeezed and payment.payment_number in text and "¥1,500" in text
    assert "津市" in text and "〒514-8611" in text and "令和" in text
    assert all_fonts_embedded(slip)
    # Without the barcode of a 収納代行 contract a convenience store cannot take the slip: neither
    # the slip, nor the status page, nor the method's description offers one.
    assert "コンビニ" not in squeezed
    application = payment.application
    status = Client().get(
        f"/o/{tsu.code}/status/{application.receipt_number}/{application.status_token}/"
    )
    assert "納付書" in status.content.decode() and "コンビニ" not in status.content.decode()
    assert "コンビニ" not in str(payment_methods.get("slip").description)
    services._mark_paid(payment, amount=1500, paid_at=payment.created_at, method="reconciliation")
    text = re.sub(r"\s+", "", pdf_text(receipt(payment)))
    assert "領収書" in text and "¥1,500-" in text


@pytest.mark.django_db
class TestReconciliation:
    @pytest.fixture
    def payments(self, tsu):
        return [application_with_payment(tsu, n, name=f"講座{n}").payment for n in range(4)]

    def test_a_cp932_receipts_file_is_matched_by_number_and_amount(self, tsu, tsu_clerk, payments):
        profile = ReconciliationProfile.objects.create(organization=tsu, name="三重銀行")
        first, second, third, fourth = payments
        services._mark_paid(fourth, amount=1500, paid_at=fourth.created_at, method="gateway")
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["納付番号", "金額", "入金日", "備考"])
        writer.writerow([first.payment_number, "1,500", "令和8年11月20日", "髙橋"])
        writer.writerow([second.payment_number, "1000", "2026-11-20", ""])
        writer.writerow(["9999999999999999", "1500", "2026-11-20", ""])
        writer.writerow([fourth.payment_number, "1500", "2026-11-20", ""])
        batch = reconcile_file(tsu, tsu_clerk, profile, buffer.getvalue().encode("cp932"))
        assert (batch.matched, batch.mismatched, batch.unmatched, batch.already_paid) == (
            1,
            1,
            1,
            1,
        )
        first.refresh_from_db()
        assert first.status == Payment.Status.PAID
        assert timezone.localtime(first.paid_at).date().isoformat() == "2026-11-20"
        results = [row["result"] for row in batch.rows]
        assert results == ["matched", "mismatched", "unmatched", "already_paid"]
        assert "金額が違います" in receipt_outcome(batch.rows[1])
        third.refresh_from_db()
        assert third.status == Payment.Status.UNPAID

    def test_column_mapping_and_xlsx(self, tsu, tsu_clerk, payments):
        profile = ReconciliationProfile.objects.create(
            organization=tsu,
            name="収納代行",
            number_column="お客様番号",
            amount_column="入金額",
            paid_on_column="収納日",
            header_row=2,
        )
        content = xlsx_bytes(
            [
                ["収納データ"],
                ["お客様番号", "入金額", "収納日"],
                [payments[0].payment_number, 1500, "R8.11.21"],
            ]
        )
        batch = reconcile_file(tsu, tsu_clerk, profile, content, kind="xlsx")
        assert batch.matched == 1

    def reconcile_rows(self, tsu, tsu_clerk, rows):
        profile = ReconciliationProfile.objects.create(organization=tsu, name="銀行")
        buffer = io.StringIO()
        csv.writer(buffer).writerows([["納付番号", "金額", "入金日"], *rows])
        return reconcile_file(tsu, tsu_clerk, profile, buffer.getvalue().encode())

    @pytest.mark.parametrize("kind", ["csv", "xlsx"])
    def test_title_lines_above_the_headings_are_passed_over(self, tsu, tsu_clerk, payments, kind):
        """Banks put a title and the account above the headings; the headings are found on
        the first rows wherever they are, and rows are still numbered as in the file."""
        profile = ReconciliationProfile.objects.create(organization=tsu, name="銀行")
        lines = [
            ["入金明細(令和8年11月分)"],
            ["口座", "普通 1234567"],
            ["納付番号", "金額", "入金日"],
            [payments[0].payment_number, "1500", "2026/11/20"],
        ]
        if kind == "xlsx":
            data = xlsx_bytes(lines)
        else:
            buffer = io.StringIO()
            csv.writer(buffer).writerows(lines)
            data = buffer.getvalue().encode("utf-8-sig")

        batch = reconcile_file(tsu, tsu_clerk, profile, data, kind=kind)

        assert batch.matched == 1
        assert batch.rows[0]["row"] == 4

    def test_an_unterminated_quote_is_refused_not_left_to_swallow_the_lines_after_it(
        self, tsu, tsu_clerk, payments
    ):
        """Read leniently, a quote never closed makes one cell of the rest of the file: the
        receipts after it would silently never be matched."""
        profile = ReconciliationProfile.objects.create(organization=tsu, name="銀行")
        data = (
            f'納付番号,金額,入金日\n{payments[0].payment_number},1500,"2026/11/20\n'
            f"{payments[1].payment_number},1500,2026/11/20\n"
        ).encode()

        with pytest.raises(ValidationError, match="CSV として読めません"):
            reconcile_file(tsu, tsu_clerk, profile, data)
        assert not Payment.objects.filter(status=Payment.Status.PAID).exists()

    def test_a_number_written_in_groups_is_read_as_one(self, tsu, tsu_clerk, payments):
        number = payments[0].payment_number
        grouped = " ".join([number[:4], number[4:8], number[8:12], number[12:16], number[16:]])

        batch = self.reconcile_rows(tsu, tsu_clerk, [[grouped, "1500", "2026/11/20"]])

        assert batch.matched == 1

    @pytest.mark.parametrize("kind", ["csv", "xlsx"])
    def test_a_number_excel_turned_into_a_rounded_figure_is_told_as_such(
        self, tsu, tsu_clerk, payments, kind
    ):
        """Excel keeps 15 significant digits: a 19-digit 納付番号 saved as a number comes back as
        2.42012E+18 (in a CSV) or a rounded float (in a workbook). The line says the digits were
        lost and how to export the file again, instead of 「この納付番号の納付はありません」."""
        profile = ReconciliationProfile.objects.create(organization=tsu, name="銀行")
        number = int(payments[0].payment_number)
        if kind == "xlsx":
            data = xlsx_bytes([["納付番号", "金額", "入金日"], [float(number), 1500, "2026/11/20"]])
        else:
            data = f"納付番号,金額,入金日\n{number:.5E},1500,2026/11/20\n".encode("utf-8-sig")

        batch = reconcile_file(tsu, tsu_clerk, profile, data, kind=kind)

        assert (batch.matched, batch.unmatched) == (0, 1)
        assert "桁" in receipt_outcome(batch.rows[0]) and "文字列" in receipt_outcome(batch.rows[0])

    def test_a_workbook_whose_sheet_is_damaged_is_refused_beside_the_file(
        self, tsu, tsu_clerk, payments
    ):
        profile = ReconciliationProfile.objects.create(organization=tsu, name="銀行")
        good = xlsx_bytes(
            [["納付番号", "金額", "入金日"], [payments[0].payment_number, 1500, "R8.11.20"]]
        )
        damaged = with_part_rewritten(good, FIRST_SHEET, lambda xml: xml[: len(xml) // 2])

        with pytest.raises(ValidationError, match="Excel"):
            reconcile_file(tsu, tsu_clerk, profile, damaged, kind="xlsx")
        assert not Payment.objects.filter(status=Payment.Status.PAID).exists()

    def test_a_workbook_claiming_the_whole_sheet_is_read_by_what_it_holds(
        self, tsu, tsu_clerk, payments
    ):
        """One stray note at Excel's last row and column: the sheet says it spans 17 billion
        cells, and is read by the few it holds; a note far right of any receipts column is not
        a receipt."""
        book = Workbook()
        sheet = book.active
        sheet.append(["納付番号", "金額", "入金日"])
        sheet.append([payments[0].payment_number, 1500, "R8.11.20"])
        sheet["XFD1048576"] = "メモ"
        buffer = io.BytesIO()
        book.save(buffer)
        profile = ReconciliationProfile.objects.create(organization=tsu, name="銀行")

        batch = reconcile_file(tsu, tsu_clerk, profile, buffer.getvalue(), kind="xlsx")

        assert batch.matched == 1
        assert [row["row"] for row in batch.rows] == [2]

    @pytest.mark.parametrize("paid_on", ["12/01", "", "不明"])
    def test_a_receipt_whose_date_cannot_be_read_is_reported_not_dated_today(
        self, tsu, tsu_clerk, payments, paid_on
    ):
        """The 領収書 and the totals per 年度 go by the day the money came in: a row without a
        readable day is left for a person, not marked paid on the day of the import."""
        batch = self.reconcile_rows(tsu, tsu_clerk, [[payments[0].payment_number, "1500", paid_on]])

        assert (batch.matched, batch.mismatched) == (0, 1)
        assert "入金日" in receipt_outcome(batch.rows[0])
        payments[0].refresh_from_db()
        assert payments[0].status == Payment.Status.UNPAID

    @pytest.mark.parametrize(
        "amount", ["¥1,500", "￥1,500", "1500.00", "１，５００円", " 1,500 円"]
    )
    def test_amounts_are_read_as_banks_write_them(self, tsu, tsu_clerk, payments, amount):
        batch = self.reconcile_rows(
            tsu, tsu_clerk, [[payments[0].payment_number, amount, "2026/11/20"]]
        )

        assert batch.matched == 1, batch.rows

    def test_a_yen_sign_in_a_shift_jis_file_is_read_as_one(self, tsu, tsu_clerk, payments):
        """Shift_JIS puts ¥ at the byte of ASCII's backslash, and CP932 decodes it as ``\\``."""
        profile = ReconciliationProfile.objects.create(organization=tsu, name="銀行")
        data = (
            f'納付番号,金額,入金日\r\n{payments[0].payment_number},"'.encode("cp932")
            + b"\x5c1,500"
            + '",令和8年11月20日\r\n'.encode("cp932")
        )

        batch = reconcile_file(tsu, tsu_clerk, profile, data)

        assert batch.matched == 1, batch.rows

    @pytest.mark.parametrize("amount", ["1500.5", "15OO", "-1500"])
    def test_an_amount_that_is_not_whole_yen_owed_does_not_match(
        self, tsu, tsu_clerk, payments, amount
    ):
        batch = self.reconcile_rows(
            tsu, tsu_clerk, [[payments[0].payment_number, amount, "2026/11/20"]]
        )

        assert (batch.matched, batch.mismatched) == (0, 1)

    def test_a_file_without_the_columns_is_refused_and_changes_nothing(
        self, tsu, tsu_clerk, payments
    ):
        profile = ReconciliationProfile.objects.create(organization=tsu, name="銀行")
        with pytest.raises(ValidationError, match="列「金額」「入金日」が見つかりません"):
            reconcile_file(tsu, tsu_clerk, profile, "納付番号\n1\n".encode())
        assert not Payment.objects.filter(status=Payment.Status.PAID).exists()

    def test_a_file_with_a_column_twice_is_refused_rather_than_read_from_either(
        self, tsu, tsu_clerk, payments
    ):
        # 請求額 and 入金額 both headed 金額: which one is the amount paid is not for the
        # platform to guess.
        profile = ReconciliationProfile.objects.create(organization=tsu, name="銀行")
        content = f"納付番号,金額,金額,入金日\n{payments[0].payment_number},1500,1000,2026-11-20\n"

        with pytest.raises(ValidationError, match="列「金額」が2つあります"):
            reconcile_file(tsu, tsu_clerk, profile, content.encode())
        assert not Payment.objects.exclude(status=Payment.Status.UNPAID).exists()

    def test_the_page_imports_and_reports(self, tsu, tsu_clerk, login, payments):
        profile = ReconciliationProfile.objects.create(organization=tsu, name="三重銀行")
        content = f"納付番号,金額,入金日\n{payments[0].payment_number},1500,2026-11-20\n0000,1,2026-11-20\n".encode(
            "cp932"
        )
        client = login(tsu_clerk)
        response = import_on_the_page(client, tsu, profile, content)
        body = response.content.decode()
        assert "消込 1 件" in body and "該当なし 1 件" in body
        assert "この納付番号の納付はありません" in body

    def test_a_row_left_for_a_person_links_to_its_application(
        self, tsu, tsu_clerk, login, payments
    ):
        profile = ReconciliationProfile.objects.create(organization=tsu, name="三重銀行")
        content = f"納付番号,金額,入金日\n{payments[0].payment_number},1500,12/01\n".encode("cp932")

        response = import_on_the_page(login(tsu_clerk), tsu, profile, content)

        body = response.content.decode()
        assert "入金日「12/01」を日付として読み取れません" in body
        assert f'href="/s/{tsu.code}/inbox/{payments[0].application_id}/"' in body

    def test_the_only_profile_is_already_chosen_and_two_ask_for_a_choice(
        self, tsu, tsu_clerk, login
    ):
        """With one bank's settings a clerk only picks the file; with two they must say which
        bank's file it is (a wrong guess would mismatch every row)."""
        import re

        client = login(tsu_clerk)

        def options():
            page = client.get(f"/s/{tsu.code}/payments/reconcile/").content.decode()
            select = page.split('name="profile"', 1)[1].split("</select>", 1)[0]
            return re.findall(r"<option[^>]*>([^<]*)</option>", select)

        ReconciliationProfile.objects.create(organization=tsu, name="三重銀行")
        assert options() == ["三重銀行"]
        ReconciliationProfile.objects.create(organization=tsu, name="百五銀行")
        assert options() == ["選択してください", "三重銀行", "百五銀行"]

    def test_a_profile_saved_from_the_page_is_audited(self, tsu, tsu_clerk, login):
        response = login(tsu_clerk).post(
            f"/s/{tsu.code}/payments/reconcile/",
            {
                "kind": "profile",
                "profile-name": "百五銀行",
                "profile-number_column": "納付番号",
                "profile-amount_column": "入金額",
                "profile-paid_on_column": "入金日",
                "profile-header_row": "2",
            },
        )
        assert response.status_code == 302
        profile = ReconciliationProfile.objects.get(organization=tsu)
        assert (profile.name, profile.amount_column, profile.header_row) == (
            "百五銀行",
            "入金額",
            2,
        )
        event = AuditEvent.objects.get(action="payments.reconciliationprofile.created")
        assert event.actor == tsu_clerk and event.organization == tsu


@pytest.mark.django_db
def test_cancel_and_refund_need_the_right_state(tsu, tsu_admin):
    payment = application_with_payment(tsu).payment
    with pytest.raises(ValidationError):
        services.refund(actor=tsu_admin, payment=payment, reason="誤り")
    services._mark_paid(payment, amount=1500, paid_at=payment.created_at, method="gateway")
    with pytest.raises(ValidationError):
        services.cancel(actor=tsu_admin, payment=payment)
    services.refund(actor=tsu_admin, payment=payment, reason="二重払い")
    assert payment.status == Payment.Status.REFUNDED


@pytest.mark.django_db
def test_totals_per_procedure_per_year_and_the_metric(tsu):
    paid = application_with_payment(tsu, 1, name="A").payment
    application_with_payment(tsu, 2, name="B")
    services._mark_paid(paid, amount=1500, paid_at=paid.created_at, method="gateway")
    totals = {
        row["procedure__name"]: row for row in selectors.totals_by_procedure(tsu, paid.fiscal_year)
    }
    assert (
        totals["A"]["paid"] == 1500
        and totals["B"]["paid"] is None
        and totals["B"]["billed"] == 1500
    )
    assert metrics.get("payments.collected").compute(tsu, paid.fiscal_year) == 1500


@pytest.mark.django_db(transaction=True)
class TestGateway:
    SECRET = "gateway-test-secret-0123456789-abcdefghij"

    @pytest.fixture
    def gateway(self, settings, live_server):
        with GatewaySimulator(self.SECRET) as simulator:
            settings.JICHITAI_PAYMENT_GATEWAY = {
                "url": simulator.url,
                "merchant": "tsu",
                "secret": self.SECRET,
            }
            settings.JICHITAI_BASE_URL = live_server.url
            yield simulator

    def _order(self, application):
        client = Client()
        response = client.get(
            f"/o/{application.organization.code}/status/{application.receipt_number}/{application.status_token}/payment/pay/"
        )
        assert response.status_code == 302
        return {
            key: values[0] for key, values in parse_qs(urlparse(response["Location"]).query).items()
        }

    def test_a_signed_notification_marks_the_payment_paid_once(self, tsu, gateway):
        application = application_with_payment(tsu)
        order = self._order(application)
        assert gateway.order_is_genuine(order) and order["amount"] == "1500"
        assert gateway.notify(order, event_id="evt-1") == 200
        assert gateway.notify(order, event_id="evt-1") == 200  # the gateway retries the same event
        payment = Payment.objects.get()
        assert payment.status == Payment.Status.PAID and payment.method == "gateway"
        assert GatewayNotification.objects.count() == 1
        assert AuditEvent.objects.filter(action="payments.payment.paid").count() == 1

    def test_forged_and_altered_notifications_change_nothing(self, tsu, gateway):
        application = application_with_payment(tsu)
        order = self._order(application)
        assert gateway.notify(order, secret="wrong-secret-0123456789-abcdefghijkl") == 400
        assert gateway.notify(order, amount="1") == 200
        assert Payment.objects.get().status == Payment.Status.UNPAID
        assert GatewayNotification.objects.get().outcome == "amount or status mismatch"

    def test_a_tampered_order_is_refused_by_the_gateway(self, tsu, gateway):
        application = application_with_payment(tsu)
        order = self._order(application)
        order["amount"] = "1"
        assert not gateway.order_is_genuine(order)


def test_notifications_reject_garbage(db, settings):
    secret = "notification-test-secret-0123456789-abcdef"
    settings.JICHITAI_PAYMENT_GATEWAY = {
        "url": "http://127.0.0.1:9/pay",
        "merchant": "m",
        "secret": secret,
    }
    body = json.dumps({"nothing": 1}).encode()
    response = Client().post(
        "/payments/gateway/notify",
        body,
        content_type="application/json",
        HTTP_X_GATEWAY_SIGNATURE="sha256=" + services.sign(secret=secret, payload=body),
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_the_applications_history_tells_what_became_of_its_fee(tsu, tsu_clerk):
    """The applicant and the clerk read in the history when the fee was charged after review,
    paid, cancelled or refunded (the details stay in the fee panel; a refund's reason stays in the
    audit log)."""
    from jichitai.procedures.selectors import history

    def kinds(application):
        return [event.kind for event in history(application, internal=False)]

    paid = application_with_payment(tsu)
    services._mark_paid(
        paid.payment, amount=1500, paid_at=paid.payment.created_at, method="reconciliation"
    )
    services.refund(actor=tsu_clerk, payment=paid.payment, reason="使用日の変更による取りやめ")
    assert kinds(paid) == ["submitted", "fee_paid", "fee_refunded"]
    assert "使用日の変更" not in " ".join(e.message for e in history(paid, internal=False))

    cancelled = application_with_payment(tsu, 1, name="別の講座")
    services.cancel(actor=tsu_clerk, payment=cancelled.payment)
    assert kinds(cancelled) == ["submitted", "fee_cancelled"]

    reviewed = application_with_payment(tsu, 2, name="審査後の講座", fee_kind="after_review")
    services.set_fee(actor=tsu_clerk, application=reviewed, amount=800)
    assert kinds(reviewed) == ["submitted", "fee_charged"]


@pytest.mark.django_db
class TestRefusedFeeForms:
    """A fee or a refund that cannot be recorded comes back with the error beside its field and
    what was typed still in it, not as a note above the application with the field emptied."""

    def test_an_amount_that_is_not_a_whole_number_of_yen(self, tsu, tsu_admin, login):
        procedure = paid_procedure(tsu, fee_kind="after_review", fee_amount=None)
        application = procedures.submit_application(
            procedure=procedure, data=event_data()
        ).application

        response = login(tsu_admin).post(
            f"/s/{tsu.code}/inbox/{application.pk}/fee/", {"amount": "3,200.5"}
        )

        assert response.status_code == 422 and not Payment.objects.exists()
        page = response.content.decode()
        assert 'value="3,200.5"' in page and 'aria-invalid="true"' in page
        assert application.receipt_number in page

    def test_a_refund_without_its_reason(self, tsu, tsu_admin, login):
        payment = application_with_payment(tsu).payment
        services._mark_paid(payment, amount=1500, paid_at=payment.created_at, method="gateway")

        response = login(tsu_admin).post(
            f"/s/{tsu.code}/payments/{payment.pk}/refund/", {"reason": "  "}
        )

        assert response.status_code == 422
        payment.refresh_from_db()
        assert payment.status == Payment.Status.PAID
        assert 'id="id_reason"' in response.content.decode()
        assert 'aria-invalid="true"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["3,200", "３，２００", "3200円", " 3200 "])
def test_a_fee_is_typed_as_amounts_are_written(tsu, tsu_admin, login, typed):
    procedure = paid_procedure(tsu, fee_kind="after_review", fee_amount=None)
    application = procedures.submit_application(procedure=procedure, data=event_data()).application

    login(tsu_admin).post(f"/s/{tsu.code}/inbox/{application.pk}/fee/", {"amount": typed})

    assert Payment.objects.get().amount == 3200
