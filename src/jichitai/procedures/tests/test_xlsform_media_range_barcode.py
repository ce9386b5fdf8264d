"""XLSForm rows a phone app answers with its own widgets, as far as a web form can honour them:
``range`` is a number between its start and end in steps, ``image``/``photo`` an attached
picture (checked as an image), ``file`` an attachment under the procedure's policy, ``barcode``
a code the resident types (imported with a warning: there is no scanner), ``hidden`` with a
constant value a value stored with each answer and never shown. ``audio``, ``video`` and a
``hidden`` row nothing fills stay refused with the row and the reason."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jichitai.core.tests.samples import pdf_bytes, png_bytes
from jichitai.core.uploads import UploadRejected
from jichitai.procedures import services
from jichitai.procedures.definitions import build_schema, check_definition
from jichitai.procedures.tests.factories import published_procedure
from jichitai.procedures.tests.test_xlsform import workbook
from jichitai.procedures.validation import validate_application_data
from jichitai.procedures.xlsform import XLSFormError, read_xlsform
from jichitai.procedures.xlsform_export import write_xlsform

HEADER = [
    "type",
    "name",
    "label",
    "required",
    "constraint",
    "constraint_message",
    "default",
    "parameters",
]


def submit(fields, data):
    return validate_application_data(fields, build_schema(fields), data)


def read(rows):
    return read_xlsform(workbook(rows, header=HEADER))


RANGES = [
    ["range", "satisfaction", "満足度", "yes", None, None, None, "start=1 end=5 step=1"],
    [
        "range",
        "depth",
        "水深(m)",
        None,
        ". != 2.5",
        "2.5 m は測れません",
        None,
        "start=0 end=10 step=0.5",
    ],
    ["range", "plain", "既定の範囲"],
]


def test_a_range_row_becomes_a_number_between_its_start_and_end_in_its_steps():
    fields = read(RANGES).fields
    assert fields == [
        {
            "name": "satisfaction",
            "type": "number",
            "label": "満足度",
            "required": True,
            "minimum": 1,
            "maximum": 5,
            "step": 1,
        },
        {
            "name": "depth",
            "type": "number",
            "label": "水深(m)",
            "decimal": True,
            "constraint": ". != 2.5",
            "constraint_message": "2.5 m は測れません",
            "minimum": 0,
            "maximum": 10,
            "step": 0.5,
        },
        # XLSForm's own defaults: 1 to 10 in steps of 1.
        {
            "name": "plain",
            "type": "number",
            "label": "既定の範囲",
            "minimum": 1,
            "maximum": 10,
            "step": 1,
        },
    ]
    assert check_definition(fields) == []


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"satisfaction": "3", "depth": "7.5"}, {}),
        ({"satisfaction": "6"}, {"satisfaction": ["5以下の値を入力してください。"]}),
        ({"satisfaction": "0"}, {"satisfaction": ["1以上の値を入力してください。"]}),
        (
            {"satisfaction": "3", "depth": "7.3"},
            {"depth": ["0から0.5きざみの値を入力してください。"]},
        ),
        ({"satisfaction": "3", "depth": "2.5"}, {"depth": ["2.5 m は測れません"]}),
        ({"depth": "1"}, {"satisfaction": ["「満足度」を入力してください。"]}),
    ],
)
def test_a_range_answer_outside_its_bounds_or_steps_is_refused(data, errors):
    assert submit(read(RANGES).fields, data)[1] == errors


@pytest.mark.django_db
def test_the_resident_page_says_a_ranges_bounds_and_steps_and_refuses_an_answer_between_steps(tsu):
    procedure = published_procedure(tsu, fields=read(RANGES).fields)
    url = f"/o/{tsu.code}/procedures/{procedure.pk}/"
    page = Client().get(url).content.decode()
    assert "1〜5の数を、1きざみで入力してください。" in page
    assert "0〜10の数を、0.5きざみで入力してください。" in page
    assert 'inputmode="decimal"' in page  # a phone's keyboard with a decimal point for depth
    response = Client().post(url, {"satisfaction": "3", "depth": "7.3", "_action": "confirm"})
    assert response.status_code == 422
    assert "0から0.5きざみの値を入力してください。" in response.content.decode()
    response = Client().post(url, {"satisfaction": "3", "depth": "2.5", "_action": "confirm"})
    assert "2.5 m は測れません" in response.content.decode()


def test_a_range_from_high_to_low_takes_the_same_numbers():
    fields = read([["range", "r", "R", None, None, None, None, "start=10 end=0 step=-2"]]).fields
    assert fields[0] == {
        "name": "r",
        "type": "number",
        "label": "R",
        "minimum": 0,
        "maximum": 10,
        "step": 2,
    }


def test_a_range_with_a_step_of_zero_is_refused_with_the_row():
    with pytest.raises(XLSFormError) as refused:
        read([["range", "r", "R", None, None, None, None, "start=0 end=10 step=0"]])
    assert refused.value.problems == [
        "survey シート 2行目: range の parameters の step は 0 以外にしてください。"
    ]


def test_image_and_file_rows_are_attachments_an_image_row_takes_only_pictures():
    fields = read(
        [
            ["image", "photo", "現場の写真", "yes"],
            ["photo", "other_photo", "別の写真"],
            ["file", "document", "書類"],
        ]
    ).fields
    assert fields == [
        {
            "name": "photo",
            "type": "file",
            "label": "現場の写真",
            "required": True,
            "accept": ["jpeg", "png"],
        },
        {"name": "other_photo", "type": "file", "label": "別の写真", "accept": ["jpeg", "png"]},
        {"name": "document", "type": "file", "label": "書類"},
    ]
    assert check_definition(fields) == []


def test_an_image_row_that_asks_the_phone_to_shrink_pictures_is_imported_with_a_warning():
    imported = read([["image", "photo", "写真", None, None, None, None, "max-pixels=1024"]])
    assert imported.fields[0]["accept"] == ["jpeg", "png"]
    assert imported.warnings == [
        "survey シート 2行目: 画像を縮小する指定(max-pixels)は Web では行わず、"
        "画像は送られたまま受け付けます。"
    ]


def test_a_file_question_that_takes_only_some_kinds_is_checked_by_the_builder():
    spec = {"name": "photo", "type": "file", "label": "写真", "accept": ["jpeg", "exe"]}
    assert check_definition([spec]) == ["1番目の項目「写真」: 添付できる形式「exe」は使えません。"]


@pytest.mark.django_db
def test_a_picture_question_refuses_a_pdf_and_keeps_a_picture(tsu):
    fields = read([["image", "photo", "現場の写真", "yes"], ["file", "document", "書類"]]).fields
    procedure = published_procedure(tsu, fields=fields, attachment_kinds=["pdf", "png", "jpeg"])
    with pytest.raises(UploadRejected) as refused:
        services.store_upload(
            procedure=procedure,
            field_name="photo",
            upload=SimpleUploadedFile("現場.pdf", pdf_bytes()),
            accept=fields[0]["accept"],
        )
    assert refused.value.messages == [
        "「現場.pdf」の形式は受け付けていません。使える形式: .jpg、.jpeg、.png"
    ]
    picture = SimpleUploadedFile("現場.png", png_bytes())
    assert services.store_upload(
        procedure=procedure, field_name="photo", upload=picture, accept=fields[0]["accept"]
    ).content_type == ("image/png")
    # The document question follows the procedure's policy.
    assert services.store_upload(
        procedure=procedure,
        field_name="document",
        upload=SimpleUploadedFile("書類.pdf", pdf_bytes()),
    ).content_type == ("application/pdf")


@pytest.mark.django_db
def test_the_resident_page_offers_pictures_and_explains_a_refused_pdf(tsu):
    fields = read([["image", "photo", "現場の写真", "yes"]]).fields
    procedure = published_procedure(tsu, fields=fields, attachment_kinds=["pdf", "png", "jpeg"])
    url = f"/o/{tsu.code}/procedures/{procedure.pk}/"
    client = Client()
    assert 'accept=".jpg,.jpeg,.png"' in client.get(url).content.decode()
    response = client.post(
        url, {"photo": SimpleUploadedFile("現場.pdf", pdf_bytes()), "_action": "confirm"}
    )
    assert response.status_code == 422
    assert "使える形式: .jpg、.jpeg、.png" in response.content.decode()


def test_a_barcode_row_is_a_text_the_resident_types_imported_with_a_warning():
    imported = read([["barcode", "ticket", "整理券の番号", "yes"]])
    assert imported.fields == [
        {"name": "ticket", "type": "text", "label": "整理券の番号", "required": True}
    ]
    assert imported.warnings == [
        "survey シート 2行目: バーコード「ticket」は Web では読み取れないため、"
        "申請者が番号を入力する1行テキストとして取り込みます。"
    ]


def test_a_hidden_row_with_a_value_is_stored_with_each_answer_and_never_shown():
    fields = read(
        [
            ["text", "name", "お名前"],
            ["hidden", "survey_round", "調査回", None, None, None, "2026-spring"],
        ]
    ).fields
    assert fields[1] == {
        "name": "survey_round",
        "type": "calculate",
        "label": "調査回",
        "calculation": "'2026-spring'",
    }
    cleaned, errors = submit(fields, {"name": "三重"})
    assert errors == {} and cleaned == {"name": "三重", "survey_round": "2026-spring"}
    # A resident cannot send another value: it is not a question.
    cleaned, errors = validate_application_data(
        fields,
        build_schema(fields),
        {"name": "三重", "survey_round": "x"},
        reject_unknown=True,
    )
    assert errors == {"survey_round": ["この項目はこの手続にありません。"]}


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (
            ["audio", "voice", "声"],
            "録音(audio)には対応していません。音声ファイルは中身を安全に確かめられないため、"
            "受け付けられません。",
        ),
        (
            ["video", "clip", "動画"],
            "動画(video)には対応していません。動画ファイルは中身を安全に確かめられないため、"
            "受け付けられません。",
        ),
        (
            ["hidden", "secret", "非表示"],
            "値のない非表示値(hidden)には対応していません。Web の申請では何も入らないため、"
            "default に値を書くか calculate の行にしてください。",
        ),
    ],
)
def test_rows_a_web_form_cannot_honour_stay_refused_with_the_row_and_reason(row, reason):
    with pytest.raises(XLSFormError) as refused:
        read([["text", "a", "A"], row])
    assert refused.value.problems == [f"survey シート 3行目: {reason}"]


def test_ranges_pictures_files_and_hidden_values_come_back_the_same_from_the_export():
    fields = read(
        [
            *RANGES,
            ["image", "photo", "現場の写真", "yes"],
            ["file", "document", "書類"],
            ["hidden", "survey_round", "調査回", None, None, None, "it's"],
        ]
    ).fields
    assert read_xlsform(io.BytesIO(write_xlsform(fields))).fields == fields


@pytest.mark.django_db
def test_a_clerk_relabelling_a_range_or_a_picture_question_keeps_its_steps_and_kinds(
    tsu, tsu_admin, login
):
    from jichitai.procedures.models import Procedure

    fields = read([RANGES[0], ["image", "photo", "現場の写真", "yes"]]).fields
    procedure = published_procedure(tsu, fields=fields)
    client = login(tsu_admin)
    for position, (name, kind, label) in enumerate(
        [("satisfaction", "number", "満足度(5段階)"), ("photo", "file", "写真")]
    ):
        edit = f"/s/{tsu.code}/procedures/{procedure.pk}/form/{position}/"
        # What the edit page shows filled in.
        initial = {"minimum": "1", "maximum": "5", "step": "1"} if kind == "number" else {}
        assert client.get(edit).status_code == 200
        response = client.post(
            edit, {"name": name, "type": kind, "label": label, "required": "on", **initial}
        )
        assert response.status_code == 302, response.content.decode()
    saved = Procedure.objects.get(pk=procedure.pk).draft_fields
    assert saved[0]["step"] == 1 and saved[0]["label"] == "満足度(5段階)"
    assert saved[1]["accept"] == ["jpeg", "png"] and saved[1]["label"] == "写真"


@pytest.mark.django_db
def test_the_api_refuses_a_range_answer_between_steps_or_against_the_forms_constraint(tsu):
    procedure = published_procedure(tsu, fields=read(RANGES).fields)
    url = f"/api/v1/o/{tsu.code}/procedures/{procedure.pk}/applications"
    client = Client()
    for depth, message in (
        (7.3, "0から0.5きざみの値を入力してください。"),
        (2.5, "2.5 m は測れません"),
        (10.5, "10以下の値を入力してください。"),
    ):
        response = client.post(
            url, {"satisfaction": 3, "depth": depth}, content_type="application/json"
        )
        assert response.status_code == 422
        assert response.json()["errors"] == {"depth": [message]}
    body = {"satisfaction": 3, "depth": 7.5}
    assert client.post(url, body, content_type="application/json").status_code == 201


def test_a_hidden_row_with_a_calculation_is_that_calculation():
    book = workbook(
        [["integer", "age", "年齢"], ["hidden", "next_age", "来年の年齢", "${age} + 1"]],
        header=["type", "name", "label", "calculation"],
    )
    fields = read_xlsform(book).fields
    assert fields[1] == {
        "name": "next_age",
        "type": "calculate",
        "label": "来年の年齢",
        "calculation": "${age} + 1",
    }
    assert submit(fields, {"age": "40"}) == ({"age": 40, "next_age": 41}, {})


@pytest.mark.django_db
def test_a_clerk_sets_and_clears_a_numbers_steps_in_the_builder(tsu, tsu_admin, login):
    from jichitai.procedures.models import Procedure

    procedure = published_procedure(tsu, fields=read([RANGES[1]]).fields)
    client = login(tsu_admin)
    edit = f"/s/{tsu.code}/procedures/{procedure.pk}/form/0/"
    page = client.get(edit).content.decode()
    assert "きざみ" in page and 'value="0.5"' in page
    answer = {"name": "depth", "type": "number", "label": "水深", "minimum": "0", "maximum": "10"}
    assert client.post(edit, {**answer, "step": "0.25"}).status_code == 302
    assert Procedure.objects.get(pk=procedure.pk).draft_fields[0]["step"] == 0.25
    assert client.post(edit, answer).status_code == 302
    assert "step" not in Procedure.objects.get(pk=procedure.pk).draft_fields[0]


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ({"step": 0}, "きざみは 0 より大きい数にしてください。"),
        ({"step": 1, "minimum": 1}, "きざみを使うときは、最小値と最大値も入力してください。"),
    ],
)
def test_a_number_in_steps_needs_a_positive_step_and_both_bounds(spec, problem):
    number = {"name": "n", "type": "number", "label": "数", **spec}
    assert check_definition([number]) == [f"1番目の項目「数」: {problem}"]
