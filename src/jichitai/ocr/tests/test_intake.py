"""The paper intake through its services and pages: a batch read in the background, bad files
reported per file, verification into the inbox, double entry, templates as JSON."""

import io
import json
import zipfile
from datetime import date, timedelta

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jichitai.core.tests.samples import pdf_bytes
from jichitai.jobs.models import Job
from jichitai.ocr import demo, pages, rings, samples, selectors, services
from jichitai.ocr.models import ScanPage
from jichitai.ocr.placement import field_crop
from jichitai.ocr.tests.factories import paper_template, read_page
from jichitai.ocr.tests.test_pages import damaged_tiff
from jichitai.procedures.models import Application
from jichitai.tenancy.models import Role

pytestmark = pytest.mark.django_db


def division_of(user):
    return user.memberships.get().division


def upload(name, content, kind="image/png"):
    return SimpleUploadedFile(name, content, content_type=kind)


def test_a_batch_is_read_in_the_background_and_bad_files_are_reported(
    tsu, tsu_clerk, login, django_capture_on_commit_callbacks
):
    paper = paper_template(tsu, division=division_of(tsu_clerk))
    scans = demo.sample_scans(2)
    pdf = io.BytesIO()
    samples.blank_form("genkyo").save(pdf, format="PDF", resolution=200)
    other_form = upload("other.png", samples.png_bytes(samples.blank_form("hojo")))
    client = login(tsu_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/s/{tsu.code}/ocr/templates/{paper.pk}/batches/new/",
            {
                "scans": [
                    *scans,
                    upload("memo.png", b"not an image at all"),
                    upload("broken.pdf", b"%PDF-1.4\n%%EOF", "application/pdf"),
                    other_form,
                    upload("blank.pdf", pdf.getvalue(), "application/pdf"),
                ]
            },
        )
    assert response.status_code == 302
    batch = paper.batches.get()
    assert batch.job.status == Job.Status.SUCCEEDED
    errors = {f.original_name: f.error for f in batch.files.exclude(error="")}
    assert set(errors) == {"memo.png", "broken.pdf"}
    # The job counts the files it reads; those refused at once are named beside them.
    assert batch.job.title == "AI-OCR 読取: 現況届(紙)(4ファイル、読めないファイル 2 件)"
    assert batch.job.total == 4
    statuses = {(p.source.original_name, p.status) for p in batch.pages.all()}
    assert statuses == {
        ("現況届-1.png", "review"),
        ("現況届-2.png", "review"),
        ("other.png", "not_aligned"),
        ("blank.pdf", "review"),
    }
    page = client.get(response["Location"])
    assert "memo.png" in page.content.decode() and "様式と一致せず" in page.content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(response["Location"]).content.decode()
    assert "<h2>Files</h2>" in english and "<h2>Pages</h2>" in english  # the batch's, plural


def test_a_refused_file_is_recorded_in_the_platforms_language_whoever_uploaded_it(
    tsu, tsu_clerk, login, django_capture_on_commit_callbacks
):
    """The batch is read later by colleagues, as the job's title is: the reason a file was
    refused is kept in Japanese even when the clerk who scanned it reads the pages in English."""
    paper = paper_template(tsu, division=division_of(tsu_clerk))
    client = login(tsu_clerk)
    client.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/s/{tsu.code}/ocr/templates/{paper.pk}/batches/new/",
            {"scans": [upload("memo.png", b"not an image at all"), *demo.sample_scans(1)]},
        )
    [refused] = paper.batches.get().files.exclude(error="")
    assert refused.error.startswith("「memo.png」")


