"""時刻, 日時 and 位置情報 questions: typed in Japanese or by the browser's own pickers, checked the same
on every channel, shown in 和暦 and 時・分, exported, and read from and written back to XLSForm
(``time``, ``dateTime``, ``geopoint``)."""

import io

import pytest
from django.test import Client
from jsonschema import Draft202012Validator

from jichitai.procedures import exports
from jichitai.procedures.definitions import build_schema, check_definition
from jichitai.procedures.models import Application
from jichitai.procedures.registry import field_types
from jichitai.procedures.tests.factories import published_procedure
from jichitai.procedures.tests.test_xlsform import workbook
from jichitai.procedures.validation import validate_application_data
from jichitai.procedures.xlsform import XLSFormError, read_xlsform
from jichitai.procedures.xlsform_export import write_xlsform

FIELDS = [
    {"name": "opens_at", "type": "time", "label": "開始時刻", "required": True},
    {"name": "seen_at", "type": "datetime", "label": "目撃した日時", "required": True},
    {"name": "place", "type": "geopoint", "label": "場所", "required": True},
]
GOOD = {
    "opens_at": "9:30",
    "seen_at": "2026-04-01T18:05",
    "place": {"latitude": "34.7303", "longitude": "136.5086"},
}


def submit(data, fields=FIELDS):
    return validate_application_data(fields, build_schema(fields), data)


def test_the_three_types_are_offered_in_the_builder_with_japanese_names():
    assert field_types.get("time").label == "時刻"
    assert field_types.get("datetime").label == "日時(和暦可)"
    assert field_types.get("geopoint").label == "位置情報(緯度・経度)"
    assert check_definition(FIELDS) == []


@pytest.mark.django_db
def test_a_clerk_adds_the_three_questions_in_the_builder(tsu, tsu_admin, login):
    from jichitai.procedures.models import Procedure

    procedure = published_procedure(tsu)
    builder = f"/s/{tsu.code}/procedures/{procedure.pk}/form/"
    client = login(tsu_admin)
    page = client.get(builder).content.decode()
    assert ">時刻<" in page and ">日時(和暦可)<" in page and ">位置情報(緯度・経度)<" in page
    for spec in FIELDS:
        response = client.post(builder, {"action": "add", **spec, "required": "on"})
        assert response.status_code == 302, response.content.decode()
    added = Procedure.objects.get(pk=procedure.pk).draft_fields[-3:]
    assert [(spec["name"], spec["type"], spec["required"]) for spec in added] == [
        ("opens_at", "time", True),
        ("seen_at", "datetime", True),
        ("place", "geopoint", True),
    ]
    page = client.get(builder).content.decode()
    assert '<span class="badge">位置情報(緯度・経度)</span>' in page


def test_answers_are_stored_in_one_form_whatever_was_typed():
    cleaned, errors = submit(GOOD)
    assert errors == {}
    assert cleaned == {
        "opens_at": "09:30",
        "seen_at": "2026-04-01T18:05",
        "place": {"latitude": 34.7303, "longitude": 136.5086},
    }
    Draft202012Validator(build_schema(FIELDS)).validate(cleaned)
    cleaned, errors = submit(
        {
            "opens_at": "１８時５分",
            "seen_at": "令和8年4月1日 午後6時5分",
            "place": "34.7303 136.5086 12 5",  # XLSForm's own form: altitude and accuracy dropped
        }
    )
    assert errors == {}
    assert cleaned["opens_at"] == "18:05" and cleaned["seen_at"] == "2026-04-01T18:05"
    assert cleaned["place"] == {"latitude": 34.7303, "longitude": 136.5086}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"opens_at": "25:00"},
            "opens_at",
            "時刻は「9:30」のように、0:00〜23:59で入力してください。",
        ),
        ({"opens_at": "朝"}, "opens_at", "時刻は「9:30」のように、0:00〜23:59で入力してください。"),
        (
            {"seen_at": "2026-04-01"},
            "seen_at",
            "日付と時刻を入力してください。例: 令和8年4月1日 9:30",
        ),
        ({"seen_at": "2026-02-30T10:00"}, "seen_at", "「2026-02-30」は存在しない日付です。"),
        (
            {"place": {"latitude": "91", "longitude": "136.5"}},
            "place",
            "緯度は-90〜90の数で入力してください。",
        ),
        (
            {"place": {"latitude": "34.7", "longitude": "東経136度"}},
            "place",
            "経度は-180〜180の数で入力してください。",
        ),
        (
            {"place": {"latitude": "34.7", "longitude": ""}},
            "place",
            "緯度と経度を入力してください。",
        ),
    ],
)
def test_a_wrong_answer_is_refused_with_a_japanese_message(data, field, message):
    _, errors = submit({**GOOD, **data})
    assert errors == {field: [message]}


