"""Real municipal files judged with hand-written expectations (see ``realfiles/SOURCES.md``): real
defects are found, what the standard allows is not called an error, and a file that follows no
standard layout gets one sentence saying so. ``heldout/`` files were judged only after the
validator was adjusted against ``tuned/``."""

import codecs
import csv
import io
from collections import Counter
from pathlib import Path

import pytest

from jichitai.opendata import standards, tabular

FILES = Path(__file__).parent / "realfiles"


def judge(path: str, standard: str) -> standards.Report:
    table = tabular.read_table((FILES / path).read_bytes(), Path(path).name)
    return standards.validate(table, standard)


def test_oita_aed_older_layout_blank_recommended_columns_are_not_errors_but_bad_phones_are():
    report = judge("tuned/oita-pref-aed-legacy.csv", "aed")

    assert report.layout == "legacy" and report.rows_checked == 2181
    # 名称_カナ and 設置位置 are blank on every row: recommended, so no error.
    assert not [i for i in report.errors if i.column in ("名称_カナ", "設置位置")]
    # The real defects: "－" for no number, full-width digits and hyphens, two numbers or a
    # department name in one cell. 60 cells, summed up in one finding after 20 examples.
    assert {i.rule for i in report.errors} == {"phone"}
    summary = [i for i in report.errors if i.row is None]
    assert len(summary) == 1 and "60 件" in summary[0].message
    examples = {i.value for i in report.errors if i.row is not None}
    assert {"－", "0977‐25‐1122", "小学校0973-26-8503／中学校0973-28-2224"} <= examples
    # The mapping to the current layout is offered.
    assert any(
        i.rule == "legacy-layout" and "住所→所在地_連結表記" in i.message for i in report.warnings
    )


def test_takamatsu_rdf_style_aed_is_one_layout_finding_after_its_metadata_rows_are_set_aside():
    table = tabular.read_table(
        (FILES / "tuned/takamatsu-aed-rdf-columns.csv").read_bytes(), "a.csv"
    )
    report = standards.validate(table, "aed")

    assert any("#LINK" in finding.message for finding in table.findings)
    assert [i.rule for i in report.errors] == ["layout"]
    assert "AED設置箇所一覧" in report.errors[0].message


@pytest.mark.parametrize(
    ("path", "standard"),
    [
        ("heldout/takamatsu-public-toilet-english-headers.csv", "public-toilets"),
        ("heldout/oita-city-clinics-two-header-rows.csv", "medical-institutions"),
    ],
)
def test_held_out_files_in_no_standard_layout_get_one_sentence_not_cell_errors(path, standard):
    report = judge(path, standard)

    assert Counter(i.rule for i in report.errors) == {"layout": 1}
    assert "項目名" in report.errors[0].message


def _errors_by_rule_and_column(report: standards.Report) -> Counter:
    """Cell errors counted per (rule, column), the summary rows of collapsed ones left out."""
    return Counter((i.rule, i.column) for i in report.errors if i.row is not None)


def test_yaizu_evacuation_sites_marked_with_circles_where_the_older_layout_takes_1():
    report = judge("tuned/yaizu-evacuation-legacy-circle-flags.csv", "evacuation-sites")

    assert report.layout == "legacy" and report.rows_checked == 31
    # 焼津市 marks the kinds of disaster with 「○」; the older layout takes 「1」 or empty. Every
    # marked cell is the one defect (26 地震, 26 津波, 5 崖崩れ, 5 指定避難所との重複).
    assert {i.rule for i in report.errors} == {"flag"}
    assert {i.value for i in report.errors if i.row is not None} == {"○"}
    summaries = {i.column: i.message for i in report.errors if i.row is None}
    assert "26 件" in summaries["災害種別_地震"] and "26 件" in summaries["災害種別_津波"]
    assert _errors_by_rule_and_column(report)[("flag", "指定避難所との重複")] == 5
    # Blank flag columns (洪水, 高潮 …) and blank 推奨 columns (標高, 想定収容人数 …) are allowed.
    assert not [i for i in report.errors if i.row is not None and i.value == ""]


def test_yaizu_childcare_header_written_with_a_dash_for_the_long_vowel_is_named_and_still_checked():
    table = tabular.read_table(
        (FILES / "tuned/yaizu-childcare-legacy-dash-in-header.csv").read_bytes(), "a.csv"
    )
    report = standards.validate(table, "childcare-facilities")

    assert table.encoding == "utf-8" and report.layout == "legacy" and report.rows_checked == 60
    # 「都道府県コ―ド又は市区町村コ―ド」 is written with 「―」 (a horizontal bar) for 「ー」: the
    # column is the standard's code column, told once, and its codes (222127) are checked.
    spelling = [i for i in report.warnings if i.rule == "header-spelling"]
    assert len(spelling) == 1
    assert "都道府県コード又は市区町村コード" in spelling[0].message
    assert not [i for i in report.issues if i.rule in ("extra-column", "missing-column")]
    # The same slip inside 名称_カナ (ハ―トリンク …, 9 rows) is a real defect.
    kana = [i for i in report.errors if i.rule == "kana"]
    assert [i.row for i in kana] == [35, 36, 40, 42, 43, 44, 48, 52, 53]
    # Spaces after phone and FAX numbers are set aside when the file is read, not called errors;
    # neither are the blank 推奨 columns (アクセス方法, 認可等年月日, URL …).
    assert {i.rule for i in report.errors} == {"kana"}


