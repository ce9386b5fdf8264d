"""The shared form fields for Japanese input: what a clerk types is read, what is stored is shown
back in 和暦, and what cannot be read is refused with a message next to the field."""

from django import forms
from django.utils import translation

from jichitai.core.forms import FiscalYearField


class LedgerLine(forms.Form):
    fiscal_year = FiscalYearField(label="年度")


def test_a_fiscal_year_is_typed_in_wareki_or_western_years():
    for typed in ("令和8年度", "R8", "ｒ８年度", "2026", "2026年度"):
        form = LedgerLine({"fiscal_year": typed})
        assert form.is_valid(), typed
        assert form.cleaned_data["fiscal_year"] == 2026


def test_a_stored_year_is_shown_as_its_wareki_label():
    assert 'value="令和8年度"' in str(LedgerLine(initial={"fiscal_year": 2026})["fiscal_year"])
    with translation.override("en"):
        assert 'value="FY2026"' in str(LedgerLine(initial={"fiscal_year": 2026})["fiscal_year"])


def test_an_unreadable_or_implausible_year_is_refused_and_kept_as_typed():
    form = LedgerLine({"fiscal_year": "来年度"})
    assert not form.is_valid()
    assert "年度として読み取れません" in form.errors["fiscal_year"][0]
    assert 'value="来年度"' in str(form["fiscal_year"])
    assert not LedgerLine({"fiscal_year": "1999"}).is_valid()
