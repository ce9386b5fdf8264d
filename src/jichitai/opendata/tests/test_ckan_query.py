"""CKAN's ``q`` and ``fq`` read by a Lucene query parser: what is understood, what is refused with
CKAN's 400 validation error, and that a query's length is bounded before anything parses it."""

import json

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from jichitai.core import params
from jichitai.opendata import ckan, ckan_query, selectors, services
from jichitai.opendata.models import Dataset
from jichitai.opendata.tests.factories import published

pytestmark = pytest.mark.django_db


def search(method="get", **data):
    client = Client()
    if method == "get":
        response = client.get("/api/3/action/package_search", data)
    else:
        response = client.post(
            "/api/3/action/package_search", json.dumps(data), content_type="application/json"
        )
    return response.status_code, response.json()


def names(**data) -> list[str]:
    status, body = search(**data)
    assert status == 200, body
    return sorted(d["name"] for d in body["result"]["results"])


@pytest.fixture
def catalog(tsu, ise):
    published(tsu, "tsu-aed", title="AED設置箇所一覧(津市)", tags=["AED", "防災"])
    published(tsu, "tsu-toilet", title="公衆トイレ一覧(津市)", tags=["トイレ"])
    published(ise, "ise-aed", title="AED設置箇所一覧(伊勢市)", tags=["AED"])
    Dataset.objects.filter(name="tsu-toilet").update(modified_at="2019-07-01T00:00:00+00:00")


