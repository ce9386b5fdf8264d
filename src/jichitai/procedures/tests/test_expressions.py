"""The XLSForm expression language as XPath and ODK read it: spacing around a function's
parenthesis does not change what an expression means, and the numeric functions ODK offers are
evaluated, so a form written for ODK is not refused for either."""

import math

import pytest
from freezegun import freeze_time

from jichitai.procedures.expressions import FUNCTIONS, ExpressionError, holds, parse, value


def test_a_space_between_a_function_name_and_its_parenthesis_is_allowed():
    assert holds("selected (${x}, 'a')", {"x": ["a", "b"]})
    assert not holds("selected (${x}, 'c')", {"x": ["a", "b"]})
    assert holds("not(selected(., 'yes') and selected (., 'no'))", {}, current="yes")
    assert not holds("not(selected(., 'yes') and selected (., 'no'))", {}, current="yes no")
    assert holds("count-selected  (${x}) = 2", {"x": ["a", "b"]})
    assert value("concat ('a', ${y})", {"y": "b"}) == "ab"


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_function_may_be_written_with_a_space_before_its_parenthesis(name):
    # Whether a call parses does not depend on the function; only the spacing is under test.
    assert parse(f"{name} (1, 2)").references == frozenset()
    assert parse(f"{name}\t(${{x}})").references == frozenset({"x"})


def test_an_operator_written_against_a_parenthesis_is_still_an_operator():
    assert holds("${a} = 1 and(${b} = 2)", {"a": 1, "b": 2})
    assert not holds("${a} = 1 and(${b} = 2)", {"a": 1, "b": 3})
    assert holds("${a} = 9 or(${b} = 2)", {"a": 1, "b": 2})
    assert value("${a} div(2) + ${a} mod(4)", {"a": 6}) == 5
    # At the start of an expression the same word is a name, so ``and(`` is a call there.
    with pytest.raises(ExpressionError, match=r"関数 and\(\) には対応していません"):
        parse("and(1, 2)")


def test_a_name_before_a_parenthesis_is_a_call_of_a_function_the_platform_names():
    with pytest.raises(ExpressionError, match=r"関数 pulldata\(\) には対応していません"):
        parse("pulldata ('fruits', 'name', 'name', 'mango')")


def test_odk_numeric_functions_are_evaluated():
    # A forestry form's plot radius on a slope (pyxform's UCL biomass fixture).
    radius = "round(15 div (sqrt(cos(atan(${slope} div 100)))),2)"
    assert value(radius, {"slope": 0}) == 15
    assert value(radius, {"slope": 30}) == round(15 / math.sqrt(math.cos(math.atan(0.3))), 2)
    assert value("pow(2, 10) + abs(-3) + floor(2.7) + ceiling(2.1)", {}) == 1032
    assert value("round(exp(1), 4) + log10(1000) + round(log(exp(2)), 6)", {}) == 7.7183
    assert value("round(sin(pi() div 2) + tan(0) + acos(1) + asin(0), 6)", {}) == 1
    assert value("round(atan2(1, 1) * 4, 6)", {}) == round(math.pi, 6)
    assert value("exp10(2)", {}) == 100


def test_a_numeric_function_outside_its_domain_gives_no_value_rather_than_an_error():
    assert value("sqrt(-1)", {}) is None
    assert value("log(0)", {}) is None
    assert value("sqrt(${n})", {"n": ""}) is None


@freeze_time("2026-12-06 10:00:00")
def test_dates_take_part_in_arithmetic_as_days_since_1970_as_odk_reads_them():
    """ODK converts a date to the number of days since 1970-01-01 and ``date()`` turns such a
    number back into a date, so the age and date-window rules real forms carry evaluate."""
    age = "int((today() - ${born}) div 365.25)"
    assert value(age, {"born": "1990-04-01"}) == 36
    assert value(age, {"born": ""}) is None
    window = ". >= today() and . <= date(today() + 92)"
    assert holds(window, {}, current="2027-01-20")
    assert not holds(window, {}, current="2027-06-10")
    assert not holds(window, {}, current="2026-12-01")
    assert value("decimal-date-time('1970-01-02T12:00')", {}) == 1.5
    assert value("date(today() - 1)", {}) == "2026-12-05"
    assert holds("${end} > ${start}", {"start": "2026-12-31", "end": "2027-01-01"})
    assert holds("${start} > today() - 30", {"start": "2026-11-20"})


@freeze_time("2026-12-06 10:00:00")
def test_format_date_writes_a_date_with_odks_codes():
    assert value("format-date(${d}, '%Y年%n月%e日')", {"d": "2024-04-01"}) == "2024年4月1日"
    assert value("format-date(${d}, '%d/%m/%y %a %b')", {"d": "2024-04-01"}) == "01/04/24 Mon Apr"
    assert value("format-date-time(${t}, '%H:%M')", {"t": "2024-04-01T09:05"}) == "09:05"
    assert value("format-date(today(), '%Y')", {}) == "2026"
    assert value("format-date(${d}, '%Y')", {"d": ""}) == ""


def test_text_shaped_like_a_date_that_is_none_compares_as_text_and_never_fails():
    assert not holds("${t} > 5", {"t": "2024-13-45"})
    assert value("date(${t})", {"t": "2024-02-30"}) is None
    assert value("format-date(${t}, '%Y')", {"t": "2024-02-30"}) == ""
