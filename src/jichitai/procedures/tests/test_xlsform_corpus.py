"""The XLSForm corpus: real workbooks from pyxform's test fixtures and xlsform.org (sources and
licences in ``xlsform_corpus/SOURCES.tsv``). Each has its expected outcome in
``xlsform_corpus/expected.tsv``: imported (with what it means kept), imported with a warning the
clerk accepts, or refused with the row and the reason. Files marked ``held_out`` in SOURCES.tsv
were never used to tune the import."""

import csv
import io
import warnings
from pathlib import Path

import pytest

from jichitai.procedures.definitions import build_schema, check_definition
from jichitai.procedures.validation import validate_application_data
from jichitai.procedures.xlsform import XLSFormError, read_xlsform
from jichitai.procedures.xlsform_export import write_xlsform

CORPUS = Path(__file__).parent / "xlsform_corpus"
KEPT = (
    "relevant",
    "constraint",
    "choice_filter",
    "calculation",
    "required_if",
    "translations",
    "default",
    "constraint_message",
    "repeat_count",
    "min_repeat",
    "step",
    "accept",
)


def _table(name: str) -> list[list[str]]:
    with (CORPUS / name).open(encoding="utf-8") as handle:
        return [
            row for row in csv.reader(handle, delimiter="\t") if row and not row[0].startswith("#")
        ]


EXPECTED = {row[0]: (row[1], row[2] if len(row) > 2 else "") for row in _table("expected.tsv")}
PARTS = {row[0]: row[1] for row in _table("SOURCES.tsv")[1:]}


def test_every_file_has_a_source_a_licence_and_an_expected_outcome():
    files = {path.name for path in (CORPUS / "files").iterdir()}
    assert len(files) >= 70
    assert files == set(EXPECTED) == set(PARTS)
    assert all(
        row[2].startswith("https://github.com/XLSForm/") and row[3]
        for row in _table("SOURCES.tsv")[1:]
    )
    assert sum(part == "held_out" for part in PARTS.values()) >= 15


