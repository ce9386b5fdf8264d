"""Validation messages are written in Japanese and given in the applicant's language: each one is
looked up in the translation catalogue when it is made, so English mode shows the English the
catalogue holds (here a catalogue entry added for the test)."""

import pytest
from django.utils import translation
from django.utils.translation import trans_real

from jichitai.audit.labels import action_label
from jichitai.procedures.definitions import build_schema
from jichitai.procedures.validation import validate_application_data

FIELDS = [
    {"name": "applicant", "type": "text", "label": "氏名", "required": True},
    {"name": "birth", "type": "date", "label": "生年月日", "required": False},
    {"name": "married", "type": "yes_no", "label": "婚姻", "required": False},
]


@pytest.fixture
def english_catalogue():
    """Adds entries to the English catalogue for one test, restoring it afterwards."""
    catalogue = trans_real.translation("en")._catalog._catalogs[0]
    before = dict(catalogue)

    yield catalogue.update
    catalogue.clear()
    catalogue.update(before)


def validate(raw):
    return validate_application_data(FIELDS, build_schema(FIELDS), raw)[1]


def test_in_japanese_the_messages_are_the_source_text():
    with translation.override("ja"):
        errors = validate({"birth": "そのうち", "married": "たぶん"})
    assert errors["applicant"] == ["「氏名」を入力してください。"]
    assert errors["birth"][0].startswith("「そのうち」を日付として読み取れません。")
    assert errors["married"] == ["「はい」か「いいえ」を選んでください。"]


def test_in_english_mode_the_catalogues_english_is_given(english_catalogue):
    english_catalogue(
        {
            "「%(label)s」を入力してください。": "Please enter “%(label)s”.",
            "「%(text)s」を日付として読み取れません。例: 令和8年4月1日、R8.4.1、2026-04-01": (
                "“%(text)s” is not a date. Example: 2024-04-01"
            ),
            "「はい」か「いいえ」を選んでください。": "Please choose yes or no.",
        }
    )
    with translation.override("en"):
        errors = validate({"birth": "someday", "married": "maybe"})
    assert errors == {
        "applicant": ["Please enter “氏名”."],
        "birth": ["“someday” is not a date. Example: 2024-04-01"],
        "married": ["Please choose yes or no."],
    }


def test_audit_names_follow_the_language_too(english_catalogue):
    # The audit log's names carry the context "audit log" (gettext keys them "context\x04text"),
    # so that 「作成」 as a log entry and 「作成」 on a button may be translated apart.
    english_catalogue(
        {
            "audit log\x04所属": "division",
            "audit log\x04作成": "created",
            "%(subject)sの%(verb)s": "%(subject)s %(verb)s",
        }
    )
    with translation.override("en"):
        assert action_label("tenancy.division.created") == "division created"
    with translation.override("ja"):
        assert action_label("tenancy.division.created") == "所属の作成"