def assert_refused(status: int, body: dict, parameter: str) -> None:
    assert status == 400, body
    assert body["success"] is False
    assert body["error"]["__type"] == "Validation Error"
    assert parameter in body["error"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_megabyte_query_is_refused_by_its_length_before_it_is_parsed(method):
    status, body = search(method, q="a" * 1_000_000)

    assert_refused(status, body, "q")
    assert str(ckan.MAX_QUERY_LENGTH) in body["error"]["q"][0]


def test_a_filter_longer_than_the_bound_is_refused():
    status, body = search(fq="tags:" + "x" * ckan.MAX_QUERY_LENGTH)

    assert_refused(status, body, "fq")


def test_the_longest_query_allowed_of_the_shapes_that_stalled_the_old_pattern_is_answered(catalog):
    for shape in ("a", "a:", "tags:a ", '"', "["):
        text = (shape * ckan.MAX_QUERY_LENGTH)[: ckan.MAX_QUERY_LENGTH]
        status, _body = search(q=text)
        assert status in (200, 400), shape


def test_understood_syntax(catalog):
    assert names(q="*:*") == ["ise-aed", "tsu-aed", "tsu-toilet"]
    assert names(q="AED", fq="+organization:242012") == ["tsu-aed"]
    assert names(q='tags:"AED" 津市') == ["tsu-aed"]
    assert names(fq="organization:242012 OR organization:242039", q="AED") == [
        "ise-aed",
        "tsu-aed",
    ]
    assert names(fq="tags:AED AND tags:防災") == ["tsu-aed"]
    assert names(fq="(tags:AED) +owner_org:242039") == ["ise-aed"]
    assert names(q="title:トイレ") == ["tsu-toilet"]
    assert names(fq="dataset_type:dataset", q="トイレ") == ["tsu-toilet"]
    assert names(fq="metadata_modified:[2024-01-01T00:00:00Z TO *]") == ["ise-aed", "tsu-aed"]
    assert names(fq="metadata_modified:[* TO NOW]") == ["ise-aed", "tsu-aed", "tsu-toilet"]


def test_exclude_filters_of_ckanext_harvest_leave_out_the_organizations_named(catalog):
    # ckanext-harvest's organizations_filter_exclude sends one "-organization:X" per organization.
    assert names(fq="-organization:242012") == ["ise-aed"]
    assert names(fq="-organization:242012 -organization:242039") == []
    assert names(fq="NOT organization:242039", q="AED") == ["tsu-aed"]
    assert names(fq="-tags:AED") == ["tsu-toilet"]


def test_include_filters_of_ckanext_harvest_take_any_of_the_values(tsu, ise, catalog):
    disaster = services.create_group(actor=None, name="bousai", title="防災")
    health = services.create_group(actor=None, name="kenkou", title="健康")
    services.update_dataset(
        actor=None, dataset=Dataset.objects.get(name="tsu-aed"), groups=[disaster]
    )
    services.update_dataset(
        actor=None, dataset=Dataset.objects.get(name="ise-aed"), groups=[health]
    )

    assert names(fq="groups:bousai OR groups:kenkou") == ["ise-aed", "tsu-aed"]
    assert names(fq="tags:トイレ OR tags:防災") == ["tsu-aed", "tsu-toilet"]
    assert names(fq="tags:トイレ OR organization:242039") == ["ise-aed", "tsu-toilet"]
    # The harvester joins its include filter and its "modified since" range with a space.
    assert names(
        fq="organization:242012 OR organization:242039 "
        "metadata_modified:[2024-01-01T00:00:00Z TO *]"
    ) == ["ise-aed", "tsu-aed"]
    assert names(fq="-groups:bousai -groups:kenkou") == ["tsu-toilet"]


def test_a_field_query_in_q_searches_that_field_only(tsu, catalog):
    published(tsu, "tsu-aed-notes", title="救命講習の会場一覧", notes="会場にはAEDがあります")

    assert names(q="AED") == ["ise-aed", "tsu-aed", "tsu-aed-notes"]
    assert names(q="title:AED") == ["ise-aed", "tsu-aed"]
    assert names(q="title:(救命 OR トイレ)") == ["tsu-aed-notes", "tsu-toilet"]
    assert names(q='title:"設置箇所一覧(伊勢市)"') == ["ise-aed"]


def test_boolean_queries_nest_as_in_lucene(catalog):
    assert names(q="(AED OR トイレ) AND -伊勢市") == ["tsu-aed", "tsu-toilet"]
    assert names(q="*:* -tags:AED") == ["tsu-toilet"]
    assert names(fq="metadata_modified:{* TO 2019-07-01T00:00:00Z}") == []
    assert names(fq="metadata_modified:[* TO 2019-07-01T00:00:00Z]") == ["tsu-toilet"]
    assert names(fq="metadata_created:[2000-01-01T00:00:00Z TO *]") == [
        "ise-aed",
        "tsu-aed",
        "tsu-toilet",
    ]


@pytest.mark.parametrize(
    ("parameter", "text"),
    [
        ("q", "(AED"),
        ("q", 'tags:"AED'),
        ("q", "AED~2"),
        ("q", "title:/A.*/"),
        ("q", "AED^3"),
        ("fq", "secret_field:x"),
        ("fq", "tags:[a TO b]"),
        ("fq", "metadata_modified:[yesterday TO *]"),
        ("fq", "metadata_modified:[99999-01-01T00:00:00Z TO *]"),
        ("fq", "metadata_modified:[9999-12-31T23:59:59-14:00 TO *]"),
        ("fq", "metadata_modified:AED"),
        ("fq", "dataset_type:harvest"),
    ],
)
def test_unsupported_syntax_is_a_validation_error(parameter, text):
    status, body = search(**{parameter: text})

    assert_refused(status, body, parameter)


def test_too_many_words_or_filter_terms_are_refused():
    words = " ".join(f"w{n}" for n in range(ckan.MAX_QUERY_TERMS + 1))
    filters = " ".join(f"tags:t{n}" for n in range(ckan.MAX_QUERY_TERMS + 1))

    assert_refused(*search(q=words), "q")
    assert_refused(*search(fq=filters), "fq")


LUCENE_PIECES = st.sampled_from(
    [
        " ",
        "a",
        "防災",
        ":",
        "tags",
        "organization",
        "metadata_modified",
        "*",
        "?",
        '"',
        "\\",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "TO",
        "AND",
        "OR",
        "NOT",
        "+",
        "-",
        "~",
        "^",
        "/",
        "<",
        ">=",
        "2024-01-01T00:00:00Z",
        "NOW",
        "\u3000",
    ]
)


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(LUCENE_PIECES, max_size=60))
def test_any_text_within_the_bound_is_understood_or_refused_as_a_parameter_error(pieces):
    text = "".join(pieces)
    try:
        ckan_query.read_query(text, parameter="q", query=selectors.SearchQuery())
    except params.InvalidParameter as refused:
        assert refused.name == "q"
