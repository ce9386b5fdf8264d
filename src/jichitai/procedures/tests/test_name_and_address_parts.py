"""The parts of a name and of an address on the resident's page: the browser may fill each from
what it remembers (autocomplete tokens of the HTML standard), and when the address is refused only
the parts a resident must fill are marked invalid — 建物名・部屋番号 stays optional to the eye and
to a screen reader."""

import re

import pytest
from django.test import Client

from jichitai.procedures.tests.factories import published_procedure

FIELDS = [
    {"name": "applicant", "type": "name", "label": "氏名", "required": True},
    {"name": "home", "type": "address", "label": "住所", "required": True},
]


def _input(page: str, name: str) -> str:
    return re.search(rf'<input [^>]*name="{name}"[^>]*>', page).group(0)


@pytest.mark.django_db
def test_each_part_says_what_the_browser_may_fill_it_with(tsu):
    procedure = published_procedure(tsu, fields=FIELDS)
    page = Client().get(f"/o/{tsu.code}/procedures/{procedure.pk}/").content.decode()
    for name, token in (
        ("applicant__family", "family-name"),
        ("applicant__given", "given-name"),
        ("home__postal_code", "postal-code"),
        ("home__address", "address-line1"),
        ("home__building", "address-line2"),
    ):
        assert f'autocomplete="{token}"' in _input(page, name), name
    assert 'inputmode="numeric"' in _input(page, "home__postal_code")


@pytest.mark.django_db
def test_a_refused_address_marks_the_parts_to_fill_not_the_optional_one(tsu):
    procedure = published_procedure(tsu, fields=FIELDS)
    page = (
        Client()
        .post(
            f"/o/{tsu.code}/procedures/{procedure.pk}/",
            {
                "home__postal_code": "514-0004",
                "home__address": "三重県津市栄町",
                "_action": "confirm",
            },
        )
        .content.decode()
    )
    assert 'aria-invalid="true"' in _input(page, "home__postal_code")
    assert 'aria-invalid="true"' in _input(page, "home__address")
    assert "aria-invalid" not in _input(page, "home__building")
