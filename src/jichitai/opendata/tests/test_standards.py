"""Validation against the 自治体標準オープンデータセット: the layout is recognised from the header
(current or older 推奨データセット), 必須 columns missing are errors and 推奨 ones warnings, and each
problem names the row of the uploaded file, the column, the value and the rule in Japanese."""

import json

import pytest

from jichitai.opendata import standards
from jichitai.opendata.tabular import read_csv
from jichitai.opendata.tests.helpers import AED_HEADER, aed_row, csv_bytes

TOILET_HEADER = [
    "全国地方公共団体コード",
    "ID",
    "名称",
    "名称_カナ",
    "所在地_連結表記",
    "設置位置",
    "緯度",
    "経度",
    "車椅子使用者用トイレ有無",
    "利用開始時間",
]


def toilet_table(*rows):
    return read_csv(csv_bytes(rows, header=TOILET_HEADER))


def toilet_row(**changes):
    row = dict(
        zip(
            TOILET_HEADER,
            [
                "240001",
                "0001",
                "県庁トイレ",
                "ケンチョウトイレ",
                "三重県津市広明町13",
                "1階",
                "34.73",
                "136.50",
                "有",
                "08:30",
            ],
            strict=True,
        )
    )
    row.update(changes)
    return [row[name] for name in TOILET_HEADER]


def issues(report, rule):
    return [issue for issue in report.issues if issue.rule == rule]


def test_every_schema_in_the_repository_is_a_valid_table_schema_with_its_provenance():
    from frictionless import Schema

    for _key, standard in standards.standard_datasets.items():
        for layout in standard.layouts.values():
            Schema.from_descriptor(layout.schema)  # raises on an invalid descriptor
            assert layout.source
    readme = (standards.STANDARDS_DIR / "README.md").read_text(encoding="utf-8")
    assert "open-infra-japan" in readme and "smart-data-models" in readme


def test_the_layout_is_recognised_from_the_header_names():
    current = standards.validate(toilet_table(toilet_row()), "public-toilets")
    legacy_header = [
        "都道府県コード又は市区町村コード",
        "NO",
        "都道府県名",
        "市区町村名",
        "名称",
        "名称_カナ",
        "住所",
        "設置位置",
    ]
    legacy = standards.validate(
        read_csv(
            csv_bytes(
                [
                    [
                        "240001",
                        "1",
                        "三重県",
                        "",
                        "県庁トイレ",
                        "ケンチョウトイレ",
                        "津市広明町13",
                        "1階",
                    ]
                ],
                header=legacy_header,
            )
        ),
        "public-toilets",
    )

    assert current.layout == "current"
    assert legacy.layout == "legacy"
    assert not current.errors
    assert not issues(legacy, "layout")


def test_header_names_match_whatever_the_width_of_brackets_and_spaces():
    header = [name.replace("_", "_ ") if name == "名称" else name for name in TOILET_HEADER]
    header[header.index("車椅子使用者用トイレ有無")] = " 車椅子使用者用トイレ有無 "

    report = standards.validate(
        read_csv(csv_bytes([toilet_row()], header=header)), "public-toilets"
    )

    assert not report.errors


def test_a_missing_required_column_is_an_error_and_a_missing_recommended_one_a_warning():
    header = [name for name in TOILET_HEADER if name != "設置位置"]
    row = [
        value for name, value in zip(TOILET_HEADER, toilet_row(), strict=True) if name != "設置位置"
    ]

    report = standards.validate(read_csv(csv_bytes([row], header=header)), "public-toilets")

    missing = {issue.column: issue.severity for issue in issues(report, "missing-column")}
    assert missing["設置位置"] == "error"
    assert missing["名称_英語"] == "warning"
    assert "建物名等(方書)" not in missing  # 任意


def test_a_column_the_standard_does_not_define_is_a_warning():
    header = [*TOILET_HEADER, "駐車場"]

    report = standards.validate(
        read_csv(csv_bytes([[*toilet_row(), "有"]], header=header)), "public-toilets"
    )

    assert [(i.severity, i.column) for i in issues(report, "extra-column")] == [
        ("warning", "駐車場")
    ]


@pytest.mark.parametrize("second", ["名称", "名 称", "名\u3000称"])
def test_a_standard_column_given_twice_is_an_error_naming_it_and_the_rest_is_checked(second):
    header = [*TOILET_HEADER, second]
    rows = [[*toilet_row(), "別名"], [*toilet_row(車椅子使用者用トイレ有無="あり"), ""]]

    report = standards.validate(read_csv(csv_bytes(rows, header=header)), "public-toilets")

    [twice] = issues(report, "duplicate-column")
    assert (twice.severity, twice.column) == ("error", "名称")
    assert twice.value == second
    assert "「名称」の列が2つあります" in twice.message
    assert [(i.row, i.column) for i in issues(report, "enum")] == [(3, "車椅子使用者用トイレ有無")]


def test_a_row_with_values_only_outside_the_standard_is_named_in_japanese():
    header = [*TOILET_HEADER, "駐車場"]
    rows = [[*toilet_row(), "有"], [*([""] * len(TOILET_HEADER)), "有"]]

    report = standards.validate(read_csv(csv_bytes(rows, header=header)), "public-toilets")

    [blank] = issues(report, "blank-row")
    assert (blank.severity, blank.row) == ("error", 3)
    assert "標準の項目がすべて空欄" in blank.message