def test_an_unanswered_required_question_is_named():
    _, errors = submit({})
    assert errors == {
        "opens_at": ["「開始時刻」を入力してください。"],
        "seen_at": ["「目撃した日時」を入力してください。"],
        "place": ["「場所」を入力してください。"],
    }


def test_answers_are_shown_in_wareki_and_hours_and_minutes():
    cleaned, _ = submit(GOOD)
    shown = {
        spec["name"]: field_types.get(spec["type"]).display(cleaned[spec["name"]], spec)
        for spec in FIELDS
    }
    assert shown == {
        "opens_at": "9時30分",
        "seen_at": "令和8年4月1日 18時05分",
        "place": "緯度 34.7303、経度 136.5086",
    }


@pytest.fixture
def sighting(tsu):
    return published_procedure(tsu, fields=FIELDS)


PAGE_POST = {
    "opens_at": "09:30",
    "seen_at": "2026-04-01T18:05",
    "place__latitude": "34.7303",
    "place__longitude": "136.5086",
    "_action": "confirm",
}


@pytest.mark.django_db
def test_the_resident_page_uses_the_browsers_pickers_and_two_labelled_numbers(tsu, sighting):
    page = Client().get(f"/o/{tsu.code}/procedures/{sighting.pk}/").content.decode()
    assert 'type="time"' in page and 'type="datetime-local"' in page
    assert '<label for="field-place-latitude">緯度</label>' in page
    assert '<label for="field-place-longitude">経度</label>' in page
    assert page.count('type="number" step="any"') == 2
    assert "現在地を入力" in page  # a button the script reveals; without it the numbers are typed


