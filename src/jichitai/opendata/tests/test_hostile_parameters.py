"""Out-of-bounds parameters on the CKAN API and the public catalog are the sender's mistake: CKAN's
400 error on the API, a 400 page in Japanese on the catalog, never a server error."""

import pytest
from django.test import Client

from jichitai.opendata.tests.factories import published

pytestmark = pytest.mark.django_db

HUGE = "1" + "0" * 30


@pytest.fixture(autouse=True)
def catalog(tsu):
    published(tsu, "tsu-aed", title="AED設置箇所一覧(津市)", tags=["AED"])


def assert_ckan_refused(response, parameter: str) -> None:
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["success"] is False
    assert body["error"]["__type"] == "Validation Error"
    assert parameter in body["error"]


@pytest.mark.parametrize(
    ("action", "parameter", "value"),
    [
        ("package_search", "start", HUGE),
        ("package_search", "start", "-1"),
        ("package_search", "rows", "inf"),
        ("package_search", "facet.limit", HUGE),
        ("package_search", "facet.limit", "-2"),
        ("package_list", "offset", HUGE),
        ("package_list", "limit", HUGE),
        ("organization_list", "offset", HUGE),
        ("package_search", "q", " ".join(f"w{n}" for n in range(100))),
        ("package_search", "fq", " ".join(f"tags:t{n}" for n in range(1000))),
        ("package_search", "fq", "metadata_modified:[0001-01-01T00:00:00+09:00 TO *]"),
        ("package_search", "sort", "name asc," * 1000),
        ("package_search", "q", "AED\x00"),
    ],
)
def test_out_of_bounds_query_parameters_are_ckan_400s(action, parameter, value):
    response = Client().get(f"/api/3/action/{action}", {parameter: value})

    assert_ckan_refused(response, parameter)


@pytest.mark.parametrize(
    "body",
    [
        '{"rows": Infinity}',
        '{"start": NaN}',
        '{"rows": 1e400}',
        '{"q": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"q": ' + "[" * 50 + "]" * 50 + "}",
        '{"facet.field": ' + '["tags"' * 20 + "]" * 20 + "}",
    ],
)
def test_json_bodies_with_non_numbers_or_deep_nesting_are_400s(body):
    response = Client().post("/api/3/action/package_search", body, content_type="application/json")

    assert response.status_code == 400, response.content[:300]
    assert response.json()["success"] is False


def test_a_search_with_bounded_parameters_still_answers():
    response = Client().get(
        "/api/3/action/package_search", {"q": "AED", "rows": "1000", "start": "1000000"}
    )

    assert response.status_code == 200
    assert response.json()["result"]["count"] == 1


@pytest.mark.parametrize(
    "query",
    [
        {"page": HUGE},
        {"page": "-5"},
        {"q": " ".join(f"w{n}" for n in range(100))},
        {"q": "a" * 100_000},
        {"tags": [f"t{n}" for n in range(100)]},
        {"organization": "x" * 10_000},
        {"sort": "name asc," * 1000},
    ],
)
def test_the_catalog_page_answers_out_of_bounds_parameters_with_a_japanese_400(query):
    response = Client().get("/opendata/", query)

    assert response.status_code == 400
    page = response.content.decode()
    assert "指定された条件を使えません" in page
    assert any(label in page for label in ("ページ番号", "検索語", "タグ", "団体", "並び順"))


def test_the_catalog_page_keeps_working_within_bounds():
    response = Client().get("/opendata/", {"q": "AED", "page": "1", "tags": ["AED"]})

    assert response.status_code == 200
    assert "AED設置箇所一覧(津市)" in response.content.decode()
