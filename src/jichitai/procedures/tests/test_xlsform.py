"""Forms authored in Excel (XLSForm), read by pyxform: what a workbook means is kept (conditions,
constraints and their messages, choice filters, languages, defaults, notes), and what cannot be
honoured is refused with the row that caused it or reported as a warning."""

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from jichitai.core.tests.samples import FIRST_SHEET, with_part_rewritten
from jichitai.procedures.definitions import build_schema, check_definition
from jichitai.procedures.validation import validate_application_data
from jichitai.procedures.xlsform import MAX_ROWS, XLSFormError, read_xlsform

CORPUS = Path(__file__).parent / "xlsform_corpus" / "files"


def workbook(survey_rows, choice_rows=(), *, header=None, choice_header=None, sheets=None):
    """An XLSForm: survey and choices sheets, and ``sheets`` (name: rows, header first)."""
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(
        header
        or ["type", "name", "label", "hint", "required", "relevant", "constraint", "appearance"]
    )
    for row in survey_rows:
        survey.append(row)
    choices = book.create_sheet("choices")
    choices.append(choice_header or ["list_name", "name", "label"])
    for row in choice_rows:
        choices.append(row)
    for name, rows in (sheets or {}).items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def submit(fields, data):
    return validate_application_data(fields, build_schema(fields), data)


def test_the_supported_subset_becomes_a_form():
    fields = read_xlsform(
        workbook(
            [
                ["name", "applicant", "氏名", None, "yes"],
                ["select_one attend", "attend", "参加", None, "yes"],
                [
                    "text",
                    "reason",
                    "欠席の理由",
                    "任意",
                    "no",
                    "${attend} = 'no'",
                    "string-length(.) <= 100",
                    "multiline",
                ],
                ["integer", "count", "人数", None, "yes", None, ". >= 1 and . <= 5"],
                ["note", "info", "お知らせ"],
                ["acknowledge", "agree", "同意します", None, "yes"],
            ],
            [["attend", "yes", "出席"], ["attend", "no", "欠席"]],
        )
    ).fields
    assert [f["name"] for f in fields] == [
        "applicant",
        "attend",
        "reason",
        "count",
        "info",
        "agree",
    ]
    assert fields[0]["type"] == "name"
    reason = fields[2]
    assert reason["type"] == "textarea"
    assert reason["relevant"] == "${attend} = 'no'"
    assert fields[4] == {"name": "info", "type": "note", "label": "お知らせ"}
    assert fields[1]["choices"] == [
        {"value": "yes", "label": "出席"},
        {"value": "no", "label": "欠席"},
    ]
    assert check_definition(fields) == []


def test_cascading_select_keeps_its_choice_filter():
    """xlsform.org's own example: Texas, King, Seattle is not a place."""
    fields = read_xlsform((CORPUS / "xlsform_org__cascading_select.xlsx").open("rb")).fields
    county = next(f for f in fields if f["name"] == "selected_county")
    assert county["choice_filter"] == "state=${selected_state}"
    _cleaned, errors = submit(
        fields,
        {"selected_state": "texas", "selected_county": "king", "selected_city": "seattle"},
    )
    assert errors == {
        "selected_county": ["選択肢から選んでください。"],
        "selected_city": ["選択肢から選んでください。"],
    }
    cleaned, errors = submit(
        fields,
        {"selected_state": "washington", "selected_county": "king", "selected_city": "seattle"},
    )
    assert errors == {} and cleaned["selected_city"] == "seattle"


def test_relevant_and_constraint_are_honoured_with_the_forms_own_messages():
    fields = read_xlsform(
        workbook(
            [
                ["integer", "age", "年齢", "yes", None, ". >= 0 and . <= 120", "0〜120 の数字"],
                [
                    "text",
                    "school",
                    "学校名",
                    "yes",
                    "${age} < 18",
                    None,
                    None,
                    "18歳未満の方は必須",
                ],
                ["integer", "children", "子の数", None, None, ". <= 10", None],
            ],
            header=[
                "type",
                "name",
                "label",
                "required",
                "relevant",
                "constraint",
                "constraint_message",
                "required_message",
            ],
        )
    ).fields
    _, errors = submit(fields, {"age": "130", "school": "", "children": "2"})
    assert errors == {"age": ["0〜120 の数字"]}
    _, errors = submit(fields, {"age": "12", "school": "", "children": "2"})
    assert errors == {"school": ["18歳未満の方は必須"]}
    cleaned, errors = submit(fields, {"age": "40", "school": "ignored", "children": "11"})
    assert errors == {"children": ["入力内容が条件に合いません。"]}
    assert "school" not in cleaned