def test_yaizu_public_toilets_in_the_current_layout_only_the_height_kind_is_wrong():
    report = judge("tuned/yaizu-public-toilet-current.csv", "public-toilets")

    assert report.layout == "current" and report.rows_checked == 112
    # 高度の種別 takes 階数 / 標高 / 地表高; 焼津市 wrote 「階」 on 5 rows.
    assert _errors_by_rule_and_column(report) == {("enum", "高度の種別"): 5}
    assert {i.value for i in report.errors} == {"階"}
    # 男性トイレ数（小便器） with full-width brackets is the standard's column; 有/無 columns are
    # right; blank 名称_英語, 町字ID and times are allowed.
    assert report.warnings == []


@pytest.mark.parametrize(
    ("path", "standard", "layout", "rows"),
    [
        ("heldout/yaizu-aed-legacy.csv", "aed", "legacy", 82),
        ("heldout/yaizu-public-wifi-legacy.csv", "public-wifi", "legacy", 17),
        ("heldout/yaizu-fire-water-current.csv", "fire-water-supply", "current", 193),
    ],
)
def test_held_out_yaizu_files_that_follow_their_layout_have_no_errors(path, standard, layout, rows):
    report = judge(path, standard)

    # Phone numbers as 「(054)626-1139」, IDs as 「0000000001」, 町字ID 「0003000」, full-width
    # text in 設置位置 and blank 推奨 columns are all what the standard allows.
    assert (report.layout, report.rows_checked, report.errors) == (layout, rows, [])
    assert not [i for i in report.warnings if i.rule in ("extra-column", "missing-column")]


# Columns a town keeps for itself beside the standard's: more of them than of the standard's.
OWN_COLUMNS = [
    "管理者",
    "管理者電話番号",
    "設置年月日",
    "機種",
    "製造番号",
    "電極パッド期限",
    "バッテリー期限",
    "点検担当",
    "点検日",
    "小児用パッド",
    "収納ボックス",
    "警報音",
    "屋外表示",
    "貸出可否",
    "講習実施",
    "更新予定年度",
    "リース契約",
    "契約期限",
    "担当課",
    "内部メモ",
]


def test_a_held_out_file_with_every_standard_column_and_more_of_its_own_is_still_checked():
    original = tabular.read_table((FILES / "heldout/yaizu-aed-legacy.csv").read_bytes(), "a.csv")
    widened = tabular.Table(
        header=[*original.header, *OWN_COLUMNS],
        rows=[[*row, *([""] * len(OWN_COLUMNS))] for row in original.rows],
        source_rows=original.source_rows,
    )

    report = standards.validate(widened, "aed")

    # 16 of the standard's columns, 20 of the town's: every standard column is checked as in the
    # file as published, and each of the town's is named, not the whole file refused.
    assert (report.layout, report.rows_checked, report.errors) == ("legacy", 82, [])
    assert sorted(i.column for i in report.warnings if i.rule == "extra-column") == sorted(
        OWN_COLUMNS
    )


def test_held_out_urasoe_shift_jis_list_in_its_own_columns_gets_one_layout_sentence():
    table = tabular.read_table(
        (FILES / "heldout/urasoe-aed-shift-jis-own-columns.csv").read_bytes(), "a.csv"
    )
    report = standards.validate(table, "aed")

    # 施設名, 住所, FAX, E-MAIL: only the columns every list has (緯度, 経度, 電話番号, URL) share
    # a name with the standard, which does not make it an AED設置箇所一覧 in either layout.
    assert table.encoding == "cp932" and table.header[1] == "施設名"
    assert Counter(i.rule for i in report.errors) == {"layout": 1}


def test_held_out_takamatsu_evacuation_workbook_with_english_headers_gets_one_layout_sentence():
    report = judge("heldout/takamatsu-evacuation-xlsx-english-headers.xlsx", "evacuation-sites")

    assert report.rows_checked == 195
    assert Counter(i.rule for i in report.errors) == {"layout": 1}