def test_a_damaged_tiff_is_reported_and_the_rest_of_the_batch_is_read(
    tsu, tsu_clerk, login, django_capture_on_commit_callbacks
):
    paper = paper_template(tsu, division=division_of(tsu_clerk))
    client = login(tsu_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/s/{tsu.code}/ocr/templates/{paper.pk}/batches/new/",
            {
                "scans": [
                    upload("scan.tif", damaged_tiff(), "image/tiff"),
                    *demo.sample_scans(1),
                ]
            },
        )
    batch = paper.batches.get()
    assert batch.job.status == Job.Status.SUCCEEDED
    errors = {f.original_name: f.error for f in batch.files.exclude(error="")}
    assert errors == {"scan.tif": "TIFF の 2 ページ目を読み取れません(データが壊れています)。"}
    assert ("現況届-1.png", "review") in {
        (page.source.original_name, page.status) for page in batch.pages.all()
    }


def test_a_verified_page_becomes_a_paper_application_with_its_scan(tsu, tsu_clerk, login):
    paper = paper_template(tsu, division=division_of(tsu_clerk))
    page, truth = read_page(paper, seed=3)
    client = login(tsu_clerk)
    screen = client.get(f"/s/{tsu.code}/ocr/pages/{page.pk}/").content.decode()
    assert truth["name"] in screen
    read = page.results["name"]
    assert f"読取結果: {read['raw']}(確信度 {read['confidence']:.2f})" in screen
    client.cookies["django_language"] = "en"
    english = client.get(f"/s/{tsu.code}/ocr/pages/{page.pk}/").content.decode()
    assert f"Read: {read['raw']} (confidence {read['confidence']:.2f})" in english
    client.cookies["django_language"] = "ja"
    crop = client.get(f"/s/{tsu.code}/ocr/pages/{page.pk}/fields/name.png")
    assert crop["Content-Type"] == "image/png"
    form = {name: ("" if v is None else v) for name, v in truth.items() if name != "married"}
    form["name"] = "鈴木 一郎"  # the clerk corrects a value
    if truth["married"]:
        form["married"] = "on"
    response = client.post(f"/s/{tsu.code}/ocr/pages/{page.pk}/", form)
    assert response.status_code == 302
    page.refresh_from_db()
    application = page.application
    assert page.status == ScanPage.Status.DONE
    assert application.channel == Application.Channel.PAPER
    assert application.data["name"] == "鈴木 一郎"
    assert application.data["birth"] == truth["birth"]
    assert application.files.get().field_name == "paper_scan"
    inbox = client.get(f"/s/{tsu.code}/inbox/").content.decode()
    assert application.receipt_number in inbox and "紙(AI-OCR)" in inbox