def test_conditional_required_default_and_notes_are_kept():
    fields = read_xlsform(
        workbook(
            [
                ["select_one yn", "has_car", "車をお持ちですか", "yes", None, "no"],
                ["text", "plate", "ナンバー", "${has_car} = 'yes'", "ナンバーを入力", None],
                ["note", "thanks", "ご協力ありがとうございます", None, None, None],
            ],
            [["yn", "yes", "はい"], ["yn", "no", "いいえ"]],
            header=["type", "name", "label", "required", "required_message", "default"],
        )
    ).fields
    has_car, plate, thanks = fields
    assert has_car["default"] == "no"
    assert plate["required_if"] == "${has_car} = 'yes'"
    assert plate["required_message"] == "ナンバーを入力"
    assert thanks["type"] == "note"
    assert submit(fields, {"has_car": "yes", "plate": ""})[1] == {"plate": ["ナンバーを入力"]}
    cleaned, errors = submit(fields, {"plate": ""})
    assert errors == {} and cleaned == {"has_car": "no"}


def test_labels_in_other_languages_are_labels_not_field_names():
    fields = read_xlsform(
        workbook(
            [["text", "city", "Your city", "Sua cidade", "市町名"]],
            [],
            header=[
                "type",
                "name",
                "label::English (en)",
                "label::Portuguese (pt)",
                "label::日本語",
            ],
        )
    ).fields
    [city] = fields
    assert city["label"] == "市町名"
    assert city["translations"] == {"en": {"label": "Your city"}, "pt": {"label": "Sua cidade"}}


def test_a_form_only_in_english_keeps_its_english_labels():
    imported = read_xlsform(
        workbook([["text", "city", "Your city"]], [], header=["type", "name", "label::English"])
    )
    assert imported.fields[0]["label"] == "Your city"
    assert imported.languages == ["en"]


def test_calculations_are_stored_from_the_answers():
    fields = read_xlsform(
        workbook(
            [
                ["integer", "adults", "大人", None],
                ["integer", "kids", "子ども", None],
                ["calculate", "total", None, "${adults} + ${kids}"],
            ],
            header=["type", "name", "label", "calculation"],
        )
    ).fields
    cleaned, errors = submit(fields, {"adults": "2", "kids": "3"})
    assert errors == {} and cleaned["total"] == 5


def test_top_level_groups_become_pages_whose_relevant_is_the_page_condition():
    fields = read_xlsform(
        workbook(
            [
                ["select_one yn", "employed", "就労", None, None],
                ["begin group", "work", "勤務先", "${employed} = 'yes'", "field-list"],
                ["text", "employer", "勤務先名", None, None],
                ["begin group", "office", "所在地", "${employer} != ''", None],
                ["text", "city", "市町村", None, None],
                ["end group", None, None, None, None],
                ["end group", None, None, None, None],
                ["text", "comment", "ご意見", None, None],
            ],
            [["yn", "yes", "はい"], ["yn", "no", "いいえ"]],
            header=["type", "name", "label", "relevant", "appearance"],
        )
    ).fields
    assert [(f["type"], f["name"]) for f in fields] == [
        ("single_choice", "employed"),
        ("page", "work"),
        ("text", "employer"),
        ("section", "office"),
        ("text", "city"),
        # A question after the group's end is not on the group's page (nor under its condition).
        ("page", "after_work"),
        ("text", "comment"),
    ]
    assert fields[1]["relevant"] == "${employed} = 'yes'" and "relevant" not in fields[2]
    assert fields[4]["relevant"] == "${employer} != ''"  # a group within a page: a section
    assert check_definition(fields) == []
    cleaned, errors = submit(
        fields, {"employed": "no", "employer": "x", "city": "津市", "comment": "c"}
    )
    assert errors == {} and cleaned == {"employed": "no", "comment": "c"}
    cleaned, _ = submit(fields, {"employed": "yes", "employer": "x", "city": "津市"})
    assert cleaned == {"employed": "yes", "employer": "x", "city": "津市"}


