"""Bounded parameters: what each reader accepts, and that what it refuses is an InvalidParameter
naming the parameter with a message in the language of the page (Japanese unless chosen)."""

import math
from datetime import UTC, datetime

import pytest

from jichitai.core import params


@pytest.mark.parametrize(
    ("value", "expected"), [("3", 3), (" 42 ", 42), ("7.0", 7), (12, 12), (5.0, 5), (None, 1)]
)
def test_integers_within_bounds(value, expected):
    assert params.integer(value, name="page", default=1, minimum=1, maximum=100) == expected


@pytest.mark.parametrize(
    "value",
    [
        "abc",
        "1e3",
        "inf",
        "NaN",
        "１２",
        "1_000",
        "0x10",
        "9" * 40,
        "101",
        "0",
        math.inf,
        math.nan,
        2.5,
        True,
        [],
        {},
    ],
)
def test_integers_out_of_bounds_or_not_whole_are_refused(value):
    with pytest.raises(params.InvalidParameter) as refused:
        params.integer(value, name="page", default=1, minimum=1, maximum=100)

    assert refused.value.name == "page"
    assert "整数" in refused.value.message


def test_a_clamped_integer_takes_the_maximum_but_still_refuses_nonsense():
    assert params.integer("5000", name="rows", maximum=1000, clamp=True) == 1000
    with pytest.raises(params.InvalidParameter):
        params.integer("9" * 40, name="rows", maximum=1000, clamp=True)


def test_a_missing_integer_without_a_default_is_refused():
    with pytest.raises(params.InvalidParameter, match="指定してください"):
        params.integer(None, name="id", maximum=10)


def test_fiscal_years():
    assert params.fiscal_year(None, default=2024) == 2024
    assert params.fiscal_year("2021", default=2024) == 2021
    # As pages show it and people type it: 和暦, its letter, with or without 年度.
    for value in ("令和3年度", "R3", "令和3", "2021年度", "Ｒ３年度"):
        assert params.fiscal_year(value, default=2024) == 2021, value
    assert params.fiscal_year("令和元年度", default=2024) == 2019
    for value in ("99999", "-1", "1899", "来年度", "R3" * 40):
        with pytest.raises(params.InvalidParameter, match="年度は"):
            params.fiscal_year(value, default=2024)


def test_texts_are_bounded_and_refuse_nul():
    assert params.text(None, name="q", max_length=5) == ""
    assert params.text("防災", name="q", max_length=5) == "防災"
    for value in ("a" * 6, "a\x00", ["a"]):
        with pytest.raises(params.InvalidParameter):
            params.text(value, name="q", max_length=5)


def test_search_words_are_bounded_in_number():
    assert params.words("a b c", name="q", max_length=100, max_words=3) == "a b c"
    with pytest.raises(params.InvalidParameter, match="3 語まで"):
        params.words("a b c d", name="q", max_length=100, max_words=3)


def test_repeated_parameters_are_bounded_in_number():
    assert params.integers(["1", "2"], name="selected", max_items=2) == [1, 2]
    with pytest.raises(params.InvalidParameter):
        params.integers(["1", "2", "3"], name="selected", max_items=2)
    with pytest.raises(params.InvalidParameter):
        params.integers(["1", "abc"], name="selected", max_items=2)
    with pytest.raises(params.InvalidParameter):
        params.texts(["a"] * 3, name="tags", max_items=2, max_length=10)


def test_moments():
    assert params.moment("2024-04-01T00:00:00Z", name="fq") == datetime(2024, 4, 1, tzinfo=UTC)
    assert params.moment("2024-04-01T09:00:00+09:00", name="fq") == datetime(2024, 4, 1, tzinfo=UTC)
    assert params.moment("2024-04-01", name="fq") == datetime(2024, 4, 1, tzinfo=UTC)
    for value in (
        "9999-12-31T23:59:59-14:00",
        "0001-01-01T00:00:00+09:00",
        "99999-01-01",
        "yesterday",
        "2024-01-01" * 10,
        None,
    ):
        with pytest.raises(params.InvalidParameter):
            params.moment(value, name="fq")


@pytest.mark.parametrize(
    "body",
    [
        b'{"rows": Infinity}',
        b'{"rows": NaN}',
        b'{"rows": -Infinity}',
        b"[1]",
        b"\xff",
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a": ' + b"[" * 40 + b"]" * 40 + b"}",
    ],
)
def test_json_bodies_that_are_not_strict_shallow_objects_are_refused(body):
    with pytest.raises(params.InvalidParameter):
        params.json_object(body, max_depth=32)


def test_a_json_body_within_bounds():
    assert params.json_object(b'{"q": "AED", "rows": 10, "x": [[1]]}') == {
        "q": "AED",
        "rows": 10,
        "x": [[1]],
    }
    assert params.json_value("5", name="facet.field", max_depth=2) == 5


def test_a_refusal_is_told_in_the_language_of_the_page():
    from django.utils import translation

    with translation.override("en"), pytest.raises(params.InvalidParameter) as year:
        params.fiscal_year("next year", default=2026)
    assert year.value.message == (
        "Give the fiscal year as FY2024, 令和6年度, R6 or 2024, between FY1900 and FY2200."
    )
    with translation.override("en"), pytest.raises(params.InvalidParameter) as page:
        params.integer("x", name="page", minimum=1, maximum=100)
    assert page.value.message == "page must be a whole number from 1 to 100."
    with translation.override("ja"), pytest.raises(params.InvalidParameter) as japanese:
        params.integer("x", name="page", label="ページ", minimum=1, maximum=100)
    assert japanese.value.message == "ページは 1 から 100 までの整数で指定してください。"
