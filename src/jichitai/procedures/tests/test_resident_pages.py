"""The resident's pages without JavaScript: 入力 → 確認 → 完了, bad input kept and explained, a
double submit creating nothing more, drafts, e-mail verification and the status page."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from jichitai.core.tests.samples import pdf_bytes
from jichitai.procedures.models import Application, Procedure
from jichitai.procedures.tests.factories import published_procedure

JST = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def event(tsu):
    return published_procedure(tsu, capacity=10)


def form_post(**overrides):
    data = {
        "applicant__family": "三重",
        "applicant__given": "花子",
        "applicant__family_kana": "みえ",
        "applicant__given_kana": "はなこ",
        "email": "hanako@example.jp",
        "participants": "２",
        "agree": "on",
        "_action": "confirm",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_input_confirm_complete(event, tsu, django_capture_on_commit_callbacks):
    client = Client()
    url = f"/o/{tsu.code}/procedures/{event.pk}/"
    page = client.get(url).content.decode()
    assert "入力内容を確認する" in page and 'aria-current="step"' in page
    response = client.post(url, form_post())
    assert response.status_code == 302 and response["Location"].endswith("/confirm/")
    confirm = client.get(response["Location"]).content.decode()
    assert "三重 花子(ミエ ハナコ)" in confirm and "2人" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(response["Location"], follow=True)
    application = Application.objects.get()
    assert application.receipt_number in done.content.decode()
    assert len(mail.outbox) == 1
    # Reloading the confirmation (a double submit) creates nothing more.
    client.post(response["Location"])
    assert Application.objects.count() == 1


@pytest.mark.django_db
def test_bad_input_is_explained_next_to_the_field_and_kept(event, tsu):
    client = Client()
    response = client.post(
        f"/o/{tsu.code}/procedures/{event.pk}/",
        form_post(email="hanako", participants="9", agree=""),
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert 'role="alert"' in body and "入力内容に誤りがあります(3件)" in body
    assert 'id="field-email-error"' in body and "メールアドレスの形式が正しくありません" in body
    assert 'aria-invalid="true"' in body
    assert 'value="hanako"' in body and 'value="三重"' in body  # what was typed stays
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_conditional_questions_are_decided_by_the_server(event, tsu):
    client = Client()
    url = f"/o/{tsu.code}/procedures/{event.pk}/"
    page = client.get(url).content.decode()
    assert "「支援の希望」で「希望する」を選んだ方のみお答えください。" in page
    response = client.post(url, form_post(needs_support="希望する"))
    assert "「希望する支援の内容」を入力してください。" in response.content.decode()
    response = client.post(
        url, form_post(needs_support="希望しない", support_detail="送っても使われない")
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_full_event_is_shown_as_closed(tsu):
    full = published_procedure(tsu, capacity=1)
    from jichitai.procedures import services
    from jichitai.procedures.tests.factories import event_data

    services.submit_application(procedure=full, data=event_data())
    page = Client().get(f"/o/{tsu.code}/procedures/{full.pk}/").content.decode()
    assert "定員に達したため受付を終了しました" in page


@pytest.mark.django_db
def test_the_closed_page_says_whether_the_procedure_ended_or_is_not_open_yet(tsu, tsu_admin):
    from jichitai.procedures import services

    now = timezone.now()
    ended = published_procedure(
        tsu, name="終わった講座", capacity=10, closes_at=datetime(2026, 4, 1, 17, 0, tzinfo=JST)
    )
    future = published_procedure(tsu, name="これからの講座", opens_at=now + timedelta(days=30))
    stopped = services.close_procedure(
        actor=tsu_admin, procedure=published_procedure(tsu, name="締め切った講座", capacity=10)
    )

    def notice(procedure):
        page = Client().get(f"/o/{tsu.code}/procedures/{procedure.pk}/").content.decode()
        return re.search(r'<p class="notice[^>]*>(.*?)</p>', page, re.S).group(1)

    assert notice(ended) == "この手続の受付は 令和8年4月1日 17:00 に終了しました。"
    assert "から受け付けます" in notice(future) and "終了" not in notice(future)
    assert notice(stopped) == "この手続の受付は終了しました。"


@pytest.mark.django_db
def test_drafts_resume_from_the_emailed_link(event, tsu, django_capture_on_commit_callbacks):
    client = Client()
    url = f"/o/{tsu.code}/procedures/{event.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            form_post(_action="save_draft", **{"draft-email": "hanako@example.jp", "email": ""}),
        )
    assert response.status_code == 302
    link = re.search(r"http://127\.0\.0\.1:8000(\S+)", mail.outbox[0].body).group(1)
    other_browser = Client()
    page = other_browser.get(link, follow=True).content.decode()
    assert 'value="三重"' in page and "一時保存した内容を読み込みました" in page


@pytest.mark.django_db
def test_email_verification_before_applying(tsu, django_capture_on_commit_callbacks):
    procedure = published_procedure(tsu, identity=Procedure.Identity.EMAIL, one_per_email=True)
    client = Client()
    url = f"/o/{tsu.code}/procedures/{procedure.pk}/"
    assert "確認メールを送る" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{url}verify/", {"email": "verified@example.jp"})
    link = re.search(r"http://127\.0\.0\.1:8000(\S+)", mail.outbox[0].body).group(1)
    client.get(link)
    assert client.post(url, form_post(email="other@example.jp")).status_code == 302
    client.post(f"{url}confirm/")
    # The verified address is the applicant's, whatever they typed in the form.
    assert Application.objects.get().applicant_email == "verified@example.jp"


@pytest.mark.django_db
def test_files_are_refused_before_they_are_stored(tsu):
    fields = [{"name": "proof", "type": "file", "label": "証明書", "required": True}]
    procedure = published_procedure(
        tsu, fields=fields, attachment_kinds=["pdf"], attachment_max_mb=1
    )
    client = Client()
    url = f"/o/{tsu.code}/procedures/{procedure.pk}/"
    bad = client.post(
        url, {"_action": "confirm", "proof": SimpleUploadedFile("evil.pdf.exe", b"MZ")}
    )
    assert "形式は受け付けていません" in bad.content.decode()
    good = client.post(
        url, {"_action": "confirm", "proof": SimpleUploadedFile("証明書.pdf", pdf_bytes())}
    )
    assert good.status_code == 302
    client.post(f"{url}confirm/")
    assert Application.objects.get().files.get().original_name == "証明書.pdf"


@pytest.mark.django_db
def test_the_status_page_needs_the_token(event, tsu):
    from jichitai.procedures import services
    from jichitai.procedures.tests.factories import event_data

    application = services.submit_application(procedure=event, data=event_data()).application
    client = Client()
    good = client.get(
        f"/o/{tsu.code}/status/{application.receipt_number}/{application.status_token}/"
    )
    assert good.status_code == 200 and "受付" in good.content.decode()
    history = good.content.decode().split('<ol class="history">')[1].split("</ol>")[0]
    # The first entry says 受付 once: the status it leads to is the same word.
    assert "受付" in history and "受付: 受付" not in history
    assert (
        client.get(f"/o/{tsu.code}/status/{application.receipt_number}/wrong-token/").status_code
        == 404
    )
    assert (
        client.get(
            f"/o/242039/status/{application.receipt_number}/{application.status_token}/"
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_withdrawal_needs_the_confirmation_box(event, tsu):
    from jichitai.procedures import services
    from jichitai.procedures.tests.factories import event_data

    application = services.submit_application(procedure=event, data=event_data()).application
    url = f"/o/{tsu.code}/status/{application.receipt_number}/{application.status_token}/withdraw/"
    client = Client()
    client.post(url)
    application.refresh_from_db()
    assert application.status == "received"
    client.post(url, {"confirm": "yes"})
    application.refresh_from_db()
    assert application.status == "withdrawn"


@pytest.mark.django_db
def test_public_lists_show_only_open_procedures(tsu):
    published_procedure(tsu, name="公開中の講座")
    from jichitai.procedures import services
    from jichitai.tenancy.tests.factories import DivisionFactory

    services.create_procedure(
        actor=None,
        organization=tsu,
        division=DivisionFactory(organization=tsu),
        name="下書きの講座",
        category="event",
    )
    page = Client().get(f"/o/{tsu.code}/procedures/").content.decode()
    assert "公開中の講座" in page and "下書きの講座" not in page
    assert "公開中の講座" in Client().get(f"/o/{tsu.code}/").content.decode()
    assert "公開中の講座" not in Client().get(f"/o/{tsu.code}/procedures/?q=税").content.decode()


@pytest.mark.django_db
def test_draft_link_mails_are_limited_per_address_and_per_client(
    event, tsu, settings, django_capture_on_commit_callbacks
):
    """One machine cannot flood one mailbox, nor many mailboxes, through the draft link."""
    cache.clear()
    settings.JICHITAI_MAIL_RATE_PER_ADDRESS = "3/h"
    settings.JICHITAI_MAIL_RATE_PER_CLIENT = "5/h"
    url = f"/o/{tsu.code}/procedures/{event.pk}/"

    def save_draft(client, address):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, form_post(_action="save_draft", **{"draft-email": address}))

    first, second = Client(REMOTE_ADDR="192.0.2.10"), Client(REMOTE_ADDR="192.0.2.11")
    assert [save_draft(first, "victim@example.jp").status_code for _ in range(3)] == [302] * 3
    refused = save_draft(first, "victim@example.jp")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "メールの送信が短時間に続いたため" in refused.content.decode()
    # The address is protected whoever asks; the client is limited whatever address it gives.
    assert save_draft(second, "Victim@Example.jp").status_code == 429
    assert save_draft(first, "someone@example.jp").status_code == 302
    assert save_draft(first, "another@example.jp").status_code == 429
    assert len(mail.outbox) == 4
    cache.clear()


@pytest.mark.django_db
def test_every_consent_links_to_the_organizations_privacy_policy(tsu, tsu_admin, login):
    procedure = published_procedure(tsu)
    link = f'href="/o/{tsu.code}/privacy/"'
    form = Client().get(f"/o/{tsu.code}/procedures/{procedure.pk}/").content.decode()
    assert form.count(link) == 1 and "個人情報の取扱いを読む" in form
    preview = login(tsu_admin).get(f"/s/{tsu.code}/procedures/{procedure.pk}/preview/")
    assert link in preview.content.decode()


@pytest.mark.django_db
def test_the_completion_and_status_pages_say_whom_to_ask(tsu, django_capture_on_commit_callbacks):
    """「受付番号は問い合わせのときに必要です」 is only useful with whom to ask beside it."""
    from jichitai.tenancy.tests.factories import DivisionFactory

    division = DivisionFactory(
        organization=tsu, name="市民課", phone="059-229-3134", email="shimin@city.tsu.example.jp"
    )
    event = published_procedure(tsu, division=division)
    client = Client()
    url = f"/o/{tsu.code}/procedures/{event.pk}/"
    confirm = client.post(url, form_post())["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(confirm, follow=True).content.decode()
    application = Application.objects.get()
    status = client.get(
        f"/o/{tsu.code}/status/{application.receipt_number}/{application.status_token}/"
    ).content.decode()
    for page in (done, status):
        assert "お問い合わせ: 津市 市民課" in page
        assert 'href="tel:059-229-3134"' in page
        assert 'href="mailto:shimin@city.tsu.example.jp"' in page
