"""Mail intake from a real IMAP server (dovecot, started by the test): a plan reads the unseen
messages and leaves the mailbox as it was; a production run moves what it took; a message taken
once is not taken again; attachments are kept within their type and size limits; a wrong password
or an untrusted certificate is a 業務エラー in Japanese."""

import io
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from jichitai.automation import services, vault
from jichitai.automation.errors import BusinessError
from jichitai.automation.models import Run, RunItem
from jichitai.automation.steps import steps
from jichitai.automation.tests.imap_server import running_dovecot

pytestmark = pytest.mark.django_db

INVOICE = """
<h1>請求書</h1>
<table>
  <tr><th>請求番号</th><td>{number}</td></tr>
  <tr><th>請求金額</th><td>{amount}円</td></tr>
  <tr><th>支払期限</th><td>令和8年12月25日</td></tr>
</table>
<table>
  <tr><th>事業者名</th></tr>
  <tr><td>{company}</td></tr>
</table>
"""


@pytest.fixture(scope="module")
def imap():
    with running_dovecot() as server:
        yield server


@pytest.fixture
def trusted(imap, monkeypatch):
    """The test server's certificate trusted the way a deployment trusts a private CA."""
    monkeypatch.setenv("SSL_CERT_FILE", str(imap.certificate))
    return imap


@pytest.fixture
def mailbox_cleared(imap):
    """Each test starts with an empty mailbox."""
    connection = imap.client()
    try:
        _status, folders = connection.list()
        for line in folders or []:
            # (\HasNoChildren) "." INBOX — the name is the last field, quoted or not.
            name = line.decode().split(" ", 2)[-1].strip('"')
            _status, count = connection.select(f'"{name}"')
            if count[0] == b"0":
                continue
            connection.store("1:*", "+FLAGS.SILENT", r"(\Deleted)")
            connection.expunge()
    finally:
        connection.logout()
    return imap


def _invoice_pdf(tmp_path: Path, number: str, amount: str, company: str) -> bytes:
    class Folder:
        def write_output(self, name, content):
            (tmp_path / name).write_bytes(content)
            return name

    html = INVOICE.format(number=number, amount=amount, company=company)
    name = steps.get("pdf.render").function(Folder(), output=f"{number}.pdf", html=html)
    return (tmp_path / name).read_bytes()


def _message(subject, *, sender="keiri@mie-setsubi.example.jp", body="請求書を送ります。"):
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = f"三重設備 経理 <{sender}>"
    message["To"] = "seikyu@example.jp"
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = make_msgid(domain="mie-setsubi.example.jp")
    message.set_content(body)
    return message