@pytest.mark.django_db
def test_a_wrong_answer_on_the_page_is_explained_and_kept(tsu, sighting):
    response = Client().post(
        f"/o/{tsu.code}/procedures/{sighting.pk}/",
        {**PAGE_POST, "place__latitude": "134.7", "opens_at": "24:10"},
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "緯度は-90〜90の数で入力してください。" in body
    assert "時刻は「9:30」のように、0:00〜23:59で入力してください。" in body
    assert (
        'value="134.7"' in body and 'value="24:10"' in body and 'value="2026-04-01T18:05"' in body
    )


@pytest.mark.django_db
def test_confirmation_inbox_and_exports_show_the_answers(
    tsu, sighting, make_member, login, django_capture_on_commit_callbacks
):
    client = Client()
    response = client.post(f"/o/{tsu.code}/procedures/{sighting.pk}/", PAGE_POST)
    confirm = client.get(response["Location"]).content.decode()
    assert "9時30分" in confirm and "令和8年4月1日 18時05分" in confirm
    assert "緯度 34.7303、経度 136.5086" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"])
    application = Application.objects.get()
    assert application.data == {
        "opens_at": "09:30",
        "seen_at": "2026-04-01T18:05",
        "place": {"latitude": 34.7303, "longitude": 136.5086},
    }

    staff = login(make_member(tsu, division=sighting.division))
    detail = staff.get(f"/s/{tsu.code}/inbox/{application.pk}/").content.decode()
    assert "令和8年4月1日 18時05分" in detail and "緯度 34.7303、経度 136.5086" in detail

    header, rows = exports.application_table(sighting, [application])
    assert header[5:] == ["開始時刻", "目撃した日時", "場所(緯度)", "場所(経度)"]
    assert rows[0][5:] == ["9時30分", "令和8年4月1日 18時05分", 34.7303, 136.5086]


@pytest.mark.django_db
def test_the_api_takes_the_same_answers_and_refuses_the_same_mistakes(tsu, sighting):
    url = f"/api/v1/o/{tsu.code}/procedures/{sighting.pk}/applications"
    client = Client()
    response = client.post(
        url,
        {**GOOD, "place": {"latitude": 34.7, "longitude": 200}},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"place": ["経度は-180〜180の数で入力してください。"]}
    assert client.post(url, GOOD, content_type="application/json").status_code == 201


XLSFORM_HEADER = ["type", "name", "label", "required", "relevant", "constraint", "default"]


def test_xlsform_time_datetime_and_geopoint_rows_are_imported_with_their_defaults_and_conditions():
    book = workbook(
        [
            ["acknowledge", "ok", "注意事項を読みました", "yes"],
            ["time", "opens_at", "開始時刻", "yes", None, ". >= '08:00'", "09:00"],
            ["dateTime", "seen_at", "目撃した日時", None, "${ok} = 'OK'"],
            ["datetime", "reported_at", "通報日時", None, None, None, "2026-04-01T09:30:00"],
            ["geopoint", "place", "場所", "yes", None, None, "34.7303 136.5086 0 0"],
            ["gps", "home", "自宅の位置"],
            ["trigger", "seen", "確認しました"],
        ],
        header=XLSFORM_HEADER,
    )
    fields = read_xlsform(book).fields
    assert [(spec["name"], spec["type"]) for spec in fields] == [
        ("ok", "consent"),
        ("opens_at", "time"),
        ("seen_at", "datetime"),
        ("reported_at", "datetime"),
        ("place", "geopoint"),
        ("home", "geopoint"),
        ("seen", "consent"),
    ]
    by_name = {spec["name"]: spec for spec in fields}
    assert by_name["opens_at"]["constraint"] == ". >= '08:00'"
    assert by_name["opens_at"]["default"] == "09:00"
    assert by_name["reported_at"]["default"] == "2026-04-01T09:30"
    assert by_name["place"]["default"] == "34.7303 136.5086"
    assert by_name["seen_at"]["relevant"] == "${ok} = 'OK'"
    assert check_definition(fields) == []
    cleaned, errors = submit({"ok": True, "opens_at": "07:00"}, fields)
    assert "opens_at" in errors
    cleaned, errors = submit({"ok": True}, fields)
    assert errors == {}
    assert cleaned["opens_at"] == "09:00" and cleaned["reported_at"] == "2026-04-01T09:30"
    assert cleaned["place"] == {"latitude": 34.7303, "longitude": 136.5086}

    assert read_xlsform(io.BytesIO(write_xlsform(fields))).fields == fields


def test_xlsform_lines_shapes_and_maps_stay_refused_with_the_row():
    for kind, reason in (
        ("geotrace", "位置の線(geotrace)"),
        ("geoshape", "位置の範囲(geoshape)"),
        ("osm", "地図(OSM)"),
    ):
        book = workbook([["text", "a", "A"], [kind, "b", "B"]], header=XLSFORM_HEADER)
        with pytest.raises(XLSFormError) as refused:
            read_xlsform(book)
        assert refused.value.problems == [f"survey シート 3行目: {reason}には対応していません。"]


def test_a_default_that_is_not_a_time_is_refused_with_the_row():
    book = workbook(
        [["time", "opens_at", "開始時刻", None, None, None, "noon"]], header=XLSFORM_HEADER
    )
    with pytest.raises(XLSFormError) as refused:
        read_xlsform(book)
    assert refused.value.problems == [
        "survey シート 2行目: 初期値「noon」は読めません(時刻は「9:30」のように、0:00〜23:59で入力してください。)"
    ]
