"""The demo lets a newcomer see fees and issued documents end to end: 津市's meeting-room
procedure has one application approved, paid through an imported receipts file and given its
使用許可証, and one still waiting with its 納付書 unpaid."""

import pytest
from django.core.management import call_command

from jichitai.core.tests.pdf import pdf_text
from jichitai.payments.models import Payment
from jichitai.procedures.models import Application


@pytest.mark.django_db
def test_the_demo_has_a_paid_fee_with_its_receipt_and_permit_and_an_unpaid_slip(client):
    call_command("demo", quiet_logins=True)
    call_command("demo", quiet_logins=True)  # runs again without paying or issuing twice
    applications = Application.objects.filter(
        organization__code="242012", procedure__name="市民活動センター 会議室の使用申請"
    ).order_by("pk")
    approved, waiting = applications
    assert (approved.status, waiting.status) == ("approved", "received")
    assert (approved.payment.status, waiting.payment.status) == (
        Payment.Status.PAID,
        Payment.Status.UNPAID,
    )
    assert approved.payment.amount == 1200 and approved.issued_documents.count() == 1

    status = f"/o/242012/status/{approved.receipt_number}/{approved.status_token}/"
    page = client.get(status).content.decode()
    assert "領収書" in page and "市民活動センター会議室使用許可証" in page
    receipt = client.get(f"{status}payment/receipt.pdf")
    assert receipt["Content-Type"] == "application/pdf"
    assert "1,200" in pdf_text(receipt.content)
    document = approved.issued_documents.get()
    response = client.get(f"{status}documents/{document.pk}.pdf")
    permit = pdf_text(b"".join(response.streaming_content))
    assert "使用を許可します" in permit and approved.receipt_number in permit
    assert "会議室: 第1会議室(20人)" in permit and "使用の目的: 自治会役員会" in permit

    waiting_status = f"/o/242012/status/{waiting.receipt_number}/{waiting.status_token}/"
    slip = client.get(f"{waiting_status}payment/slip.pdf")
    assert waiting.payment.payment_number in pdf_text(slip.content)


@pytest.mark.django_db
def test_the_demo_room_refuses_a_day_outside_the_three_months_it_takes_bookings_for(client):
    from jichitai.procedures.models import Procedure

    call_command("demo", quiet_logins=True)
    room = Procedure.objects.get(name="市民活動センター 会議室の使用申請")
    page = client.post(
        f"/o/242012/procedures/{room.pk}/",
        {"use_date": "2020-01-10", "_action": "next"},
    ).content.decode()
    assert "使用日は今日から3か月以内の日付を入力してください。" in page