def test_invoices_mailed_in_are_planned_without_touching_the_mailbox_then_transcribed_once(
    mailbox_cleared, trusted, tmp_path, tsu, tsu_clerk, shipped, run_now, approved, settings
):
    imap = mailbox_cleared
    settings.JICHITAI_AUTOMATION_TARGETS = {
        "invoice_mailbox": f"imap://{imap.user.replace('@', '%40')}@localhost:{imap.port}"
    }
    invoice = _message("請求書の送付(R8-0123)")
    invoice.add_attachment(
        _invoice_pdf(tmp_path, "R8-0123", "１２，３４５", "株式会社 三重設備"),
        maintype="application",
        subtype="pdf",
        filename="請求書_R8-0123.pdf",
    )
    imap.deliver(bytes(invoice))
    imap.deliver(bytes(_message("請求書(添付忘れ)")))
    imap.deliver(bytes(_message("研修のお知らせ")))
    imap.deliver(bytes(_message("請求書(処理済みのもの)")), seen=True)
    unseen_before = imap.subjects(criterion="UNSEEN")
    services.set_secret(
        actor=None, organization=tsu, name="invoice_mailbox_password", value=imap.password
    )
    scenario = shipped("mailed-invoices")

    plan = run_now(scenario, Run.Mode.PLAN, actor=tsu_clerk)
    assert plan.status == Run.Status.FINISHED, plan.message
    items = {item.label.split(" ", 2)[-1]: item for item in plan.items.all()}
    assert set(items) == {"請求書の送付(R8-0123)", "請求書(添付忘れ)"}
    taken = items["請求書の送付(R8-0123)"]
    assert taken.status == RunItem.Status.PLANNED
    assert "メールを「処理済み」に移動: 「請求書の送付(R8-0123)」" in taken.planned
    assert items["請求書(添付忘れ)"].status == RunItem.Status.SKIPPED
    assert "PDF の添付がありません" in items["請求書(添付忘れ)"].message
    # The plan read the mailbox and changed nothing in it.
    assert imap.subjects(criterion="UNSEEN") == unseen_before
    assert imap.subjects("処理済み") == []

    approved(scenario)
    run = run_now(scenario, Run.Mode.APPLY, actor=tsu_clerk)
    assert run.status == Run.Status.FINISHED, run.message
    assert run.items.get(status=RunItem.Status.DONE).label.endswith("請求書の送付(R8-0123)")
    with run.files.get(name="支払一覧.xlsx").file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read()))["請求書"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("受信日時", "差出人", "請求番号", "事業者名", "請求金額", "支払期限")
    assert rows[1][1:] == (
        "keiri@mie-setsubi.example.jp",
        "R8-0123",
        "株式会社 三重設備",
        12345,
        "令和8年12月25日",
    )
    assert sheet["E2"].data_type == "n"
    assert run.files.filter(name__endswith="_請求書_R8-0123.pdf").exists()
    assert imap.subjects("処理済み", criterion="SEEN") == ["請求書の送付(R8-0123)"]
    assert imap.subjects(criterion="UNSEEN") == ["研修のお知らせ", "請求書(添付忘れ)"]

    # Someone moves the message back and marks it unread: it is not transcribed a second time.
    connection = imap.client()
    try:
        from jichitai.automation.steps.mail import folder_argument

        connection.select(folder_argument("処理済み"))
        connection.store("1:*", "-FLAGS.SILENT", r"(\Seen)")
        connection.copy("1:*", "INBOX")
    finally:
        connection.logout()
    again = run_now(scenario, Run.Mode.APPLY, actor=tsu_clerk)
    assert again.status == Run.Status.FINISHED, again.message
    repeated = again.items.get(label__endswith="請求書の送付(R8-0123)")
    assert repeated.status == RunItem.Status.SKIPPED
    assert "前回までに適用済み" in repeated.message
    with again.files.get(name="支払一覧.xlsx").file.open("rb") as handle:
        assert load_workbook(io.BytesIO(handle.read()))["請求書"].max_row == 1
    assert "請求書の送付(R8-0123)" in imap.subjects(criterion="UNSEEN")


class Ctx:
    """What the runner gives a step: a target's URL, a secret by name, the run's files."""

    plan = True

    def __init__(self, folder: Path, url: str, password: str):
        self.folder, self.url, self.password = folder, url, password
        self.redact = vault.Redactor([password])

    def target_url(self, target, path="/"):
        return self.url + "/" + path.lstrip("/")

    def secret(self, name):
        return self.password

    def write_output(self, name, content):
        (self.folder / name).write_bytes(content)
        return name


def test_filters_body_text_and_attachment_limits_over_tls(mailbox_cleared, trusted, tmp_path):
    imap = mailbox_cleared
    report = _message("【報告】11月分", sender="soumu@city.example.lg.jp", body="")
    report.clear_content()
    report.set_content("<p>11月分の<b>報告</b>です。&amp; 以上</p>", subtype="html")
    report.add_attachment(b"a,b\r\n1,2\r\n", maintype="text", subtype="csv", filename="集計.csv")
    report.add_attachment(
        b"MZ\x90\x00", maintype="application", subtype="octet-stream", filename="tool.exe"
    )
    report.add_attachment(
        b"%PDF-1.4" + b"0" * 4000, maintype="application", subtype="pdf", filename="大きな資料.pdf"
    )
    imap.deliver(bytes(report))
    imap.deliver(bytes(_message("【報告】11月分", sender="other@example.com")))
    imap.deliver(bytes(_message("別件", sender="soumu@city.example.lg.jp")))

    ctx = Ctx(tmp_path, f"imaps://localhost:{imap.tls_port}", imap.password)
    rows = steps.get("mail.receive").function(
        ctx,
        target="mailbox",
        user=imap.user,
        password_secret="mailbox_password",
        subject="報告",
        **{"from": "@city.example.lg.jp"},
        max_attachment_mb=0.002,
    )
    assert len(rows) == 1
    row = rows[0]
    assert row["subject"] == "【報告】11月分"
    assert row["from_address"] == "soumu@city.example.lg.jp"
    assert row["body"] == "11月分の報告です。& 以上"
    assert [(a["name"], a["type"], a["size"]) for a in row["attachments"]] == [
        ("集計.csv", "text/csv", 10)
    ]
    assert (tmp_path / row["attachment"]).read_bytes() == b"a,b\r\n1,2\r\n"
    assert "tool.exe(受け取らない種類)" in row["refused"]
    assert "大きな資料.pdf(0.0 MB、上限を超えています)" in row["refused"]
    assert row["message_id"].startswith("<") and row["uid"] >= 1
    # Taking messages in leaves them unread.
    assert "【報告】11月分" in imap.subjects(criterion="UNSEEN")


def test_a_message_too_large_to_download_is_taken_by_its_header(
    mailbox_cleared, trusted, tmp_path, settings
):
    imap = mailbox_cleared
    large = _message("図面の送付")
    large.add_attachment(
        b"%PDF-1.4" + b"0" * 20_000, maintype="application", subtype="pdf", filename="図面.pdf"
    )
    imap.deliver(bytes(large))
    settings.JICHITAI_AUTOMATION_MAIL_MAX_BYTES = 10_000
    ctx = Ctx(tmp_path, f"imaps://localhost:{imap.tls_port}", imap.password)
    [row] = steps.get("mail.receive").function(
        ctx, target="mailbox", user=imap.user, password_secret="mailbox_password"
    )
    assert row["subject"] == "図面の送付" and row["attachments"] == [] and row["body"] == ""
    assert (
        "メール全体が 0.0 MB で大きすぎるため、本文と添付を受け取りませんでした" in row["refused"]
    )


def test_a_wrong_password_or_an_untrusted_certificate_is_a_business_error(
    mailbox_cleared, tmp_path, monkeypatch
):
    imap = mailbox_cleared
    receive = steps.get("mail.receive").function
    url = f"imap://localhost:{imap.port}"
    with pytest.raises(BusinessError, match="証明書を確認できません") as untrusted:
        receive(
            Ctx(tmp_path, url, imap.password),
            target="mailbox",
            user=imap.user,
            password_secret="mailbox_password",
        )
    assert imap.password not in str(untrusted.value)
    monkeypatch.setenv("SSL_CERT_FILE", str(imap.certificate))
    with pytest.raises(BusinessError, match="ログインできません") as refused:
        receive(
            Ctx(tmp_path, url, "wrong-password"),
            target="mailbox",
            user=imap.user,
            password_secret="mailbox_password",
        )
    assert "wrong-password" not in str(refused.value)
    with pytest.raises(BusinessError, match=r"imaps://\(TLS\)か imap://\(STARTTLS\)"):
        receive(
            Ctx(tmp_path, "https://localhost", imap.password),
            target="mailbox",
            user=imap.user,
            password_secret="mailbox_password",
        )


def test_a_message_without_message_id_is_still_taken_and_marked_once(
    mailbox_cleared, trusted, tmp_path
):
    imap = mailbox_cleared
    message = _message("申請書(Message-ID なし)")
    del message["Message-ID"]
    imap.deliver(bytes(message))
    ctx = Ctx(
        tmp_path,
        f"imaps://{imap.user.replace('@', '%40')}@localhost:{imap.tls_port}",
        imap.password,
    )
    connection = {"target": "mailbox", "password_secret": "mailbox_password"}
    [row] = steps.get("mail.receive").function(ctx, **connection)
    assert row["message_id"].startswith("<no-id:")
    [again] = steps.get("mail.receive").function(ctx, **connection)
    assert again["message_id"] == row["message_id"]  # the same key on every run

    steps.get("mail.mark").function(ctx, **connection, message=row, move_to="受付済み")
    assert imap.subjects("受付済み", criterion="SEEN") == ["申請書(Message-ID なし)"]
    assert imap.subjects() == []
    with pytest.raises(BusinessError, match="フォルダ「INBOX」に見つかりません"):
        steps.get("mail.mark").function(ctx, **connection, message=row)
