"""The shared form fields for Japanese input: what a clerk types is read, what is stored is shown
back in 和暦, and what cannot be read is refused with a message next to the field."""

from django import forms
from django.utils import translation

from jichitai.core.forms import AmountField, FiscalYearField


class LedgerLine(forms.Form):
    fiscal_year = FiscalYearField(label="年度")


class Fee(forms.Form):
    amount = AmountField(label="手数料", unit="円", min_value=1, max_value=10_000_000)


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


def test_an_amount_is_read_as_people_write_it_and_shown_back_with_its_commas():
    for typed in ("3,200", "３，２００", "3200円", " 3200 "):
        form = Fee({"amount": typed})
        assert form.is_valid(), typed
        assert form.cleaned_data["amount"] == 3200
    box = str(Fee(initial={"amount": 3200})["amount"])
    # A text box: a number box would refuse the comma, and its min/max would come with it.
    assert 'value="3,200"' in box and 'type="text"' in box and "min=" not in box


def test_an_amount_over_the_limit_is_refused_with_the_limit_as_people_write_it():
    form = Fee({"amount": "20,000,000"})
    assert form.errors["amount"] == ["金額が大きすぎます。10,000,000 以下で入力してください。"]
    assert 'value="20,000,000"' in str(form["amount"])
    with translation.override("en"):
        assert "10,000,000" in Fee({"amount": "20,000,000"}).errors["amount"][0]


def test_a_single_boxs_hint_comes_under_its_words_not_above_the_box():
    """Above the box, 「窓口・郵送のみの手続も登録しておくと…」 read as the end of the field before."""

    class Settings(forms.Form):
        online = forms.BooleanField(
            label="オンライン受付", required=False, help_text="オンライン化率を計算できます。"
        )

    html = Settings().as_div()
    assert html.index('type="checkbox"') < html.index("オンライン受付") < html.index("計算できます")
    assert 'aria-describedby="id_online_helptext"' in html
