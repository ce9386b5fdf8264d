from datetime import date

import jaconv
import pytest

from jichitai.core import japanese


class TestFiscalYear:
    @pytest.mark.parametrize(
        ("day", "year"),
        [
            (date(2021, 4, 1), 2021),
            (date(2022, 3, 31), 2021),
            (date(2021, 3, 31), 2020),
            (date(2021, 12, 31), 2021),
            (date(2022, 1, 1), 2021),
        ],
    )
    def test_april_starts_the_fiscal_year(self, day, year):
        assert japanese.fiscal_year(day) == year

    def test_bounds_run_april_to_march(self):
        assert japanese.fiscal_year_bounds(2021) == (date(2021, 4, 1), date(2022, 3, 31))

    @pytest.mark.parametrize(
        ("year", "label", "short"),
        [
            (2021, "令和3年度", "R3年度"),
            (2019, "令和元年度", "R1年度"),  # as the seeds' 令和元年度 現状値
            (2018, "平成30年度", "H30年度"),
            (1988, "昭和63年度", "S63年度"),
        ],
    )
    def test_labels_follow_government_usage(self, year, label, short):
        assert japanese.fiscal_year_label(year) == label
        assert japanese.fiscal_year_label(year, style="short") == short

    @pytest.mark.parametrize(
        "text", ["令和3年度", "R3年度", "r3", "２０２１年度", "2021", "令和３年度", "FY2021"]
    )
    def test_parsing_labels(self, text):
        assert japanese.parse_fiscal_year(text) == 2021

    def test_parsing_gannen(self):
        assert japanese.parse_fiscal_year("令和元年度") == 2019
        assert japanese.parse_fiscal_year("平成30年度") == 2018

    def test_unreadable_label_says_what_is_expected(self):
        with pytest.raises(ValueError, match="年度として読み取れません"):
            japanese.parse_fiscal_year("来年度")


class TestWareki:
    @pytest.mark.parametrize(
        ("day", "long", "short"),
        [
            (date(2021, 4, 1), "令和3年4月1日", "R3.4.1"),
            (date(2019, 5, 1), "令和元年5月1日", "R1.5.1"),
            (date(2019, 4, 30), "平成31年4月30日", "H31.4.30"),
            (date(1989, 1, 8), "平成元年1月8日", "H1.1.8"),
            (date(1989, 1, 7), "昭和64年1月7日", "S64.1.7"),
            (date(1926, 12, 25), "昭和元年12月25日", "S1.12.25"),
            (date(1912, 7, 30), "大正元年7月30日", "T1.7.30"),
        ],
    )
    def test_formatting(self, day, long, short):
        assert japanese.format_wareki(day) == long
        assert japanese.format_wareki(day, style="short") == short

    def test_gannen_can_be_written_as_one(self):
        assert japanese.format_wareki(date(2019, 5, 1), gannen=False) == "令和1年5月1日"

    @pytest.mark.parametrize(
        "text",
        [
            "令和6年4月1日",
            "令和６年４月１日",
            "令和 6 年 4 月 1 日",
            "R6.4.1",
            "r6/4/1",
            "R06-04-01",
            "Ｒ６．４．１",
            "令和六年四月一日",
            "㋿6年4月1日",
            "2024-04-01",
            "2024/4/1",
            "2024年4月1日",
            "２０２４年４月１日",
            "20240401",
            "二〇二四年四月一日",
        ],
    )
    def test_parsing_accepts_what_people_type(self, text):
        assert japanese.parse_date(text) == date(2024, 4, 1)

    def test_parsing_gannen(self):
        assert japanese.parse_date("令和元年5月1日") == date(2019, 5, 1)
        assert japanese.parse_date("平成元年1月8日") == date(1989, 1, 8)

    def test_era_boundaries_are_checked(self):
        with pytest.raises(ValueError, match="令和の期間"):
            japanese.parse_date("令和元年4月30日")
        with pytest.raises(ValueError, match="平成の期間"):
            japanese.parse_date("平成31年5月1日")
        assert japanese.parse_date("平成31年4月30日") == date(2019, 4, 30)
        assert japanese.parse_date("昭和64年1月7日") == date(1989, 1, 7)

    def test_impossible_dates_are_refused(self):
        with pytest.raises(ValueError, match="存在しない日付"):
            japanese.parse_date("令和6年2月30日")

    @pytest.mark.parametrize("text", ["", "   ", "きのう", "令和", "R6.13", "2024-04"])
    def test_unreadable_input_gets_a_japanese_message(self, text):
        with pytest.raises(ValueError) as error:
            japanese.parse_date(text)
        assert "日付" in str(error.value)

    def test_round_trip(self):
        day = date(2031, 12, 31)
        assert japanese.parse_date(japanese.format_wareki(day)) == day
        assert japanese.parse_date(japanese.format_wareki(day, style="short")) == day


