"""Uploads that cannot be used are refused with the reason in Japanese, never with a server error:
a blank form or a scan that does not decode, a template JSON that is not a template."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jichitai.core.tests.samples import png_bytes
from jichitai.jobs.models import Job
from jichitai.ocr import demo, template
from jichitai.ocr.models import PaperTemplate
from jichitai.ocr.tests.factories import paper_template
from jichitai.ocr.tests.test_pages import (
    pdf_promising_more_pages,
    png_with_text_inflating_to_8_mb,
    png_with_text_of_an_unknown_compression,
    tiff_with_strip_offsets_of_the_wrong_type,
)

pytestmark = pytest.mark.django_db


def _register(client, organization, procedure, *, blank, definition=None):
    """Posts 紙の様式を登録する as a clerk fills it in."""
    form = {"procedure": procedure.pk, "name": "現況届(紙)", "dpi": "200", "blank": blank}
    if definition is not None:
        form["definition"] = SimpleUploadedFile("template.json", definition, "application/json")
    return client.post(f"/s/{organization.code}/ocr/templates/new/", form)


def _says_it_cannot_be_read(error: str) -> bool:
    """The reason, whether the upload check refused the file (it decodes images too) or the
    reading did (with the page): both say the file cannot be read."""
    return "読み取れません" in error


@pytest.fixture
def procedure(tsu, tsu_clerk):
    return demo.paper_procedure(tsu, tsu_clerk.memberships.get().division)


@pytest.mark.usefixtures("pillow_defaults")
@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        pytest.param(
            "blank.png", png_with_text_of_an_unknown_compression(), "image/png", id="ztxt-method"
        ),
        pytest.param("blank.png", png_with_text_inflating_to_8_mb(), "image/png", id="ztxt-8mb"),
        pytest.param(
            "blank.tif", tiff_with_strip_offsets_of_the_wrong_type(), "image/tiff", id="tiff-tag"
        ),
    ],
)
def test_a_blank_form_that_does_not_decode_is_refused_beside_its_field(
    tsu, tsu_clerk, login, procedure, name, content, kind
):
    """A blank form whose header and checksums are right but whose data does not decode (a text
    chunk of an unknown compression or inflating to megabytes, a TIFF tag of the wrong type): the
    clerk gets the form again, filled in, with the file named and the reason beside 白紙の様式."""
    blank = SimpleUploadedFile(name, content, kind)

    response = _register(login(tsu_clerk), tsu, procedure, blank=blank)

    assert response.status_code == 200
    (error,) = response.context["form"].errors["blank"]
    assert error.startswith(f"「{name}」") and _says_it_cannot_be_read(error)
    assert list(response.context["form"].errors) == ["blank"]
    assert 'value="現況届(紙)"' in response.content.decode()
    assert not PaperTemplate.objects.exists()


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def _with_box(box: bytes) -> bytes:
    """A template of one field whose box is written ``box``, as JSON spells its numbers."""
    return b'{"dpi": 200, "fields": [{"name": "name", "type": "text", "box": ' + box + b"}]}"


BOX_RANGE = "項目「name」の枠は 0〜100,000 ピクセルの数で指定してください。"


@pytest.mark.parametrize(
    ("definition", "error"),
    [
        pytest.param(
            b"[" * 100_000,
            "テンプレートの JSON の入れ子が深すぎます(10 段まで)。",
            id="100000-brackets",
        ),
        pytest.param(
            _nested(11), "テンプレートの JSON の入れ子が深すぎます(10 段まで)。", id="11-deep"
        ),
        pytest.param(
            b'{"name": "' + b"x" * 1024 * 1024 + b'"}',
            "テンプレートの JSON が大きすぎます(1 MB まで)。",
            id="over-1-mb",
        ),
        # A string left open: its nesting is measured in one pass, not once from every quote.
        pytest.param(
            b'{"name": "' + b'\\"' * 400_000,
            "テンプレートの JSON を読み取れません(1 行目、10 文字目)。",
            id="open-string-of-escaped-quotes",
        ),
        pytest.param(
            b'{"dpi": 200, "fields": [}',
            "テンプレートの JSON を読み取れません(1 行目、25 文字目)。",
            id="syntax",
        ),
        pytest.param(
            '{"name": "現況届"}'.encode("utf-16"),
            "テンプレートの JSON を読み取れません(文字コードは UTF-8 にしてください)。",
            id="utf-16",
        ),
        pytest.param(
            b'{"dpi": ' + b"9" * 5000 + b"}",
            "テンプレートの JSON を読み取れません(数が長すぎます)。",
            id="5000-digits",
        ),
        pytest.param(b'{"dpi": 1e400}', "dpi は 72〜1200 の整数で指定してください。", id="dpi-inf"),
        pytest.param(b'{"dpi": NaN}', "dpi は 72〜1200 の整数で指定してください。", id="dpi-nan"),
        pytest.param(
            b'{"fields": 5}',
            "fields は項目の配列([{…}, …])で指定してください。",
            id="fields-number",
        ),
        pytest.param(_with_box(b"[NaN, 10, 100, 40]"), BOX_RANGE, id="box-nan"),
        pytest.param(_with_box(b"[1e400, 10, 100, 40]"), BOX_RANGE, id="box-inf"),
        pytest.param(_with_box(b"[10, 10, 1e12, 40]"), BOX_RANGE, id="box-huge"),
        pytest.param(_with_box(b"[-10, 10, 100, 40]"), BOX_RANGE, id="box-negative"),
    ],
)
def test_a_template_json_that_is_no_template_is_refused_beside_its_field(
    tsu, tsu_clerk, login, procedure, definition, error
):
    """The template JSON is checked as a whole before anything is taken from it: its size, how
    deep it nests, its structure, and that its numbers are finite and within the page. The clerk
    gets the form again with the reason beside テンプレート JSON."""
    blank = SimpleUploadedFile("blank.png", png_bytes(), "image/png")

    response = _register(login(tsu_clerk), tsu, procedure, blank=blank, definition=definition)

    assert response.status_code == 200
    assert response.context["form"].errors == {"definition": [error]}
    assert not PaperTemplate.objects.exists()


def test_a_template_json_nesting_as_deep_as_a_template_may_is_read():
    """Options nest six deep (the template, fields, a field, its options, an option, its box); the
    limit of ten leaves room for that and for notes a team keeps beside the fields."""
    choice = {
        "name": "married",
        "type": "choice",
        "box": [10, 10, 200, 40],
        "options": [
            {"value": "はい", "box": [10, 10, 90, 40]},
            {"value": "いいえ", "box": [110, 10, 90, 40]},
        ],
    }
    notes = json.loads(_nested(9))  # ten deep within the template
    loaded = template.loads(json.dumps({"dpi": 200, "fields": [choice], "notes": notes}))
    assert loaded.fields[0].options[1] == ("いいえ", (110, 10, 90, 40))


@pytest.mark.usefixtures("pillow_defaults")
def test_a_batch_marks_each_file_that_does_not_decode_and_reads_the_others(
    tsu, tsu_clerk, login, django_capture_on_commit_callbacks
):
    """Scans that do not decode do not stop the batch: each is marked with the reason beside its
    name (a PDF page that cannot be loaded with its number, after the pages before it were read),
    and the other files are read."""
    paper = paper_template(tsu, division=tsu_clerk.memberships.get().division)
    client = login(tsu_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/s/{tsu.code}/ocr/templates/{paper.pk}/batches/new/",
            {
                "scans": [
                    SimpleUploadedFile(
                        "memo.png", png_with_text_of_an_unknown_compression(), "image/png"
                    ),
                    SimpleUploadedFile("big.png", png_with_text_inflating_to_8_mb(), "image/png"),
                    SimpleUploadedFile(
                        "scan.tif", tiff_with_strip_offsets_of_the_wrong_type(), "image/tiff"
                    ),
                    SimpleUploadedFile("short.pdf", pdf_promising_more_pages(), "application/pdf"),
                    *demo.sample_scans(1),
                ]
            },
        )

    batch = paper.batches.get()
    assert batch.job.status == Job.Status.SUCCEEDED
    files = {f.original_name: f for f in batch.files.all()}
    assert all(f.processed for f in files.values())
    assert all(_says_it_cannot_be_read(files[name].error) for name in ("memo.png", "big.png"))
    assert _says_it_cannot_be_read(files["scan.tif"].error)
    assert files["short.pdf"].error == "PDF の 2 ページ目を描画できません。"
    assert files["現況届-1.png"].error == ""
    read = {(page.source.original_name, page.number) for page in batch.pages.all()}
    assert read == {("short.pdf", 1), ("現況届-1.png", 1)}
    assert batch.job.result["file_errors"] == 4