def test_a_page_condition_on_its_own_or_later_questions_is_refused_with_its_row():
    with pytest.raises(XLSFormError) as error:
        read_xlsform(
            workbook(
                [
                    ["begin group", "work", "勤務先", "${employer} != ''"],
                    ["text", "employer", "勤務先名", None],
                    ["end group", None, None, None],
                ],
                header=["type", "name", "label", "relevant"],
            )
        )
    assert error.value.problems == [
        "survey シート 2行目: 式「${employer} != ''」の項目「employer」が前のページにありません。"
    ]


def test_unsupported_rows_are_named():
    with pytest.raises(XLSFormError) as error:
        read_xlsform(
            workbook(
                [
                    ["text", "a", "A"],
                    ["geotrace", "route", "経路"],
                    ["text", "b", "B", None, "no", "pulldata('x', 'y', 'z', 'w')"],
                ]
            )
        )
    assert error.value.problems == [
        "survey シート 3行目: 位置の線(geotrace)には対応していません。",
        "survey シート 4行目: 式「pulldata('x', 'y', 'z', 'w')」は読めません"
        "(関数 pulldata() には対応していません)。",
    ]


@pytest.mark.parametrize(
    ("survey", "choices", "problem"),
    [
        (
            [["integer", "n", "N", None, "no", None, "${missing} > 1"]],
            [],
            "survey シート 2行目: constraint 列の「${missing}」にあたる項目が survey シートにありません。",
        ),
        (
            [["text", "n", "氏名"], ["text", "n", "住所"]],
            [],
            "survey シート 3行目: 項目名(name)「n」が重複しています。同じグループの中では項目名を1つずつにしてください。",
        ),
        (
            [["text", "first name", "氏名"]],
            [],
            "survey シート 2行目: name 列の値が使えません。英字か _ で始め、英数字・_・-・. だけで書いてください。",
        ),
        (
            [["begin_group", "g", "G"], ["text", "n", "氏名"]],
            [],
            "survey シート 2行目: begin_group「g」に対応する end_group がありません。",
        ),
        (
            [["text", "n", "氏名"], ["end_group", None, None]],
            [],
            "survey シート 3行目: end_group に対応する begin_group がありません。",
        ),
        (
            [["select_one yn", "q", "Q"]],
            [["ab", "a", "A"]],
            "survey シート 2行目: 選択肢リスト「yn」が choices シートにありません。",
        ),
        (
            [["select_one yn", "q", "Q"]],
            [["yn", "1", "はい"], ["yn", "1", "いいえ"]],
            "choices シート 3行目: 選択肢の name が同じリストの中で重複しています。1つずつにしてください。",
        ),
    ],
)
def test_what_pyxform_itself_refuses_is_refused_in_japanese_with_its_row(survey, choices, problem):
    with pytest.raises(XLSFormError) as error:
        read_xlsform(workbook(survey, choices))

    assert error.value.problems == [problem]


@pytest.mark.parametrize(
    ("survey", "header", "problem"),
    [
        (
            [["begin repeat", "data", "世帯員"], ["text", "n", "氏名"], ["end repeat", None, None]],
            None,
            "survey シート 2行目: 繰返しの名前に「data」は使えません(フォーム全体の名前です)。別の名前にしてください。",
        ),
        (
            [["text", "n", "氏名", "rows=3 size=9"]],
            ["type", "name", "label", "parameters"],
            "survey シート 2行目: parameters 列の「size」はこの種類の質問には使えません(使えるのは rows)。",
        ),
        (
            [["range", "n", "満足度", "start=1 end=5 step=1 tick_labelset=stars"]],
            ["type", "name", "label", "parameters"],
            "survey シート 2行目: range の parameters の目盛り(tick_labelset、tick_interval、placeholder)の指定が正しくありません。",
        ),
        (
            [["geopoint", "place", "場所", "capture-accuracy=high"]],
            ["type", "name", "label", "parameters"],
            "survey シート 2行目: parameters 列の capture-accuracy は数値にしてください。",
        ),
        (
            [["text", "n", "氏名", "family"]],
            ["type", "name", "label", "save_to"],
            "survey シート 2行目: エンティティ(entities シート、save_to 列)には対応していません。entities シートと save_to 列を削除してください。",
        ),
    ],
)
def test_more_of_what_pyxform_refuses_is_refused_in_japanese_with_its_row(survey, header, problem):
    with pytest.raises(XLSFormError) as error:
        read_xlsform(workbook(survey, header=header))

    assert error.value.problems == [problem]


