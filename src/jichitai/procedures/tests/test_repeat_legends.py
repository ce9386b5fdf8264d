"""A repeating group's rows are named with their number in the resident's language:
「子ども 2 人目」 in Japanese, "Filhos n.º 2" in Portuguese; the row's messages use the same name,
and staff keep the Japanese."""

import pytest
from django.test import Client

from jichitai.procedures import repeats
from jichitai.procedures.tests.factories import published_procedure
from jichitai.procedures.translations import LANGUAGES, ROW_LEGENDS, translate

CHILDREN = {
    "name": "children",
    "type": "repeat",
    "label": "子ども",
    "row_unit": "人",
    "min_repeat": 1,
    "max_repeat": 3,
    "translations": {"pt": {"label": "Filhos"}},
    "children": [
        {
            "name": "child_name",
            "type": "text",
            "label": "氏名",
            "required": True,
            "translations": {"pt": {"label": "Nome"}},
        }
    ],
}


def test_a_row_is_named_in_each_language_with_its_number():
    assert repeats.row_label(CHILDREN, 1) == "子ども 2 人目"
    assert repeats.row_label(translate([CHILDREN], "ja-easy")[0], 1) == "子ども 2 人目"
    assert repeats.row_label(translate([CHILDREN], "pt")[0], 1) == "Filhos n.º 2"
    assert repeats.row_label(translate([CHILDREN], "zh")[0], 1) == "第2个子ども"
    assert set(ROW_LEGENDS) == set(LANGUAGES) - {"ja", "ja-easy"}
    assert "row_legend" not in CHILDREN  # the stored form is unchanged


@pytest.mark.django_db
def test_the_residents_page_and_messages_name_rows_in_portuguese(tsu):
    procedure = published_procedure(tsu, fields=[CHILDREN])
    client = Client()
    url = f"/o/{tsu.code}/procedures/{procedure.pk}/"
    japanese = client.get(url).content.decode()
    assert "子ども <span data-row-number>1</span> 人目</legend>" in japanese
    page = client.get(url + "?lang=pt").content.decode()
    assert "Filhos n.º <span data-row-number>1</span></legend>" in page
    assert "Remover Filhos n.º <span data-row-number>1</span></button>" in page
    # The row the script copies is named the same way.
    assert "Filhos n.º <span data-row-number></span></legend>" in page
    response = client.post(
        url,
        {
            "children.row": ["0", "1"],
            "children.0.child_name": "Hanako",
            "children.1.child_name": "",
            "_action": "confirm",
        },
    )
    assert response.status_code == 422
    assert "Filhos n.º 2: Preencha “Nome”." in response.content.decode()
