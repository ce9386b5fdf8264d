"""Staff who read the pages in English build forms in English too: what makes a form unusable —
a choice question without choices, a bad step, a repeat's rows, an expression that cannot be
read — is told in English, as the rest of the builder is; in Japanese for everyone else."""

import pytest
from django.utils import translation

from jichitai.procedures.definitions import check_definition
from jichitai.procedures.tests.factories import published_procedure
from jichitai.tenancy.models import Role

pytestmark = pytest.mark.django_db

UNUSABLE = [
    {"name": "kind", "type": "single_choice", "label": "区分", "choices": []},
    {"name": "count", "type": "number", "label": "人数", "step": 0},
    {"name": "when", "type": "text", "label": "日", "relevant": "${kind} = "},
    {"name": "members", "type": "repeat", "label": "世帯員", "children": [], "max_repeat": 0},
]


def test_what_makes_a_form_unusable_is_told_in_japanese():
    with translation.override("ja"):
        problems = check_definition(UNUSABLE)

    assert problems == [
        "1番目の項目「区分」: 選択肢を1つ以上入力してください。",
        "2番目の項目「人数」: きざみは 0 より大きい数にしてください。",
        "3番目の項目「日」: 式「${kind} = 」は読めません(式が途中で終わっています)。",
        "4番目の項目「世帯員」: 最大の件数は 1〜50 にしてください。",
        "4番目の項目「世帯員」: 繰り返す項目を1つ以上入れてください。",
    ]


def test_what_makes_a_form_unusable_is_told_in_english_to_staff_reading_in_english():
    with translation.override("en"):
        problems = check_definition(UNUSABLE)

    assert problems == [
        "Item 1 “区分”: Enter at least one choice.",
        "Item 2 “人数”: The step must be a number greater than 0.",
        "Item 3 “日”: The expression “${kind} = ” cannot be read (the expression ends too early).",
        "Item 4 “世帯員”: The most rows must be between 1 and 50.",
        "Item 4 “世帯員”: Put at least one question in the repeat.",
    ]


def test_the_builder_page_tells_it_in_english(tsu, make_member, login):
    procedure = published_procedure(tsu)
    client = login(make_member(tsu, Role.MANAGER))
    client.cookies["django_language"] = "en"

    response = client.post(
        f"/s/{tsu.code}/procedures/{procedure.pk}/form/",
        {"action": "add", "label": "区分", "type": "single_choice"},
    )

    assert response.status_code == 422
    assert "Enter at least one choice." in response.content.decode()
