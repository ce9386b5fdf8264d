"""The yes/no question (はい/いいえ): two radio buttons, stored as a boolean, where 「いいえ」 is an
answer — not the 同意 checkbox, whose only answer is a tick."""

import io

import pytest
from django.test import Client

from jichitai.procedures import services
from jichitai.procedures.definitions import build_schema
from jichitai.procedures.fields import FieldInputError
from jichitai.procedures.forms import FIELD_TYPE_CHOICES
from jichitai.procedures.models import Application
from jichitai.procedures.registry import field_types
from jichitai.procedures.rendering import raw_from_data, widgets
from jichitai.procedures.tests.factories import published_procedure
from jichitai.procedures.validation import validate_application_data
from jichitai.procedures.xlsform import read_xlsform
from jichitai.procedures.xlsform_export import write_xlsform

MARRIED = {"name": "married", "type": "yes_no", "label": "婚姻していますか", "required": True}
FIELDS = [
    {"name": "applicant", "type": "text", "label": "氏名", "required": True},
    MARRIED,
]


def normalise(value):
    return field_types.get("yes_no").normalise(value, MARRIED)


@pytest.mark.parametrize("given", [True, "yes", "はい", "true", "1", 1, " YES "])
def test_yes_in_any_channels_words_is_true(given):
    assert normalise(given) is True


@pytest.mark.parametrize("given", [False, "no", "いいえ", "false", "0", 0])
def test_no_in_any_channels_words_is_false(given):
    assert normalise(given) is False


@pytest.mark.parametrize("given", ["", None, "  "])
def test_nothing_chosen_is_no_answer(given):
    assert normalise(given) is None


@pytest.mark.parametrize("given", ["たぶん", 2, {"a": 1}, ["yes"]])
def test_anything_else_is_refused_in_japanese(given):
    with pytest.raises(FieldInputError, match="「はい」か「いいえ」を選んでください"):
        normalise(given)


def schema():
    return build_schema(FIELDS)


def test_no_is_an_answer_to_a_required_question():
    cleaned, errors = validate_application_data(
        FIELDS, schema(), {"applicant": "三重 太郎", "married": "no"}
    )
    assert errors == {} and cleaned["married"] is False


def test_a_required_question_left_unanswered_says_what_to_choose():
    _cleaned, errors = validate_application_data(FIELDS, schema(), {"applicant": "三重 太郎"})
    assert errors == {"married": ["「婚姻していますか」で「はい」か「いいえ」を選んでください。"]}


def test_the_stored_schema_is_a_boolean():
    assert schema()["properties"]["married"]["type"] == "boolean"


def test_it_is_two_radio_buttons_in_a_fieldset_and_a_stored_answer_is_checked_again():
    (question,) = widgets([MARRIED], raw_from_data([MARRIED], {"married": False}), {})
    assert question["uses_fieldset"] and question["value"] == "no"


@pytest.mark.django_db
def test_the_resident_answers_with_radio_buttons_and_the_answer_is_kept(tsu):
    procedure = published_procedure(tsu, fields=FIELDS)
    page = Client().get(f"/o/{tsu.code}/procedures/{procedure.pk}/").content.decode()
    assert 'type="radio" id="field-married-yes" name="married" value="yes"' in page
    assert 'type="radio" id="field-married-no" name="married" value="no"' in page
    assert "<legend" in page and "同意する" not in page
    application = services.submit_application(
        procedure=procedure, data={"applicant": "三重 太郎", "married": "いいえ"}
    ).application
    assert Application.objects.get(pk=application.pk).data["married"] is False


@pytest.mark.django_db
def test_the_api_takes_json_booleans(tsu):
    procedure = published_procedure(tsu, fields=FIELDS)
    application = services.submit_application(
        procedure=procedure, data={"applicant": "三重 太郎", "married": True}
    ).application
    assert application.data["married"] is True
    assert field_types.get("yes_no").display(False, MARRIED) == "いいえ"


def test_the_builder_offers_it_with_a_japanese_name():
    assert ("yes_no", "はい・いいえ") in FIELD_TYPE_CHOICES


def test_an_exported_form_reads_back_with_the_same_type():
    fields = read_xlsform(io.BytesIO(write_xlsform(FIELDS))).fields
    assert [spec["type"] for spec in fields] == ["text", "yes_no"]


def test_the_paper_demo_asks_about_marriage_as_a_yes_no_question():
    from jichitai.ocr.demo import FIELDS as PAPER_FIELDS

    married = next(spec for spec in PAPER_FIELDS if spec["name"] == "married")
    assert married["type"] == "yes_no"