def test_a_survey_sheet_without_its_heading_row_is_told_so_not_called_missing():
    book = Workbook()
    book.active.title = "survey"
    book.active.append(["text", "n", "氏名"])
    buffer = io.BytesIO()
    book.save(buffer)

    with pytest.raises(XLSFormError) as error:
        read_xlsform(buffer.getvalue())

    assert error.value.problems == [
        "survey シートの1行目に見出し(type、name、label)がありません。見出しの行を1行目に入れてください。"
    ]


def test_a_heading_given_twice_is_refused_in_japanese():
    with pytest.raises(XLSFormError) as error:
        read_xlsform(
            workbook([["text", "n", "氏名", "名前"]], header=["type", "name", "label", "label"])
        )

    assert error.value.problems == ["見出し「label」の列が2つあります。1つにしてください。"]


def test_a_refusal_pyxform_words_in_a_way_not_known_here_keeps_its_words_after_a_japanese_lead():
    from pyxform.errors import PyXFormError

    from jichitai.procedures.xlsform_errors import problem_text

    assert str(problem_text(PyXFormError("Something new."))) == (
        "XLSForm として正しくありません: Something new."
    )


def test_fields_named_in_japanese_get_names_of_their_own_and_conditions_follow_them():
    imported = read_xlsform(
        workbook(
            [
                ["text", "氏名", "氏名"],
                ["text", "住所", "住所"],
                ["integer", "年齢", "年齢", None, None, "${住所} != ''"],
                ["text", "f_", "備考"],
            ]
        )
    )

    names = [spec["name"] for spec in imported.fields]
    assert len(set(names)) == 4, names
    by_label = {spec["label"]: spec for spec in imported.fields}
    assert by_label["年齢"]["relevant"] == "${" + by_label["住所"]["name"] + "} != ''"
    assert by_label["備考"]["name"] == "f_"


def test_an_old_excel_workbook_is_read_too():
    fields = read_xlsform((CORPUS / "text_and_integer.xls").open("rb")).fields
    assert [f["type"] for f in fields] == ["text", "number"]


def test_a_workbook_without_survey_sheet_is_refused():
    book = Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    with pytest.raises(XLSFormError):
        read_xlsform(buffer)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(
            lambda: with_part_rewritten(
                workbook([["text", "a", "A"]]).getvalue(),
                FIRST_SHEET,
                lambda xml: xml[: len(xml) // 2] + b"<<",
            ),
            id="broken-xml",
        ),
        pytest.param(
            lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, id="ole2-garbage"
        ),
    ],
)
def test_a_damaged_workbook_is_refused_as_unreadable(content):
    """Damaged inside (an .xlsx sheet's XML cut off, an .xls whose OLE2 header leads nowhere):
    the import says the file cannot be read, instead of the job failing on a parser's error."""
    with pytest.raises(XLSFormError) as error:
        read_xlsform(io.BytesIO(content()))

    assert "として読み取れません" in error.value.problems[0]


def test_a_sheet_with_more_rows_than_any_form_needs_is_refused():
    rows = [["text", f"field_{number}", f"項目{number}"] for number in range(MAX_ROWS + 10)]
    with pytest.raises(XLSFormError) as error:
        read_xlsform(workbook(rows))
    assert error.value.problems == [
        f"survey シートの行が多すぎます(最大 {MAX_ROWS:,} 行)。項目を分けて作成してください。"
    ]


def test_a_sheet_claiming_a_million_rows_is_read_quickly_to_its_last_row():
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label"])
    survey.append(["text", "a", "A"])
    survey.cell(row=1_048_576, column=1).value = None
    survey["A1048576"].number_format = "0"
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    assert [f["name"] for f in read_xlsform(buffer).fields] == ["a"]


