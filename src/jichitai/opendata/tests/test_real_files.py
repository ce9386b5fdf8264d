"""Real municipal files judged with hand-written expectations (see ``realfiles/SOURCES.md``): real
defects are found, what the standard allows is not called an error, and a file that follows no
standard layout gets one sentence saying so. ``heldout/`` files were judged only after the
validator was adjusted against ``tuned/``."""

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