class TestWidth:
    def test_letters_and_digits_become_ascii_and_kana_full_width(self):
        assert japanese.normalize_width("ＡＢＣ１２３ ｱｲｳｴｵ") == "ABC123 アイウエオ"

    def test_voiced_half_width_kana_combine(self):
        assert japanese.normalize_width("ｶﾞｯｺｳ") == "ガッコウ"

    def test_kanji_are_left_alone_and_the_ideographic_space_becomes_ascii(self):
        assert japanese.normalize_width("髙橋　𠮷野") == "髙橋 𠮷野"

    def test_readings(self):
        assert japanese.katakana("みえ ﾀﾛｳ") == "ミエ タロウ"
        assert japanese.hiragana("ミエケン") == "みえけん"

    def test_skipping_the_passes_changes_no_character(self):
        # Text without the characters the passes convert skips them: for every character (and
        # every half-width kana followed by a sound mark), the answer is what the passes give.
        texts = [chr(code) for code in range(0x10000) if not 0xD800 <= code <= 0xDFFF]
        texts += [chr(code) + mark for code in range(0xFF61, 0xFFA0) for mark in "ﾞﾟ"]
        for text in texts:
            both = jaconv.z2h(text, kana=False, ascii=True, digit=True)
            assert japanese.normalize_width(text) == jaconv.h2z(
                both, kana=True, ascii=False, digit=False
            ), repr(text)
            kana = jaconv.h2z(text, kana=True, ascii=False, digit=False)
            assert japanese.katakana(text) == jaconv.hira2kata(kana), repr(text)
            assert japanese.hiragana(text) == jaconv.kata2hira(kana), repr(text)


class TestPostalCodeAndPhone:
    @pytest.mark.parametrize(
        "text", ["514-0001", "5140001", "〒514-0001", "５１４－０００１", "514 0001"]
    )
    def test_postal_codes(self, text):
        assert japanese.normalize_postal_code(text) == "514-0001"

    @pytest.mark.parametrize("text", ["514-001", "51400012", "abc-defg", ""])
    def test_bad_postal_codes(self, text):
        with pytest.raises(ValueError, match="郵便番号は7桁"):
            japanese.normalize_postal_code(text)

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("0592242035", "059-224-2035"),
            ("059-224-2035", "059-224-2035"),
            ("０５９－２２４－２０３５", "059-224-2035"),
            ("09012345678", "090-1234-5678"),
            ("0312345678", "03-1234-5678"),
            ("0120123456", "0120-123-456"),
            ("+81 59 224 2035", "059-224-2035"),
        ],
    )
    def test_phone_numbers_take_the_national_format(self, text, expected):
        assert japanese.normalize_phone_number(text) == expected

    @pytest.mark.parametrize("text", ["12345", "059-224", "電話", "0000000000"])
    def test_bad_phone_numbers(self, text):
        with pytest.raises(ValueError, match="電話番号"):
            japanese.normalize_phone_number(text)


class TestLocalGovernmentCode:
    @pytest.mark.parametrize(
        "code", ["240001", "242012", "242021", "242039", "131016", "011002", "472018"]
    )
    def test_real_codes_pass(self, code):
        assert japanese.validate_local_government_code(code) == code

    def test_check_digit_rule(self):
        # 2·6 + 4·5 + 2·4 + 0·3 + 1·2 = 42; 42 mod 11 = 9; (11 − 9) mod 10 = 2
        assert japanese.local_government_code_check_digit("24201") == "2"
        # sum mod 11 = 1 gives (11 − 1) mod 10 = 0
        assert japanese.local_government_code_check_digit("13101") == "6"

    def test_wrong_check_digit_names_the_expected_digit(self):
        with pytest.raises(ValueError, match="6桁目は 2 になるはず"):
            japanese.validate_local_government_code("242013")

    @pytest.mark.parametrize("code", ["24201", "2420123", "24201a", ""])
    def test_wrong_shape(self, code):
        with pytest.raises(ValueError, match="6桁"):
            japanese.validate_local_government_code(code)

    def test_full_width_digits_are_accepted(self):
        assert japanese.validate_local_government_code("２４２０１２") == "242012"

    def test_every_code_in_the_shipped_list_is_valid(self):
        from jichitai.demo.foundation import read_local_governments

        rows = read_local_governments()
        assert len(rows) == 30


@pytest.mark.parametrize("first", [str(digit) for digit in range(1, 10)])
def test_a_number_written_as_in_japan_is_read_as_libphonenumber_reads_it(first):
    """A number of digits and hyphens after the national prefix 0 is read without
    libphonenumber's parser; the answer is the parser's for every kind of number (010 and 00,
    the international call prefixes, are left to the parser)."""
    import random

    import phonenumbers

    def parsed(text: str) -> str:
        try:
            number = phonenumbers.parse(text, "JP")
        except phonenumbers.NumberParseException:
            return "形式が正しくありません"
        if not phonenumbers.is_valid_number(number):
            return "存在しない"
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)

    def normalized(text: str) -> str:
        try:
            return japanese.normalize_phone_number(text)
        except ValueError as error:
            return (
                "形式が正しくありません" if "形式が正しくありません" in str(error) else "存在しない"
            )

    draw = random.Random(first)
    for _ in range(2000):
        digits = f"0{first}" + "".join(
            draw.choice("0123456789") for _ in range(draw.choice((8, 9)))
        )
        text = "-".join([digits[:3], digits[3:6], digits[6:]]) if draw.random() < 0.5 else digits
        assert normalized(text) == parsed(digits), text
