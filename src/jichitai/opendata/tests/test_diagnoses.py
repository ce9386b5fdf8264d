"""The defects real files showed, each a regression test: current-layout files of every standard
dataset are read in their own layout, the older layout's optional and flag columns never block,
real defects are named (half-width カナ, 電話番号「なし」, Excel serial dates, swapped coordinates),
and a whole-file cause is one finding (mojibake, shifted columns, many cells failing one rule)."""

import pytest

from jichitai.opendata import diagnoses, standards
from jichitai.opendata.registry import standard_datasets
from jichitai.opendata.tabular import read_csv
from jichitai.opendata.tests.helpers import csv_bytes

AED_CURRENT = [f["name"] for f in standard_datasets.get("aed").layouts["current"].fields]


def aed_current_row(**changes) -> list[str]:
    values = dict.fromkeys(AED_CURRENT, "")
    values.update(
        {
            "全国地方公共団体コード": "242012",
            "ID": "1",
            "地方公共団体名": "津市",
            "名称": "津市役所",
            "名称_カナ": "ツシヤクショ",
            "所在地_連結表記": "三重県津市西丸之内23-1",
            "緯度": "34.7185",
            "経度": "136.5056",
            "設置位置": "1階ロビー",
            "電話番号": "059-229-3110",
            "開始時間": "08:30",
            "終了時間": "17:15",
        }
    )
    values.update(changes)
    return [values[name] for name in AED_CURRENT]


def validate_aed(*rows, header=AED_CURRENT):
    return standards.validate(read_csv(csv_bytes(list(rows), header=header)), "aed")


@pytest.mark.parametrize(
    "key",
    [
        "aed",
        "public-facilities",
        "childcare-facilities",
        "public-wifi",
        "care-services",
        "evacuation-sites",
        "public-toilets",
    ],
)
def test_every_dataset_the_files_came_in_has_its_current_layout(key):
    assert "current" in standard_datasets.get(key).layouts


def test_a_current_layout_aed_file_is_read_in_its_own_layout_and_passes():
    report = validate_aed(aed_current_row(), aed_current_row(ID="2"))

    assert report.layout == "current"
    assert report.errors == []


def test_half_width_kana_and_a_phone_number_written_as_nashi_are_errors():
    report = validate_aed(aed_current_row(名称_カナ="ﾂｼﾔｸｼｮ", 電話番号="なし"))

    rules = {(i.rule, i.column) for i in report.errors}
    assert ("kana", "名称_カナ") in rules
    assert ("phone", "電話番号") in rules
    phone = next(i for i in report.errors if i.rule == "phone")
    assert "空欄" in phone.message and phone.value == "なし"


def test_an_excel_serial_number_in_a_date_column_is_named_as_one():
    key = next(
        k
        for k, standard in standard_datasets.items()
        if any(f.get("type") == "date" for f in standard.layouts["current"].fields)
        if "current" in standard.layouts
    )
    layout = standard_datasets.get(key).layouts["current"]
    date_field = next(f for f in layout.fields if f.get("type") == "date")
    header = [f["name"] for f in layout.fields]
    row = dict.fromkeys(header, "")
    row.update({"名称": "名称", "所在地_連結表記": "三重県津市", date_field["name"]: "45016"})

    report = standards.validate(read_csv(csv_bytes([[row[n] for n in header]], header=header)), key)

    found = [i for i in report.errors if i.rule == "excel-serial-date"]
    assert found and "2023-03-31" in found[0].message


def test_swapped_coordinates_are_one_finding_per_row_not_two_range_errors():
    report = validate_aed(aed_current_row(緯度="136.5056", 経度="34.7185"))

    assert [i.rule for i in report.errors] == ["coordinates-swapped"]


def test_the_older_layouts_flag_and_optional_columns_never_block():
    header = ["NO", "名称", "名称_カナ", "住所", "緯度", "経度", "電話番号", "市区町村コード"]
    header += ["災害種別_洪水", "災害種別_地震", "指定避難所との重複", "URL"]
    row = ["1", "津市体育館", "", "津市西丸之内", "34.7", "136.5", "", "242012", "1", "", "", ""]

    report = standards.validate(read_csv(csv_bytes([row, row], header=header)), "evacuation-sites")

    assert report.layout == "legacy"
    assert report.errors == []
    mapping = [i for i in report.warnings if i.rule == "legacy-layout"]
    assert mapping and "住所→所在地_連結表記" in mapping[0].message


def test_mojibake_is_named_as_such_instead_of_a_layout_mismatch():
    header = [name.encode("cp932").decode("cp1252", errors="replace") for name in AED_CURRENT]
    content = csv_bytes([aed_current_row()], header=header)

    report = standards.validate(read_csv(content), "aed")

    assert [i.rule for i in report.errors] == ["mojibake"]
    assert "文字化け" in report.errors[0].message


def test_shifted_columns_are_one_finding_that_names_where_the_shift_starts():
    rows = []
    for number in range(30):
        row = aed_current_row(ID=str(number))
        index = AED_CURRENT.index("緯度")
        rows.append([*row[:index], "", *row[index:-1]])  # a value lost its column before 緯度

    report = validate_aed(*rows)

    shifted = [i for i in report.errors if i.rule == "shifted-columns"]
    assert len(shifted) == 1
    assert "1列" in shifted[0].message
    assert len(report.errors) < 5


def test_many_cells_failing_one_rule_are_summed_up_in_one_finding():
    rows = [aed_current_row(ID=str(n), 電話番号="なし") for n in range(100)]

    report = validate_aed(*rows)

    phone = [i for i in report.errors if i.rule == "phone"]
    assert len(phone) == diagnoses.EXAMPLES_PER_RULE + 1
    assert "100 件" in phone[-1].message