def test_invalid_corrections_are_shown_next_to_the_field(tsu, tsu_clerk, login):
    paper = paper_template(tsu, division=division_of(tsu_clerk))
    page, truth = read_page(paper, seed=4)
    client = login(tsu_clerk)
    response = client.post(
        f"/s/{tsu.code}/ocr/pages/{page.pk}/",
        {**{k: v for k, v in truth.items() if k != "married"}, "postal": "51", "address": ""},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "郵便番号" in body and "値を確認してください" in body
    page.refresh_from_db()
    assert page.status == ScanPage.Status.REVIEW and page.application is None


def test_double_entry_needs_a_second_person_and_a_third_resolves(tsu, make_member):
    first, second, third = (make_member(tsu, Role.CLERK) for _ in range(3))
    paper = paper_template(tsu, double_entry=True)
    page, truth = read_page(paper, seed=5)
    typed = dict(truth.items())
    page = services.verify_page(actor=first, page=page, typed=typed)
    assert page.status == ScanPage.Status.SECOND_ENTRY
    with pytest.raises(ValidationError, match="別の職員"):
        services.second_entry(actor=first, page=page, typed=typed)
    page = services.second_entry(actor=second, page=page, typed={**typed, "income": "999"})
    assert page.status == ScanPage.Status.CONFLICT
    assert selectors.conflicting_names(page) == ["income"]
    with pytest.raises(ValidationError):
        services.resolve_conflict(actor=second, page=page, typed={"income": "999"})
    page = services.resolve_conflict(actor=third, page=page, typed={"income": str(truth["income"])})
    assert page.status == ScanPage.Status.DONE
    assert page.application.data["income"] == truth["income"]


def test_agreeing_double_entry_submits(tsu, make_member):
    first, second = make_member(tsu, Role.CLERK), make_member(tsu, Role.CLERK)
    paper = paper_template(tsu, double_entry=True)
    page, truth = read_page(paper, seed=6)
    services.verify_page(actor=first, page=page, typed=truth)
    critical = {f["name"]: truth[f["name"]] for f in paper.critical_fields}
    page = services.second_entry(actor=second, page=page, typed=critical)
    assert page.status == ScanPage.Status.DONE


def test_zones_are_defined_by_coordinates_and_the_template_round_trips(tsu, tsu_clerk, login, ise):
    paper = paper_template(tsu, division=division_of(tsu_clerk))
    client = login(tsu_clerk)
    response = client.post(
        f"/s/{tsu.code}/ocr/templates/{paper.pk}/",
        {
            "zone-name": "phone",
            "zone-type": "phone",
            "zone-x": "400",
            "zone-y": "1000",
            "zone-width": "500",
            "zone-height": "90",
        },
    )
    assert response.status_code == 302
    paper.refresh_from_db()
    phone = next(f for f in paper.fields if f["name"] == "phone")
    assert phone["box"] == [400, 1000, 500, 90] and phone["label"] == "電話番号"
    english = client.get(f"/s/{tsu.code}/ocr/templates/{paper.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert f"{paper.width}×{paper.height} px ({paper.dpi} dpi)" in english.content.decode()
    too_big = client.post(
        f"/s/{tsu.code}/ocr/templates/{paper.pk}/",
        {
            "zone-name": "phone",
            "zone-type": "phone",
            "zone-x": "1600",
            "zone-y": "1000",
            "zone-width": "500",
            "zone-height": "90",
        },
    )
    assert "はみ出しています" in too_big.content.decode()
    exported = client.get(f"/s/{tsu.code}/ocr/templates/{paper.pk}/export.zip")
    archive = zipfile.ZipFile(io.BytesIO(exported.content))
    definition = json.loads(archive.read("template.json"))
    assert definition["reference"] == "blank.png"
    assert {f["name"] for f in definition["fields"]} == {f["name"] for f in paper.fields}
    # Another organization imports it for its own procedure of the same form.
    from jichitai.tenancy.tests.factories import DivisionFactory

    procedure = demo.paper_procedure(ise, DivisionFactory(organization=ise))
    imported = services.create_template(
        actor=None,
        organization=ise,
        procedure=procedure,
        name="",
        blank=upload("blank.png", archive.read("blank.png")),
        definition=archive.read("template.json"),
    )
    assert imported.fields == paper.fields and imported.name == paper.name


def test_a_template_with_fields_the_procedure_lacks_is_refused(tsu):
    paper = paper_template(tsu)
    definition = json.dumps(
        {"dpi": 200, "fields": [{"name": "nickname", "type": "text", "box": [10, 10, 90, 40]}]}
    ).encode()
    with pytest.raises(ValidationError, match="nickname"):
        services.create_template(
            actor=None,
            organization=tsu,
            procedure=paper.procedure,
            name="x",
            blank=upload("b.png", samples.png_bytes(samples.blank_form("genkyo"))),
            definition=definition,
        )


def test_pdf_pages_too_large_at_the_templates_resolution_are_refused_on_upload(
    tsu, django_capture_on_commit_callbacks
):
    paper = paper_template(tsu)
    paper.dpi = 600
    paper.save(update_fields=["dpi"])
    a2 = pdf_bytes(1191, 1684)  # 139 million pixels at 600 dpi
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.start_batch(
            actor=None, paper=paper, uploads=[upload("a2.pdf", a2, "application/pdf")]
        )
    (refused,) = batch.files.all()
    assert refused.error.startswith("「a2.pdf」の1ページ目は用紙が大きすぎます(420×594 mm。600 dpi")
    with pytest.raises(ValidationError) as caught:
        services.create_template(
            actor=None,
            organization=tsu,
            procedure=paper.procedure,
            name="大判",
            blank=upload("a2.pdf", a2, "application/pdf"),
            dpi=600,
        )
    assert "用紙が大きすぎます" in caught.value.message_dict["blank"][0]


def test_the_demo_loads_a_paper_template_and_a_batch(db, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", quiet_logins=True)
    paper = demo.PaperTemplate.objects.get(name="現況届(紙)")
    batch = paper.batches.get()
    assert batch.pages.count() == 3
    assert batch.files.exclude(error="").count() == 1


def test_values_the_form_would_refuse_are_flagged_when_read(tsu):
    paper = paper_template(tsu)
    page, _truth = read_page(paper, seed=9, written={"address": ""})  # required on the form
    assert not page.results["address"]["valid"]
    assert page.results["address"]["error"]
    assert "address" in page.flagged_names


def test_a_clerk_of_another_division_does_not_see_the_pages(tsu, tsu_clerk, login):
    paper = paper_template(tsu)  # a procedure of another division
    page, _truth = read_page(paper)
    client = login(tsu_clerk)
    assert client.get(f"/s/{tsu.code}/ocr/pages/{page.pk}/").status_code == 404
    assert client.get(f"/s/{tsu.code}/ocr/templates/{paper.pk}/").status_code == 404
    assert paper.name not in client.get(f"/s/{tsu.code}/ocr/").content.decode()


def test_a_page_that_is_no_application_is_discarded(tsu, tsu_clerk, login):
    paper = paper_template(tsu, division=division_of(tsu_clerk))
    page, _truth = read_page(paper)
    response = login(tsu_clerk).post(f"/s/{tsu.code}/ocr/pages/{page.pk}/", {"discard": "1"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.status == ScanPage.Status.DISCARDED and page.application is None


def test_a_field_is_shown_as_the_zone_the_library_crops_from_the_aligned_page(
    tsu, tsu_clerk, login
):
    paper = paper_template(tsu, division=division_of(tsu_clerk))
    page, _truth = read_page(paper)
    zone = paper.as_template().fields[0]
    response = login(tsu_clerk).get(f"/s/{tsu.code}/ocr/pages/{page.pk}/fields/{zone.name}.png")
    assert response.status_code == 200
    with page.image.open("rb") as handle:
        aligned = next(pages.load_pages(handle.read()))
    shown = next(pages.load_pages(response.content))
    assert np.array_equal(shown, field_crop(aligned, zone.box))


def test_a_check_box_is_shown_with_the_paper_around_it_where_a_ring_would_be(tsu, tsu_clerk, login):
    paper = paper_template(tsu, division=division_of(tsu_clerk))
    page, _truth = read_page(paper)
    box = next(f for f in paper.as_template().fields if f.type == "checkbox")
    response = login(tsu_clerk).get(f"/s/{tsu.code}/ocr/pages/{page.pk}/fields/{box.name}.png")
    shown = next(pages.load_pages(response.content))
    side = min(box.box[2], box.box[3])
    assert shown.shape[1] >= box.box[2] + 2 * int(rings.REACH * side)


def test_a_field_the_template_does_not_have_is_not_found(tsu, tsu_clerk, login):
    paper = paper_template(tsu, division=division_of(tsu_clerk))
    page, _truth = read_page(paper)
    response = login(tsu_clerk).get(f"/s/{tsu.code}/ocr/pages/{page.pk}/fields/unknown.png")
    assert response.status_code == 404


def test_the_review_screen_says_why_a_field_is_flagged(tsu, tsu_clerk, login):
    paper = paper_template(tsu, division=division_of(tsu_clerk))
    page, _truth = read_page(paper, seed=9, written={"postal": "999-9999"})  # no such code
    assert "postal" in page.flagged_names
    assert page.results["postal"]["reasons"] == ["dictionary"]
    html = login(tsu_clerk).get(f"/s/{tsu.code}/ocr/pages/{page.pk}/").content.decode()
    assert "確認が必要な理由" in html
    assert "辞書にない地名・郵便番号" in html
    assert "辞書にない地名・番号: 999-9999" in html


def _close(procedure, closes_at):
    procedure.opens_at = closes_at - timedelta(days=30)
    procedure.closes_at = closes_at
    procedure.save(update_fields=["opens_at", "closes_at"])


def _confirm(page, truth):
    values = {name: ("" if v is None else v) for name, v in truth.items() if name != "married"}
    if truth["married"]:
        values["married"] = "on"
    return values


def test_paper_received_within_the_period_is_accepted_after_it_closed(tsu, tsu_clerk, login):
    """Papers that arrived (or were postmarked, for 消印有効) before the deadline are entered after
    it: the batch's 受付日 decides, not the day the clerk scans them."""
    paper = paper_template(tsu, division=division_of(tsu_clerk))
    closes_at = timezone.now() - timedelta(days=3)
    _close(paper.procedure, closes_at)
    page, truth = read_page(paper, seed=3, received_on=timezone.localdate(closes_at))
    client = login(tsu_clerk)

    response = client.post(f"/s/{tsu.code}/ocr/pages/{page.pk}/", _confirm(page, truth))

    assert response.status_code == 302
    page.refresh_from_db()
    assert page.application.channel == Application.Channel.PAPER


def test_paper_received_after_the_period_is_refused_with_the_deadline(tsu, tsu_clerk, login):
    paper = paper_template(tsu, division=division_of(tsu_clerk))
    closes_at = timezone.now() - timedelta(days=3)
    _close(paper.procedure, closes_at)
    page, truth = read_page(
        paper, seed=3, received_on=timezone.localdate(closes_at) + timedelta(days=1)
    )
    client = login(tsu_clerk)

    response = client.post(f"/s/{tsu.code}/ocr/pages/{page.pk}/", _confirm(page, truth))

    body = response.content.decode()
    assert response.status_code == 200  # the page again, with the reason above the fields
    assert "この手続の受付は" in body and "終了しました" in body
    page.refresh_from_db()
    assert page.application is None


def test_the_clerk_gives_the_day_the_papers_were_received_and_it_cannot_be_ahead(
    tsu, tsu_clerk, login
):
    paper = paper_template(tsu, division=division_of(tsu_clerk))
    client = login(tsu_clerk)
    scans = demo.sample_scans(1)
    url = f"/s/{tsu.code}/ocr/templates/{paper.pk}/batches/new/"

    ahead = client.post(url, {"scans": scans, "received_on": "令和99年1月1日"})
    assert ahead.status_code == 400
    assert "先の日付" in ahead.content.decode() and not paper.batches.exists()

    scans = demo.sample_scans(1)
    response = client.post(url, {"scans": scans, "received_on": "令和8年11月30日"})
    assert response.status_code == 302
    assert paper.batches.get().received_on == date(2026, 11, 30)


def test_the_paper_forms_are_listed_in_a_table_with_their_procedure_and_fields(
    tsu, tsu_clerk, login
):
    client = login(tsu_clerk)
    empty = client.get(f"/s/{tsu.code}/ocr/").content.decode()
    assert '<td colspan="4">紙の様式はまだありません。</td>' in empty
    paper = paper_template(tsu, division=division_of(tsu_clerk))
    html = client.get(f"/s/{tsu.code}/ocr/").content.decode()
    row = html.partition(f'/ocr/templates/{paper.pk}/">{paper.name}</a></td>')[2]
    row = row.partition("</tr>")[0]
    assert f"<td>{paper.procedure.name}</td>" in row
    assert f'<td class="number">{len(paper.fields)}</td>' in row


def test_the_paper_intake_page_leads_to_the_pages_waiting_and_to_reading_scans(
    tsu, tsu_clerk, login
):
    """A clerk with a pile of scans, or pages read overnight, starts from 紙の届出: the count of
    pages waiting opens the first of them, each batch says how many still wait (its reading
    being 完了 does not mean they were checked), and each paper form leads to reading scans."""
    paper = paper_template(tsu, division=division_of(tsu_clerk))
    first, _truth = read_page(paper, seed=1)
    read_page(paper, seed=2)
    client = login(tsu_clerk)
    html = client.get(f"/s/{tsu.code}/ocr/").content.decode()
    assert f'href="/s/{tsu.code}/ocr/pages/{first.pk}/">確認を始める</a>' in html
    batch_row = html.partition(f'/ocr/batches/{first.batch_id}/">')[2].partition("</tr>")[0]
    assert '<td class="number">1</td>' in batch_row
    template_row = html.partition(f'/ocr/templates/{paper.pk}/">')[2].partition("</tr>")[0]
    assert f'href="/s/{tsu.code}/ocr/templates/{paper.pk}/#batch-heading"' in template_row

    ScanPage.objects.filter(batch__template=paper).update(status=ScanPage.Status.DONE)
    html = client.get(f"/s/{tsu.code}/ocr/").content.decode()
    assert "確認を始める" not in html and "確認を待っているページはありません" in html


def test_a_clerk_is_led_to_the_pages_they_may_check_not_to_their_own_for_verification(
    tsu, make_member, login
):
    """With ベリファイ on, the page a clerk confirmed waits for someone else: 確認を始める and
    確定して次へ lead that clerk past it to pages they may check, and lead a colleague to it."""
    first, second = make_member(tsu, Role.CLERK), make_member(tsu, Role.CLERK)
    paper = paper_template(tsu, double_entry=True)
    confirmed, truth = read_page(paper, seed=5)
    services.verify_page(actor=first, page=confirmed, typed=dict(truth.items()))
    waiting, _truth = read_page(paper, seed=6)
    ScanPage.objects.filter(pk=waiting.pk).update(batch=confirmed.batch)

    own = login(first).get(f"/s/{tsu.code}/ocr/").content.decode()
    assert f'/ocr/pages/{waiting.pk}/">確認を始める</a>' in own
    assert selectors.next_page(confirmed, first) == waiting
    colleague = login(second).get(f"/s/{tsu.code}/ocr/").content.decode()
    assert f'/ocr/pages/{confirmed.pk}/">確認を始める</a>' in colleague
    # Opened through its batch, the page tells its first clerk whom it waits for, with no form
    # that would refuse them.
    reopened = login(first).get(f"/s/{tsu.code}/ocr/pages/{confirmed.pk}/").content.decode()
    assert (
        "ほかの職員のベリファイを待っています" in reopened and "ベリファイして次へ" not in reopened
    )
    assert (
        "ベリファイして次へ"
        in login(second).get(f"/s/{tsu.code}/ocr/pages/{confirmed.pk}/").content.decode()
    )

    batch = f"/s/{tsu.code}/ocr/batches/{confirmed.batch_id}/"
    own_batch = login(first).get(batch).content.decode()
    assert f'/ocr/pages/{waiting.pk}/">このバッチのページを確認する</a>' in own_batch

    services.verify_page(actor=first, page=waiting, typed=dict(_truth.items()))
    assert "このバッチのページを確認する" not in login(first).get(batch).content.decode()
    assert (
        f'/ocr/pages/{confirmed.pk}/">このバッチのページを確認する</a>'
        in login(second).get(batch).content.decode()
    )
    assert selectors.next_page(confirmed, first) is None
    assert selectors.next_page(confirmed, second) == waiting
    nothing_for_first = login(first).get(f"/s/{tsu.code}/ocr/").content.decode()
    assert "確認を始める" not in nothing_for_first
    assert "ほかの職員のベリファイ・判定を待っています" in nothing_for_first