def outcome(name: str) -> tuple[str, str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl's notes about unknown Excel extensions
        try:
            # The outcome, not the speed, is tested here (the machine may be busy).
            imported = read_xlsform((CORPUS / "files" / name).open("rb"), seconds=600)
        except XLSFormError as error:
            return "refused", error.problems[0]
    assert check_definition(imported.fields) == [], name
    if imported.warnings:
        return "warned", imported.warnings[0]
    every = [
        *imported.fields,
        *(child for spec in imported.fields for child in spec.get("children", [])),
    ]
    kept = {key for spec in every for key in spec if key in KEPT}
    kept |= {
        spec["type"]
        for spec in every
        if spec["type"] in {"page", "section", "note", "calculate", "repeat"}
    }
    return "imported", " ".join(sorted(kept))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_file_has_its_expected_outcome(name):
    assert outcome(name) == EXPECTED[name]


def _read(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_xlsform((CORPUS / "files" / name).open("rb"), seconds=600).fields


def _submit(fields, data):
    return validate_application_data(fields, build_schema(fields), data)


def test_a_constraint_from_the_corpus_refuses_with_the_forms_own_message():
    fields = _read("bug_spaces_in_choices_header.xls")
    _, errors = _submit(fields, {"my_select_all": ["c", "d"], "my_select": "a"})
    assert errors == {"my_select_all": ["option c and d cannot be selected together"]}
    cleaned, errors = _submit(fields, {"my_select": "a"})
    assert errors == {} and cleaned["my_select_all"] == ["a", "c"]  # the form's default


def test_a_loop_asks_its_questions_once_per_column_each_checked_against_its_own_column():
    fields = _read("history__another_loop.xls")
    # At the survey's top, as pyxform writes it: a group (here a page) per column.
    pages = [spec for spec in fields if spec["type"] == "page"]
    assert [page["label"] for page in pages] == ["Car", "Motorcycle"]
    assert [page["translations"]["fr"]["label"] for page in pages] == ["Voiture", "Moto"]
    # "working <= ../total" compares a column's two answers, never another column's.
    _, errors = _submit(fields, {"car_total": 1, "car_working": 2, "motor_cycle_total": 5})
    assert list(errors) == ["car_working"]
    _, errors = _submit(fields, {"car_total": 3, "car_working": 2, "motor_cycle_total": 1})
    assert errors == {}


def test_a_loop_puts_each_columns_label_in_its_questions():
    labels = [spec["label"] for spec in _read("loop.xlsx") if spec["type"] == "number"]
    assert labels[0] == "How many Pit latrine with slab are on the premises?"
    assert labels[-1] == "How many Other are on the premises?"


def test_a_choice_filter_from_the_corpus_refuses_a_choice_it_does_not_offer():
    fields = _read("choice_filter_test.xlsx")
    _, errors = _submit(fields, {"state": "texas", "county": "pierce", "city": ""})
    assert errors == {"county": ["選択肢から選んでください。"]}


def test_an_or_other_question_is_asked_only_when_other_is_chosen():
    fields = _read("specify_other.xls")
    other = next(spec for spec in fields if spec["name"] == "sex_other")
    choice = next(spec for spec in fields if spec["name"] == "sex")
    assert "other" in [c["value"] for c in choice["choices"]]
    cleaned, _ = _submit(fields, {"sex": "other", "sex_other": "x"})
    assert cleaned["sex_other"] == "x"
    cleaned, _ = _submit(fields, {"sex": choice["choices"][0]["value"], "sex_other": "x"})
    assert "sex_other" not in cleaned
    assert other["relevant"]


@pytest.fixture
def cascading(tsu):
    from jichitai.procedures.tests.factories import published_procedure

    return published_procedure(tsu, fields=_read("xlsform_org__cascading_select.xlsx"))


@pytest.fixture
def adult_only(tsu):
    from jichitai.procedures.tests.factories import published_procedure

    return published_procedure(tsu, fields=_read("bug_spaces_in_choices_header.xls"))


@pytest.mark.django_db
def test_the_api_refuses_what_the_imported_form_forbids_with_its_own_message(
    tsu, cascading, adult_only
):
    from django.test import Client

    client = Client()
    url = f"/api/v1/o/{tsu.code}/procedures/{cascading.pk}/applications"
    body = {"selected_state": "texas", "selected_county": "king", "selected_city": "seattle"}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"]["selected_county"] == ["選択肢から選んでください。"]
    body["selected_state"] = "washington"
    assert client.post(url, body, content_type="application/json").status_code == 201

    url = f"/api/v1/o/{tsu.code}/procedures/{adult_only.pk}/applications"
    body = {"my_select_all": ["c", "d"], "my_select": "a"}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"]["my_select_all"] == [
        "option c and d cannot be selected together"
    ]


@pytest.mark.django_db
def test_the_resident_page_refuses_what_the_imported_form_forbids_with_its_own_message(
    tsu, adult_only, cascading
):
    from django.test import Client

    client = Client()
    url = f"/o/{tsu.code}/procedures/{adult_only.pk}/"
    page = client.get(url).content.decode()
    # The form's default is ticked when the page opens.
    assert 'value="a" checked' in page and 'value="c" checked' in page
    response = client.post(
        url, {"my_select_all": ["c", "d"], "my_select": "a", "_action": "confirm"}
    )
    assert response.status_code == 422
    assert "option c and d cannot be selected together" in response.content.decode()

    url = f"/o/{tsu.code}/procedures/{cascading.pk}/"
    response = client.post(
        url,
        {
            "selected_state": "texas",
            "selected_county": "king",
            "selected_city": "seattle",
            "_action": "confirm",
        },
    )
    assert response.status_code == 422
    assert "選択肢から選んでください。" in response.content.decode()


@pytest.mark.parametrize("name", sorted(n for n, (o, _) in EXPECTED.items() if o != "refused"))
def test_each_imported_file_comes_back_the_same_from_its_xlsform_export(name):
    fields = _read(name)
    assert read_xlsform(io.BytesIO(write_xlsform(fields)), seconds=600).fields == fields


def test_a_time_default_from_the_corpus_is_the_answer_a_resident_starts_with():
    fields = _read("default_time_demo.xls")
    assert fields == [
        {"name": "start_time", "type": "time", "label": "Start time", "default": "09:30"}
    ]
    cleaned, errors = _submit(fields, {})
    assert errors == {} and cleaned == {"start_time": "09:30"}
    _, errors = _submit(fields, {"start_time": "9時75分"})
    assert errors == {"start_time": ["時刻は「9:30」のように、0:00〜23:59で入力してください。"]}


def test_a_gps_question_from_the_corpus_takes_a_latitude_and_a_longitude():
    fields = _read("gps.xls")
    assert fields == [{"name": "location", "type": "geopoint", "label": "GPS"}]
    cleaned, errors = _submit(fields, {"location": {"latitude": "34.73", "longitude": "136.51"}})
    assert errors == {} and cleaned == {"location": {"latitude": 34.73, "longitude": 136.51}}


def test_a_photo_question_from_the_corpus_takes_only_pictures():
    fields = _read("history__file_type.xlsx")
    assert [(spec["name"], spec["type"], spec.get("accept")) for spec in fields] == [
        ("photo", "file", ["jpeg", "png"]),
        # Any kind the procedure's attachment policy allows.
        ("doc_file", "file", None),
        ("a_file", "file", None),
    ]


@pytest.mark.parametrize("name", ["attribute_columns_test.xlsx", "history__xlsform_spec_test.xls"])
def test_the_spec_forms_are_refused_only_for_their_sound_and_video_questions(name):
    # Their constraint ``selected (., 'no')`` (a space before the parenthesis) is XPath ODK reads.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(XLSFormError) as error:
            read_xlsform((CORPUS / "files" / name).open("rb"), seconds=600)
    assert [problem.split(": ")[1][:3] for problem in error.value.problems] == ["録音(", "動画("]
