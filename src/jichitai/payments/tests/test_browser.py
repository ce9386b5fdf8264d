"""The resident's signed and paid application in real Chromium: the data to sign is downloaded
from the confirmation page and signed (with the test PKI, as a card-reader application would), a
tampered signature is refused with its message, the accepted application owes its fee, the payment
slip opens as a PDF, and paying online through the gateway simulator marks it paid."""

from pathlib import Path

import pytest

from jichitai.payments.models import Payment
from jichitai.payments.tests.factories import paid_procedure
from jichitai.payments.tests.gateway_simulator import GatewaySimulator
from jichitai.signatures import pki
from jichitai.signatures import services as signature_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_signed_application_with_a_fee_paid_online(
    page, live_server, accessible, tsu, settings, tmp_path
):
    ca = pki.make_ca()
    signer = pki.issue(ca, "三重 花子")
    signature_services.add_trust_anchor(
        actor=None, organization=tsu, name="CA", data=ca.certificate_pem.encode()
    )
    signature_services.add_revocation_list(actor=None, organization=tsu, data=pki.make_crl(ca))
    procedure = paid_procedure(tsu, name="証明書の交付申請", needs_signature=True)
    settings.JICHITAI_BASE_URL = live_server.url

    page.goto(f"/o/{tsu.code}/procedures/{procedure.pk}/")
    page.get_by_label("姓", exact=True).fill("三重")
    page.get_by_label("名", exact=True).fill("花子")
    page.get_by_label("セイ").fill("ミエ")
    page.get_by_label("メイ").fill("ハナコ")
    page.get_by_role("textbox", name="メールアドレス 必須", exact=True).fill("hanako@example.jp")
    page.get_by_label("参加人数").fill("1")
    page.get_by_label("同意する").check()
    page.get_by_role("button", name="入力内容を確認する").click()
    page.get_by_role("heading", name="電子署名").wait_for()
    accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="署名用データをダウンロード").click()
    content = Path(download.value.path()).read_bytes()

    tampered = tmp_path / "tampered.p7s"
    tampered.write_bytes(
        pki.sign_detached(
            content.replace(b"\\u82b1", b"X").replace("花子".encode(), "太郎".encode()), signer
        )
    )
    page.get_by_label("電子署名ファイル(.p7s・.p7m)").set_input_files(str(tampered))
    page.get_by_role("button", name="送信する").click()
    page.get_by_role("alert").get_by_text("署名したあとに申請内容が変わっています").wait_for()
    accessible(page)

    signature = tmp_path / "application.p7s"
    signature.write_bytes(pki.sign_detached(content, signer))
    page.get_by_label("電子署名ファイル(.p7s・.p7m)").set_input_files(str(signature))
    page.get_by_role("button", name="送信する").click()
    page.get_by_text("受け付けました。").wait_for()
    page.get_by_role("link", name="手続の状況を確認する").click()
    page.get_by_role("heading", name="手数料のお支払い").wait_for()
    assert page.locator("#payment-status").inner_text() == "未払"
    accessible(page)

    slip = page.context.request.get(
        page.get_by_role("link", name="納付書(PDF)を表示").get_attribute("href")
    )
    assert slip.headers["content-type"] == "application/pdf" and slip.body().startswith(b"%PDF")

    with GatewaySimulator("browser-test-secret-0123456789-abcdefghij") as gateway:
        settings.JICHITAI_PAYMENT_GATEWAY = {
            "url": gateway.url,
            "merchant": "tsu",
            "secret": "browser-test-secret-0123456789-abcdefghij",
        }
        page.reload()
        page.get_by_role("link", name="オンラインで支払う").click()
        page.get_by_role("heading", name="決済(テスト)").wait_for()
        assert page.locator("#amount").inner_text() == "1500円"
        page.get_by_role("button", name="支払う").click()
        page.get_by_text("1,500 円のお支払いを確認しました。").wait_for()
        accessible(page)
    page.get_by_role("link", name="手続の状況ページへ戻る").click()
    assert page.locator("#payment-status").inner_text() == "支払済"
    assert page.get_by_role("link", name="領収書(PDF)").is_visible()
    assert Payment.objects.get().method == "gateway"


def test_a_reconciliation_result_reads_on_a_phone(browser, live_server, tsu, tsu_admin, accessible):
    """At 360 px each line of the receipts file is a block naming its fields, with its outcome in
    view: before, the 結果 column sat off screen beside figures broken over two lines."""
    from django.conf import settings

    from jichitai.conftest import verified_client
    from jichitai.payments import services
    from jichitai.payments.models import ReconciliationProfile
    from jichitai.payments.tests.factories import application_with_payment

    payment = application_with_payment(tsu).payment
    profile = ReconciliationProfile.objects.create(organization=tsu, name="三重銀行")
    receipts = (
        f"納付番号,金額,入金日\n{payment.payment_number},1500,2026/11/20\n0000,1,2026/11/20\n"
    )
    batch = services.reconcile(
        actor=tsu_admin,
        organization=tsu,
        profile=profile,
        file_name="入金.csv",
        data=receipts.encode("cp932"),
        kind="csv",
    )
    session = verified_client(tsu_admin).cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(
        locale="ja-JP", base_url=live_server.url, viewport={"width": 360, "height": 800}
    )
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"/s/{tsu.code}/payments/reconcile/{batch.pk}/")
    for outcome in ("消込", "該当なし"):
        badge = page.locator(".badge", has_text=outcome).first.bounding_box()
        assert badge["x"] + badge["width"] <= 360, f"「{outcome}」 is off screen"
    amount = page.get_by_text("1,500", exact=True)
    assert amount.bounding_box()["height"] < 45  # one line (two would be about 60 px)
    accessible(page)

    # The list of payments likewise: each one's status and due date in view.
    page.goto(f"/s/{tsu.code}/payments/")
    status = page.locator("td[data-label='状態']", has_text="支払済").bounding_box()
    assert status["x"] + status["width"] <= 360
    accessible(page)
    context.close()


def test_a_manager_records_money_received_at_the_counter(desk, tsu, make_member, accessible):
    """Keyboard and screen reader reach the form folded under the fee: opened from its summary,
    labelled fields, the refused day told beside its field and kept, then the fee paid."""
    from django.utils import timezone

    from jichitai.payments.tests.factories import application_with_payment
    from jichitai.tenancy.models import Role

    payment = application_with_payment(tsu).payment
    staff = desk(make_member(tsu, Role.MANAGER))
    staff.goto(f"/s/{tsu.code}/inbox/{payment.application_id}/")
    staff.locator("#payment-received summary").focus()
    staff.keyboard.press("Enter")
    staff.get_by_label("入金日").fill("12月1日")
    staff.get_by_label("入金の記録").fill("窓口領収番号 0123")
    staff.get_by_role("button", name="入金を記録する").click()
    staff.get_by_text("日付として読み取れません").first.wait_for()
    assert staff.get_by_label("入金日").input_value() == "12月1日"
    accessible(staff)

    staff.get_by_label("入金日").fill(timezone.localdate().isoformat())
    staff.get_by_role("button", name="入金を記録する").click()
    staff.get_by_text("入金を記録し、申請者に納付の確認をお知らせしました。").wait_for()
    assert staff.locator("#payment-status").inner_text() == "支払済"
    accessible(staff)
