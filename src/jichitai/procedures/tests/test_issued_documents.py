"""Documents issued on approval (通知書・許可証・受理証明書): a PDF from the procedure's template with
the organization's 公印 and embedded Japanese fonts, kept with the application, shown to staff and
received by the applicant from the status page."""

import io
import struct
import subprocess
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from jichitai.audit.models import AuditEvent
from jichitai.core.tests.pdf import all_fonts_embedded, pdf_text
from jichitai.core.tests.samples import pdf_bytes
from jichitai.procedures import services
from jichitai.procedures.models import Application, ApplicationEvent, IssuedDocument, OfficialSeal
from jichitai.procedures.services import documents
from jichitai.procedures.tests.factories import event_data, published_procedure
from jichitai.tenancy.models import Role
from jichitai.tenancy.tests.factories import DivisionFactory

MINCHO = "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf"


def seal_png(side: int = 240) -> bytes:
    """A red round 印影 reading 津市長印 on a transparent background."""
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, side - 8, side - 8), outline=(200, 20, 20, 255), width=side // 20)
    font = ImageFont.truetype(MINCHO, side // 4)
    for row, pair in enumerate(("津市", "長印")):
        draw.text(
            (side // 4, side // 5 + row * side // 3), pair, font=font, fill=(200, 20, 20, 255)
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def red_pixels(content: bytes) -> int:
    """Strongly red pixels of the first page rendered by pdftoppm (poppler): the seal's ink."""
    ppm = subprocess.run(
        ["/usr/bin/pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-singlefile"],
        input=content,
        capture_output=True,
        check=True,
    ).stdout
    with Image.open(io.BytesIO(ppm)) as page:
        red = page.convert("RGB")
        return sum(1 for r, g, b in red.get_flattened_data() if r > 150 and g < 90 and b < 90)


@pytest.fixture
def approved(tsu):
    division = DivisionFactory(organization=tsu, name="市民課")
    procedure = published_procedure(tsu, division=division, name="市民講座の参加申込")
    application = services.submit_application(procedure=procedure, data=event_data()).application
    return services.change_status(actor=None, application=application, to_status="approved")


@pytest.mark.django_db
class TestIssuingADocument:
    def test_the_standard_notice_names_the_applicant_and_carries_the_seal(
        self, tsu, tsu_admin, approved
    ):
        without_seal = documents.issue_document(actor=tsu_admin, application=approved)
        documents.set_official_seal(
            actor=tsu_admin, organization=tsu, upload=SimpleUploadedFile("公印.png", seal_png())
        )
        document = documents.issue_document(actor=tsu_admin, application=approved)

        content = document.file.read()
        text = pdf_text(content)
        assert "通 知 書" in text  # the title, letter-spaced
        assert "三重 太郎0 様" in text
        assert approved.receipt_number in text and "市民講座の参加申込" in text
        assert "津市 市民課" in text
        assert document.number == f"{approved.receipt_number}-02"
        assert all_fonts_embedded(content)
        assert red_pixels(content) > 50
        assert red_pixels(without_seal.file.read()) == 0
        event = ApplicationEvent.objects.filter(application=approved, kind="issued").last()
        assert not event.internal and document.number in event.message
        assert AuditEvent.objects.filter(action="procedures.document.issued").count() == 2

    def test_the_procedures_template_decides_kind_title_and_text(self, tsu, tsu_admin, approved):
        documents.save_document_template(
            actor=tsu_admin,
            procedure=approved.procedure,
            kind="permit",
            title="参加許可証",
            body="<p>{申請者} 様の参加を許可します。</p><script>alert(1)</script>"
            '<img src="file:///etc/passwd">',
        )
        document = documents.issue_document(actor=tsu_admin, application=approved)
        text = pdf_text(document.file.read())
        assert document.kind == "permit" and document.title == "参加許可証"
        assert "三重 太郎0 様の参加を許可します。" in text
        assert "alert" not in text and "root:" not in text

    def test_the_template_takes_the_applications_answers_by_their_item_names(
        self, tsu, tsu_admin, approved
    ):
        """A 許可証 states what is permitted: 「{参加人数}」 prints the answer to the item of that
        name as the inbox shows it; a brace naming no item is left as written."""
        documents.save_document_template(
            actor=tsu_admin,
            procedure=approved.procedure,
            kind="permit",
            title="参加許可証",
            body="<p>参加人数: {参加人数}</p><p>支援: {支援の希望}</p><p>{会場}</p>",
        )
        text = pdf_text(documents.issue_document(actor=tsu_admin, application=approved).file.read())
        assert "参加人数: 1" in text
        assert "支援: \n" in text or "支援:\n" in text  # not answered: blank, not the brace
        assert "{会場}" in text

    def test_a_template_written_as_plain_text_keeps_its_paragraphs_and_lines(
        self, tsu, tsu_admin, approved
    ):
        """Clerks write letters, not HTML: without tags, a blank line starts a paragraph and a
        line break stays a line break; 「<」 and 「&」 in the text are printed as written."""
        documents.save_document_template(
            actor=tsu_admin,
            procedure=approved.procedure,
            kind="permit",
            title="参加許可証",
            body="{申請者} 様\n\n次のとおり許可します。\n参加人数: {参加人数}\n\n条件: 定員<20 & 先着順",
        )
        document = documents.issue_document(actor=tsu_admin, application=approved)
        lines = [line.strip() for line in pdf_text(document.file.read()).splitlines()]
        start = lines.index("三重 太郎0 様")
        assert lines[start : start + 6] == [
            "三重 太郎0 様",
            "",
            "次のとおり許可します。",
            "参加人数: 1人",
            "",
            "条件: 定員<20 & 先着順",
        ]

    def test_an_applicants_name_is_printed_as_text_never_as_markup(self, tsu, approved):
        Application.objects.filter(pk=approved.pk).update(applicant_name="<b>太郎</b>")
        approved.refresh_from_db()
        text = pdf_text(documents.issue_document(actor=None, application=approved).file.read())
        assert "<b>太郎</b> 様" in text

    def test_nothing_is_issued_before_approval(self, tsu):
        procedure = published_procedure(tsu)
        application = services.submit_application(
            procedure=procedure, data=event_data()
        ).application
        with pytest.raises(Exception, match="承認した申請にだけ"):
            documents.issue_document(actor=None, application=application)
        assert not IssuedDocument.objects.exists()


@pytest.mark.django_db
class TestTheSeal:
    def test_only_a_png_of_sensible_size_is_accepted(self, tsu, tsu_admin, login):
        client = login(tsu_admin)
        url = f"/s/{tsu.code}/procedures/seal/"
        as_pdf = client.post(url, {"image": SimpleUploadedFile("公印.png", pdf_bytes())})
        assert as_pdf.status_code == 422
        assert "内容が拡張子(.png)と一致しません" in as_pdf.content.decode()
        jpeg = client.post(
            url, {"image": SimpleUploadedFile("公印.jpg", b"\xff\xd8\xff" + b"0" * 9)}
        )
        assert "形式は受け付けていません" in jpeg.content.decode()
        huge = client.post(url, {"image": SimpleUploadedFile("公印.png", seal_png(2400))})
        assert "一辺 2000 ピクセル以内" in huge.content.decode()
        assert not OfficialSeal.objects.exists()
        assert (
            client.post(url, {"image": SimpleUploadedFile("公印.png", seal_png())}).status_code
            == 302
        )
        assert (
            client.post(url, {"image": SimpleUploadedFile("新公印.png", seal_png(200))}).status_code
            == 302
        )
        assert OfficialSeal.objects.filter(organization=tsu).count() == 1
        assert client.get(f"{url}image/")["Content-Type"] == "image/png"

    @pytest.mark.parametrize("damage", ["unknown-compression", "truncated-image-data"])
    def test_a_png_that_does_not_decode_is_refused_before_any_document_needs_it(
        self, tsu, tsu_admin, login, damage
    ):
        """A PNG whose header reads but whose content does not (a text chunk in an unknown
        compression, image data cut short) would fail every document issued later, when the
        PDF is drawn: it is refused when uploaded, beside the file field."""
        png = seal_png()
        end = png.rindex(b"IEND") - 4
        if damage == "unknown-compression":
            text = b"Comment\x00\x01" + b"not deflate"
            chunk = struct.pack(">I", len(text)) + b"zTXt" + text
            chunk += struct.pack(">I", zlib.crc32(b"zTXt" + text))
            broken = png[:end] + chunk + png[end:]
        else:
            start = png.index(b"IDAT") - 4
            broken = png[: start + 40]

        response = login(tsu_admin).post(
            f"/s/{tsu.code}/procedures/seal/", {"image": SimpleUploadedFile("公印.png", broken)}
        )

        assert response.status_code == 422
        assert "画像として読み取れません" in response.content.decode()
        assert not OfficialSeal.objects.exists()

    def test_a_clerk_may_not_change_the_seal(self, tsu, tsu_clerk, login):
        response = login(tsu_clerk).post(
            f"/s/{tsu.code}/procedures/seal/", {"image": SimpleUploadedFile("公印.png", seal_png())}
        )
        assert response.status_code == 403
        assert not OfficialSeal.objects.exists()


@pytest.mark.django_db
class TestFromTheStaffPageToTheResident:
    def test_a_clerk_issues_it_and_the_applicant_downloads_it(
        self, tsu, make_member, login, client, approved
    ):
        clerk = make_member(tsu, Role.CLERK, division=approved.procedure.division)
        staff = login(clerk)
        page = staff.get(f"/s/{tsu.code}/inbox/{approved.pk}/").content.decode()
        assert "標準の通知書で発行します" in page and "文書を発行する" in page

        response = staff.post(f"/s/{tsu.code}/inbox/{approved.pk}/documents/issue/")
        assert response.status_code == 302
        document = IssuedDocument.objects.get(application=approved)
        page = staff.get(f"/s/{tsu.code}/inbox/{approved.pk}/").content.decode()
        staff_url = f"/s/{tsu.code}/inbox/{approved.pk}/documents/{document.pk}/"
        assert staff_url in page
        opened = staff.get(staff_url)
        assert opened["Content-Type"] == "application/pdf"
        assert b"".join(opened.streaming_content).startswith(b"%PDF")

        status = f"/o/{tsu.code}/status/{approved.receipt_number}/{approved.status_token}/"
        resident_page = client.get(status).content.decode()
        assert "発行された文書" in resident_page
        pdf_url = f"{status}documents/{document.pk}.pdf"
        assert pdf_url in resident_page
        received = b"".join(client.get(pdf_url).streaming_content)
        assert "三重 太郎0 様" in pdf_text(received)
        assert (
            client.get(
                f"/o/{tsu.code}/status/{approved.receipt_number}/wrong/documents/{document.pk}.pdf"
            ).status_code
            == 404
        )

    def test_a_manager_edits_the_template_and_wrong_input_is_explained(
        self, tsu, make_member, login, approved
    ):
        manager = make_member(tsu, Role.MANAGER)
        client = login(manager)
        url = f"/s/{tsu.code}/procedures/{approved.procedure_id}/document/"
        page = client.get(url).content.decode()
        assert "通知します" in page
        assert (
            "この手続のフォームの項目も同じように使えます: {氏名}、{メールアドレス}、{参加人数}"
            in page
        )
        empty = client.post(
            url, {"kind": "acceptance", "title": "受理証明書", "body": "<script></script>"}
        )
        assert empty.status_code == 422 and "本文を入力してください" in empty.content.decode()
        saved = client.post(
            url,
            {
                "kind": "acceptance",
                "title": "受理証明書",
                "body": "<p>{申請者} 様の届出を受理しました。</p>",
            },
        )
        assert saved.status_code == 302
        assert approved.procedure.document_template.kind == "acceptance"


@pytest.mark.django_db
def test_the_template_and_seal_pages_read_in_english(tsu, make_member, login, approved):
    """Help texts with figures filled in are translated when the page is shown, not once when
    the form class is defined."""
    admin = login(make_member(tsu, Role.ADMIN))
    admin.cookies["django_language"] = "en"
    template = admin.get(f"/s/{tsu.code}/procedures/{approved.procedure_id}/document/")
    assert "Write it as a letter" in template.content.decode()
    assert "手紙を書くように" not in template.content.decode()
    seal = admin.get(f"/s/{tsu.code}/procedures/seal/").content.decode()
    assert "背景を透明にした" not in seal and "transparent background" in seal


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "said"),
    [("ja", "を発行しました。次のページからダウンロードできます。"), ("pt", "foi emitido")],
)
def test_the_applicant_is_mailed_when_a_document_is_issued(
    tsu, settings, django_capture_on_commit_callbacks, language, said
):
    """A permit issued after the 承認 mail would otherwise wait unseen on the status page."""
    from django.core import mail

    from jichitai.procedures.tests.languages import JAPANESE

    settings.JICHITAI_BASE_URL = "http://testserver"
    procedure = published_procedure(tsu, name="会議室の使用申請")
    application = services.submit_application(
        procedure=procedure, data=event_data(), language=language
    ).application
    services.change_status(actor=None, application=application, to_status="approved")
    documents.save_document_template(
        actor=None, procedure=procedure, kind="permit", title="使用許可証", body="{申請者} 様"
    )
    with django_capture_on_commit_callbacks(execute=True):
        documents.issue_document(actor=None, application=application)
    message = mail.outbox[-1]
    assert "使用許可証" in message.body and said in message.body
    assert f"/status/{application.receipt_number}/{application.status_token}/" in message.body
    assert application.receipt_number in message.subject
    if language != "ja":
        text = message.subject + message.body
        for name in (procedure.name, tsu.name, procedure.division.name, "使用許可証", "三重 太郎0"):
            text = text.replace(name, "")
        assert not JAPANESE.search(text)


@pytest.mark.django_db
def test_who_acted_is_named_in_english_order_in_the_history_and_documents(
    tsu, tsu_admin, make_member, login, approved
):
    documents.issue_document(actor=tsu_admin, application=approved)
    services.change_status(actor=tsu_admin, application=approved, to_status="completed")
    admin = login(make_member(tsu, Role.ADMIN))
    admin.cookies["django_language"] = "en"
    page = admin.get(f"/s/{tsu.code}/inbox/{approved.pk}/").content.decode()
    assert f" ({tsu_admin})" in page and f"({tsu_admin})" not in page.replace(f" ({tsu_admin})", "")