@pytest.mark.parametrize(
    ("changes", "rule", "column", "words"),
    [
        ({"全国地方公共団体コード": "240002"}, "check-digit", "全国地方公共団体コード", "検査数字"),
        ({"全国地方公共団体コード": "24000"}, "code", "全国地方公共団体コード", "6桁"),
        ({"全国地方公共団体コード": "津市"}, "code", "全国地方公共団体コード", "団体名ではなく"),
        ({"車椅子使用者用トイレ有無": "あり"}, "enum", "車椅子使用者用トイレ有無", "「有」「無」"),
        ({"利用開始時間": "8時半"}, "time", "利用開始時間", "hh:mm"),
        ({"緯度": "136.50", "経度": "34.73"}, "coordinates-swapped", "緯度", "入れ替わって"),
        ({"緯度": "95.0"}, "range", "緯度", "入れ替わって"),
        ({"経度": ""}, "coordinates", "経度", "両方"),
        ({"名称": ""}, "required", "名称", "必須"),
        ({"名称_カナ": "けんちょう"}, "kana", "名称_カナ", "カタカナ"),
    ],
)
def test_each_problem_names_row_column_value_and_rule(changes, rule, column, words):
    table = toilet_table(toilet_row(), toilet_row(**changes))

    report = standards.validate(table, "public-toilets")

    found = [i for i in report.errors if i.rule == rule and i.column == column]
    assert found, report.as_dict()
    assert found[0].row == 3  # the header is row 1 of the file; the second data row is row 3
    assert found[0].value == changes.get(column, "")
    assert words in found[0].message


@pytest.mark.parametrize(
    ("written", "words"),
    [("3基", "「3基」なら 3"), ("洋式 ２ 基", "「洋式 ２ 基」なら 2"), ("1基、2基", "整数(半角)")],
)
def test_a_figure_written_with_its_unit_is_told_to_drop_the_unit(written, words):
    """「50名」 in a column of counts: the figure is there, the unit is the defect."""
    header = [*TOILET_HEADER, "男性トイレ総数"]
    table = read_csv(csv_bytes([[*toilet_row(), written]], header=header))

    [found] = [i for i in standards.validate(table, "public-toilets").errors if i.row]

    assert (found.rule, found.column, found.value) == ("integer", "男性トイレ総数", written)
    assert words in found.message


def test_flag_columns_take_1_or_empty():
    header = [
        "全国地方公共団体コード",
        "名称",
        "所在地_連結表記",
        "電話番号",
        "市区町村コード",
        "災害種別_洪水",
    ]
    rows = [
        ["240001", "避難所A", "津市", "059-000-0000", "242012", "1"],
        ["240001", "避難所B", "津市", "059-000-0000", "242012", ""],
        ["240001", "避難所C", "津市", "059-000-0000", "242012", "○"],
    ]

    report = standards.validate(read_csv(csv_bytes(rows, header=header)), "evacuation-sites")

    flags = issues(report, "flag")
    assert [(i.row, i.value) for i in flags] == [(4, "○")]
    assert "「1」か空欄" in flags[0].message


def test_rows_are_numbered_as_in_the_uploaded_excel_file():
    from jichitai.opendata.tabular import read_xlsx
    from jichitai.opendata.tests.helpers import workbook_bytes

    table = read_xlsx(workbook_bytes([aed_row(1), aed_row(2, 緯度="north")], title="AED一覧"))

    report = standards.validate(table, "aed")

    assert [(i.row, i.column, i.rule) for i in report.errors] == [(4, "緯度", "number")]


def test_a_table_of_something_else_is_not_taken_for_the_standard():
    report = standards.validate(read_csv("氏名,年齢\r\n山田,30\r\n".encode()), "aed")

    assert [i.rule for i in report.errors] == ["layout"]
    assert "AED設置箇所一覧" in report.errors[0].message


def test_the_report_is_plain_data_for_storage():
    report = standards.validate(read_csv(csv_bytes([aed_row(1)])), "aed")

    assert json.loads(json.dumps(report.as_dict()))["layout"] == "legacy"
    assert AED_HEADER[0] == "都道府県コード又は市区町村コード"


ADDRESS_HEADER = [
    "全国地方公共団体コード",
    "名称",
    "所在地_連結表記",
    "所在地_都道府県",
    "所在地_市区町村",
    "所在地_町字",
    "所在地_番地以下",
    "建物名等(方書)",
]


@pytest.mark.parametrize(
    ("joined", "town", "number", "building", "agrees"),
    [
        # Hyphens, spaces and full-width digits are ways of writing, not differences.
        ("三重県津市広明町13", "広明町", "13", "", True),
        ("三重県津市広明町２－１３　県庁舎", "広明町2", "13", "県庁舎", True),
        ("三重県津市広明町13", "広明町", "13", "県庁舎", True),
        # A typo in one of them (町 → 朝) or another 番地 is what a reader of the file trips on.
        ("三重県津市広明町13", "広明朝", "13", "", False),
        ("三重県津市東丸之内6-1-3", "東丸之内6", "1-1", "", False),
    ],
)
def test_the_joined_address_is_checked_against_its_parts(joined, town, number, building, agrees):
    row = ["240001", "県庁", joined, "三重県", "津市", town, number, building]

    report = standards.validate(
        read_csv(csv_bytes([row], header=ADDRESS_HEADER)), "public-facilities"
    )

    found = issues(report, "address-parts")
    assert (not found) == agrees, report.as_dict()
    if found:
        assert found[0].severity == "warning" and found[0].row == 2
        assert found[0].column == "所在地_連結表記" and found[0].value == joined
        assert "一致しません" in found[0].message