def test_reading_stops_when_it_takes_too_long():
    rows = [["text", f"field_{number}", f"項目{number}"] for number in range(200)]
    with pytest.raises(XLSFormError) as error:
        read_xlsform(workbook(rows), seconds=0)
    assert error.value.problems == [
        "Excel ファイルの読み取りに時間がかかりすぎたため中止しました。"
        "行や列を減らしてから、もう一度お試しください。"
    ]


def test_a_loop_within_a_page_is_a_section_per_choice_under_the_loops_condition():
    fields = read_xlsform(
        workbook(
            [
                ["begin group", "household", "世帯", None, None],
                ["yes_no", "has_vehicles", "車両をお持ちですか", "yes"],
                [
                    "begin loop over vehicles",
                    "vehicle_counts",
                    "台数",
                    None,
                    None,
                    "${has_vehicles} = 'yes'",
                ],
                ["integer", "total", "%(label)sの台数", None, "yes"],
                ["integer", "working", "うち使用中の%(label)s", None, None, None, ". <= ../total"],
                ["end loop"],
                ["end group"],
            ],
            [["vehicles", "car", "自動車"], ["vehicles", "bike", "オートバイ"]],
        )
    ).fields
    assert [(spec["type"], spec["name"]) for spec in fields] == [
        ("page", "household"),
        ("yes_no", "has_vehicles"),
        ("section", "vehicle_counts_car"),
        ("number", "car_total"),
        ("number", "car_working"),
        ("section", "vehicle_counts_bike"),
        ("number", "bike_total"),
        ("number", "bike_working"),
    ]
    car_total = fields[3]
    assert car_total["label"] == "自動車の台数"
    assert car_total["relevant"] == "${has_vehicles} = 'yes'"
    assert fields[7]["constraint"] == ". <= ${bike_total}"
    _, errors = submit(
        fields,
        {
            "has_vehicles": "yes",
            "car_total": 1,
            "car_working": 1,
            "bike_total": 1,
            "bike_working": 2,
        },
    )
    assert list(errors) == ["bike_working"]
    # Without vehicles, none of the loop's questions is asked, so none is required.
    _, errors = submit(fields, {"has_vehicles": "no"})
    assert errors == {}


def external_workbook(external_rows):
    return workbook(
        [
            ["select_one area", "area", "地域"],
            ["select_one_external area", "town", "市町", "area=${area}"],
        ],
        [["area", "hokusei", "北勢"], ["area", "nansei", "南勢"]],
        header=["type", "name", "label", "choice_filter"],
        sheets={"external_choices": [["list_name", "name", "label", "area"], *external_rows]},
    )


def test_a_select_one_external_takes_its_choices_and_filter_from_the_external_choices_sheet():
    fields = read_xlsform(
        external_workbook(
            [
                ["area", "yokkaichi", "四日市市", "hokusei"],
                ["area", "kuwana", "桑名市", "hokusei"],
                ["area", "owase", "尾鷲市", "nansei"],
            ]
        )
    ).fields
    area, town = fields
    # The choices sheet's own list of the same name is left to the question that names it.
    assert [choice["value"] for choice in area["choices"]] == ["hokusei", "nansei"]
    assert [choice["label"] for choice in town["choices"]] == ["四日市市", "桑名市", "尾鷲市"]
    assert town["choice_filter"] == "area=${area}"
    _, errors = submit(fields, {"area": "hokusei", "town": "owase"})
    assert errors == {"town": ["選択肢から選んでください。"]}
    _, errors = submit(fields, {"area": "nansei", "town": "owase"})
    assert errors == {}


def test_a_value_twice_in_one_external_list_is_refused_with_its_row():
    with pytest.raises(XLSFormError) as refused:
        read_xlsform(
            external_workbook(
                [["area", "kiho", "紀宝町", "nansei"], ["area", "kiho", "紀宝町", "hokusei"]]
            )
        )
    assert refused.value.problems == [
        "external_choices シート 3行目: 選択肢リスト「area」の「kiho」が重複しています。"
        "値は1つずつにしてください。"
    ]