def test_held_out_kudamatsu_childcare_shift_jis_current_layout_two_real_defects():
    table = tabular.read_table(
        (FILES / "heldout/kudamatsu-childcare-current-shift-jis.csv").read_bytes(), "a.csv"
    )
    report = standards.validate(table, "childcare-facilities")

    assert table.encoding in ("cp932", "shift_jis") and not table.findings
    assert report.layout == "current" and report.rows_checked == 49
    # Blank optional columns (開始時間 of the after-school clubs, 収容定員, 一時預かりの有無) are
    # not errors. The two defects, read off the rows: brackets in a reading (file line 48,
    # 児童センター「わかば」) and 開始時間 「7:00」 where hh:mm takes 「07:00」 (line 50; the other
    # 48 rows write two digits).
    assert sorted((i.row, i.rule, i.column, i.value) for i in report.errors) == [
        (48, "kana", "名称_カナ", "クダマツシジドウセンター「ワカバ」"),
        (50, "time", "開始時間", "7:00"),
    ]
    assert not report.warnings


def _as_excels_unicode_text(content: bytes) -> bytes:
    """The file as Excel saves it with 「Unicode テキスト」: the same cells, tab-separated, in
    UTF-16 little-endian with a byte order mark."""
    rows = csv.reader(io.StringIO(content.decode("cp932"), newline=""))
    text = io.StringIO()
    csv.writer(text, delimiter="\t", lineterminator="\r\n").writerows(rows)
    return codecs.BOM_UTF16_LE + text.getvalue().encode("utf-16-le")


def test_held_out_kudamatsu_childcare_saved_as_unicode_text_gets_the_same_verdict():
    original = (FILES / "heldout/kudamatsu-childcare-current-shift-jis.csv").read_bytes()
    table = tabular.read_table(_as_excels_unicode_text(original), "a.txt")

    assert table.encoding == "utf-16"
    assert [f.message for f in table.findings] == [
        "区切り文字がタブのファイル(タブ区切り)として読みました。"
    ]
    report = standards.validate(table, "childcare-facilities")
    expected = standards.validate(tabular.read_table(original, "a.csv"), "childcare-facilities")
    assert report.rows_checked == expected.rows_checked == 49
    assert report.as_dict() == expected.as_dict()


def test_held_out_kudamatsu_care_services_shift_jis_current_layout_has_only_its_address_mismatches():
    table = tabular.read_table(
        (FILES / "heldout/kudamatsu-care-services-current-shift-jis.csv").read_bytes(), "a.csv"
    )
    report = standards.validate(table, "care-services")

    assert table.encoding in ("cp932", "shift_jis")
    # Readings with 「・」, full-width spaces and brackets are katakana as the standard writes
    # them; 介護サービス事業所名称_英字, 法人番号 and 事業所番号 are blank on every row (任意).
    assert report.layout == "current" and report.rows_checked == 90
    assert report.errors == []
    # Three rows whose joined address is not its parts, read off the file: 所在地_町字 「潮音朝」
    # for 潮音町 (lines 15 and 19) and 番地以下 「1-1」 under a joined 「東陽6-1-3」 (line 44).
    assert [(i.row, i.rule, i.value) for i in report.warnings] == [
        (15, "address-parts", "山口県下松市潮音町3-11-27"),
        (19, "address-parts", "山口県下松市潮音町3-11-27"),
        (44, "address-parts", "山口県下松市東陽6-1-3"),
    ]


def test_held_out_yamaguchi_care_services_older_layout_with_its_name_where_the_code_goes():
    """山口県's 1,378 care-service rows (UTF-8 with BOM, the older layout's 22 columns), expected
    from reading the file: the code column holds 「山口県」 on every row, 定員 is written with its
    unit (「50名」, 「ユニット型 20名」) in the 670 rows that have one, 44 readings hold Latin
    letters, ＆, ～ or brackets 「」, and one phone number has a half-width katakana 「ｰ」 for a
    hyphen. Blank 市区町村名, NO and URL are optional; 「050-33177337」 has the digits of a
    number, only grouped unusually, and is not an error."""
    report = judge("heldout/yamaguchi-pref-care-services-legacy-utf8-bom.csv", "care-services")

    assert report.layout == "legacy" and report.rows_checked == 1378
    by_column = Counter(i.column for i in report.errors if i.row is not None)
    summaries = {i.column: i.message for i in report.errors if i.row is None}
    assert set(by_column) == {
        "都道府県コード又は市区町村コード",
        "介護サービス事業所名称_カナ",
        "定員",
        "電話番号",
    }
    assert "1,378 件" in summaries["都道府県コード又は市区町村コード"]
    first_code = next(i for i in report.errors if i.column == "都道府県コード又は市区町村コード")
    assert "「山口県」は団体名です" in first_code.message
    assert "670 件" in summaries["定員"]
    assert "44 件" in summaries["介護サービス事業所名称_カナ"]
    assert [(i.row, i.value) for i in report.errors if i.column == "電話番号"] == [
        (735, "0836-39ｰ6010")
    ]
