"""Repeating groups (e.g. the children of a household): stored as a list of rows, checked by the one
validator with the row named in each message for every channel, answered on the resident's page
without JavaScript (追加 / 削除 re-render the page with what was typed), listed row by row on the
confirmation page and the inbox, exported as numbered CSV columns and an XLSX sheet, read from and
written back to XLSForm, and added in the builder."""

import csv
import io
import warnings
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import load_workbook

from jichitai.procedures import exports, services
from jichitai.procedures.definitions import build_schema
from jichitai.procedures.models import Application
from jichitai.procedures.tests.factories import published_procedure
from jichitai.procedures.tests.test_xlsform import workbook
from jichitai.procedures.translations import form_languages, translate
from jichitai.procedures.validation import validate_application_data
from jichitai.procedures.xlsform import XLSFormError, read_xlsform
from jichitai.procedures.xlsform_export import write_xlsform
from jichitai.tenancy.models import Role

CORPUS = Path(__file__).parent / "xlsform_corpus" / "files"

HOUSEHOLD = [
    {"name": "head", "type": "text", "label": "世帯主", "required": True},
    {
        "name": "children",
        "type": "repeat",
        "label": "子ども",
        "row_unit": "人",
        "min_repeat": 1,
        "max_repeat": 3,
        "children": [
            {"name": "child_name", "type": "text", "label": "氏名", "required": True},
            {"name": "birth_date", "type": "date", "label": "生年月日", "required": True},
            {
                "name": "school",
                "type": "single_choice",
                "label": "通学",
                "choices": [
                    {"value": "yes", "label": "通っている"},
                    {"value": "no", "label": "いない"},
                ],
            },
        ],
    },
]
TWO_CHILDREN = {
    "head": "三重 一郎",
    "children": [
        {"child_name": "三重 花子", "birth_date": "2018-04-01", "school": "yes"},
        {"child_name": "三重 次郎", "birth_date": "2021-10-10"},
    ],
}


def validate(data, fields=HOUSEHOLD):
    return validate_application_data(fields, build_schema(fields), data)


def test_the_schema_is_an_array_of_rows_within_the_bounds():
    schema = build_schema(HOUSEHOLD)["properties"]["children"]
    assert schema["type"] == "array"
    assert (schema["minItems"], schema["maxItems"]) == (1, 3)
    assert schema["items"]["required"] == ["child_name", "birth_date"]
    assert schema["items"]["additionalProperties"] is False


def test_rows_are_kept_as_a_list_and_messages_name_the_row():
    cleaned, errors = validate(TWO_CHILDREN)
    assert errors == {}
    assert cleaned["children"][1] == {"child_name": "三重 次郎", "birth_date": "2021-10-10"}

    data = {**TWO_CHILDREN, "children": [TWO_CHILDREN["children"][0], {"child_name": "次郎"}]}
    cleaned, errors = validate(data)
    assert errors == {"children.1.birth_date": ["子ども 2 人目: 「生年月日」を入力してください。"]}
    assert "children" not in cleaned

    _, errors = validate({"head": "a", "children": [{"child_name": "a", "birth_date": "あした"}]})
    assert list(errors) == ["children.0.birth_date"]
    assert errors["children.0.birth_date"][0].startswith("子ども 1 人目: ")


def test_the_number_of_rows_is_bounded():
    _, errors = validate({"head": "a", "children": []})
    assert errors == {"children": ["「子ども」を 1 人以上入力してください。"]}
    row = {"child_name": "a", "birth_date": "2020-01-01"}
    _, errors = validate({"head": "a", "children": [row] * 4})
    assert errors == {"children": ["「子ども」は 3 人までです。"]}
    _, errors = validate({"head": "a", "children": {"child_name": "a"}})
    assert errors == {"children": ["「子ども」は一覧(配列)で入力してください。"]}


@pytest.fixture
def household(tsu):
    return published_procedure(tsu, fields=HOUSEHOLD, name="児童手当の申請")


@pytest.mark.django_db
def test_the_api_takes_rows_as_an_array_and_refuses_a_bad_row_by_its_name(tsu, household):
    client = Client()
    url = f"/api/v1/o/{tsu.code}/procedures/{household.pk}/applications"
    bad = {
        **TWO_CHILDREN,
        "children": [{"child_name": "花子", "birth_date": "2018-04-01", "age": 7}],
    }
    response = client.post(url, bad, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "children.0.age": ["子ども 1 人目: この項目はこの手続にありません。"]
    }
    response = client.post(url, TWO_CHILDREN, content_type="application/json")
    assert response.status_code == 201
    assert Application.objects.get().data["children"][0]["school"] == "yes"


def _post(**values):
    return {"head": "三重 一郎", "_action": "confirm", **values}


@pytest.mark.django_db
def test_rows_are_added_and_removed_without_javascript_keeping_what_was_typed(tsu, household):
    client = Client()
    url = f"/o/{tsu.code}/procedures/{household.pk}/"
    page = client.get(url).content.decode()
    # The fewest rows are there from the start, each named for assistive technology.
    assert page.count('name="children.row"') == 1 + 1  # one row and the script's template
    assert "子ども <span data-row-number>1</span> 人目" in page
    assert 'value="repeat_add:children"' in page

    first = {"children.row": ["0"], "children.0.child_name": "三重 花子"}
    page = client.post(url, _post(**first, _action="repeat_add:children")).content.decode()
    assert 'value="三重 花子"' in page and 'value="三重 一郎"' in page
    assert 'name="children.1.child_name"' in page
    assert 'class="button button--danger" data-repeat-remove' in page

    two = {
        "children.row": ["0", "1"],
        "children.0.child_name": "三重 花子",
        "children.1.child_name": "三重 次郎",
    }
    page = client.post(url, _post(**two, _action="repeat_remove:children:0")).content.decode()
    assert 'value="三重 次郎"' in page and 'value="三重 花子"' not in page
    assert 'name="children.1.child_name"' not in page


@pytest.mark.django_db
def test_a_bad_row_is_explained_next_to_its_input_and_the_rows_are_confirmed_and_stored(
    tsu, household, django_capture_on_commit_callbacks
):
    client = Client()
    url = f"/o/{tsu.code}/procedures/{household.pk}/"
    rows = {
        "children.row": ["0", "1"],
        "children.0.child_name": "三重 花子",
        "children.0.birth_date": "平成30年4月1日",
        "children.0.school": "yes",
        "children.1.child_name": "三重 次郎",
    }
    response = client.post(url, _post(**rows))
    assert response.status_code == 422
    page = response.content.decode()
    message = "子ども 2 人目: 「生年月日」を入力してください。"
    # In the error summary, linked to the input, and beside the input itself.
    assert f'<a href="#field-children.1.birth_date">{message}</a>' in page
    assert 'id="field-children.1.birth_date-error"' in page
    assert 'aria-describedby="field-children.1.birth_date-error"' in page
    assert 'value="三重 次郎"' in page

    response = client.post(url, _post(**rows, **{"children.1.birth_date": "2021-10-10"}))
    assert response.status_code == 302
    confirm = client.get(response["Location"]).content.decode()
    assert "子ども 1 人目: 氏名</dt><dd>三重 花子" in confirm
    assert "子ども 2 人目: 生年月日</dt><dd>令和3年10月10日" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"])
    assert Application.objects.get().data == {
        "head": "三重 一郎",
        "children": [
            {"child_name": "三重 花子", "birth_date": "2018-04-01", "school": "yes"},
            {"child_name": "三重 次郎", "birth_date": "2021-10-10"},
        ],
    }


@pytest.fixture
def two_applications(household):
    services.submit_application(procedure=household, data=TWO_CHILDREN)
    one_child = {
        "head": "津 太郎",
        "children": [{"child_name": "津 一", "birth_date": "2019-01-02"}],
    }
    services.submit_application(procedure=household, data=one_child)
    return list(Application.objects.order_by("pk"))


@pytest.mark.django_db
def test_a_csv_has_one_line_per_application_with_numbered_columns(household, two_applications):
    header, rows = exports.application_table(household, two_applications)
    assert header[5:] == [
        "世帯主",
        *[f"子ども{n}_{label}" for n in (1, 2, 3) for label in ("氏名", "生年月日", "通学")],
    ]
    assert len(rows) == 2
    assert rows[0][6:12] == [
        "三重 花子",
        "平成30年4月1日",
        "通っている",
        "三重 次郎",
        "令和3年10月10日",
        "",
    ]
    assert rows[1][6:] == ["津 一", "平成31年1月2日", ""] + [""] * 6


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
def test_an_xlsx_has_a_sheet_per_repeat_with_the_receipt_number_and_row(
    tsu, household, two_applications, make_member, login
):
    client = login(make_member(tsu, Role.CLERK, division=household.division))
    response = client.get(f"/s/{tsu.code}/procedures/{household.pk}/export/?format=xlsx")
    book = load_workbook(io.BytesIO(_body(response)))
    assert book.sheetnames == ["児童手当の申請", "子ども"]
    assert [c.value for c in book["児童手当の申請"][1]] == [
        "受付番号",
        "受付日時",
        "受付経路",
        "状態",
        "人数",
        "世帯主",
    ]
    rows = [[c.value for c in row] for row in book["子ども"].iter_rows()]
    first, second = (application.receipt_number for application in two_applications)
    assert rows == [
        ["受付番号", "行番号", "氏名", "生年月日", "通学"],
        [first, 1, "三重 花子", "平成30年4月1日", "通っている"],
        [first, 2, "三重 次郎", "令和3年10月10日", None],
        [second, 1, "津 一", "平成31年1月2日", None],
    ]

    csv_response = client.get(f"/s/{tsu.code}/procedures/{household.pk}/export/?format=csv")
    text = _body(csv_response).decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text)))[6] == "子ども1_氏名"


@pytest.mark.django_db
def test_the_inbox_shows_each_row(tsu, household, two_applications, make_member, login):
    client = login(make_member(tsu, Role.CLERK, division=household.division))
    page = client.get(f"/s/{tsu.code}/inbox/{two_applications[0].pk}/").content.decode()
    assert "子ども 2 人目: 氏名" in page and "三重 次郎" in page


def _read(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_xlsform((CORPUS / name).open("rb"), seconds=600).fields


def test_xlsforms_household_tutorial_imports_its_repeat_with_the_rows_own_conditions():
    fields = _read("tutorial.xls")
    member = fields[0]
    assert member["type"] == "repeat" and member["label"] == "Household Member or Visitor"
    assert [child["name"] for child in member["children"]][:3] == [
        "name",
        "relationship_to_household_head",
        "sex",
    ]
    adult = {"name": "Ana", "sex": "female", "older_than_five": "yes", "age_in_years": 30}
    cleaned, errors = validate({"member": [adult, {"name": "Bo", "older_than_five": "no"}]}, fields)
    assert errors == {}
    # The relevant of a row reads that row: a child is not asked for years.
    assert cleaned["member"][1] == {"name": "Bo", "older_than_five": "no"}
    _, errors = validate({"member": [{**adult, "age_in_years": 3}]}, fields)
    assert list(errors) == ["member.0.age_in_years"]


@pytest.mark.django_db
def test_the_api_refuses_a_row_that_breaks_the_tutorials_constraint(tsu):
    procedure = published_procedure(tsu, fields=_read("tutorial.xls"))
    url = f"/api/v1/o/{tsu.code}/procedures/{procedure.pk}/applications"
    child = {"name": "Bo", "sex": "male", "older_than_five": "no", "age_in_months": 80}
    response = Client().post(url, {"member": [child]}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "member.0.age_in_months": [
            "Household Member or Visitor 1 件目: 入力内容が条件に合いません。"
        ]
    }
    child["age_in_months"] = 40
    response = Client().post(url, {"member": [child]}, content_type="application/json")
    assert response.status_code == 201


def test_a_rows_fields_are_shown_in_the_residents_language():
    fields = [
        HOUSEHOLD[0],
        {
            **HOUSEHOLD[1],
            "translations": {"pt": {"label": "Filhos"}},
            "children": [
                {**HOUSEHOLD[1]["children"][0], "translations": {"pt": {"label": "Nome"}}}
            ],
        },
    ]
    assert form_languages(fields) == [("ja", "日本語"), ("pt", "Português")]
    shown = translate(fields, "pt")[1]
    assert (shown["label"], shown["children"][0]["label"]) == ("Filhos", "Nome")


def test_a_repeat_count_fixes_the_number_of_rows():
    fields = _read("repeat_date_test.xls")
    repeat = next(spec for spec in fields if spec["type"] == "repeat")
    assert (repeat["min_repeat"], repeat["max_repeat"]) == (1, 1)
    assert not any(spec["name"].endswith("_count") for spec in fields)  # pyxform's own helper


def test_a_count_from_an_answer_asks_for_that_many_rows_and_nested_repeats_are_refused():
    fields = read_xlsform(
        workbook(
            [
                ["integer", "n", "子どもの人数"],
                ["begin repeat", "kids", "子ども", "${n}"],
                ["text", "kid", "氏名"],
                ["end repeat"],
            ],
            header=["type", "name", "label", "repeat_count"],
        )
    ).fields
    assert fields[1]["repeat_count"] == "${n}"
    _, errors = validate({"n": 2, "kids": [{"kid": "a"}]}, fields)
    assert errors == {"kids": ["「子ども」は 2 件分を入力してください。"]}

    with pytest.raises(XLSFormError) as refused:
        read_xlsform(
            workbook(
                [
                    ["begin repeat", "kids", "子ども"],
                    ["begin repeat", "toys", "おもちゃ"],
                    ["text", "toy", "名前"],
                    ["end repeat"],
                    ["end repeat"],
                ],
                header=["type", "name", "label"],
            )
        )
    assert refused.value.problems == [
        "survey シート 3行目: 繰返しの中の繰返しには対応していません。"
    ]


def test_a_row_expression_may_not_read_answers_outside_its_row():
    with pytest.raises(XLSFormError) as refused:
        read_xlsform(
            workbook(
                [
                    ["integer", "n", "人数"],
                    ["begin repeat", "kids", "子ども"],
                    ["text", "kid", "氏名", "${n} > 0"],
                    ["end repeat"],
                ],
                header=["type", "name", "label", "relevant"],
            )
        )
    assert "同じ行の項目だけを参照できます" in refused.value.problems[0]
    assert refused.value.problems[0].startswith("survey シート 4行目")


def test_the_xlsform_export_writes_repeats_back_with_their_bounds():
    assert read_xlsform(io.BytesIO(write_xlsform(HOUSEHOLD))).fields == HOUSEHOLD
    # A field outside the rows may have the name and another list of choices.
    school = {**HOUSEHOLD[1]["children"][2], "choices": [{"value": "a", "label": "A"}]}
    same_names = [*HOUSEHOLD, school]
    assert read_xlsform(io.BytesIO(write_xlsform(same_names))).fields == same_names
    fixed = [HOUSEHOLD[0], {**HOUSEHOLD[1], "min_repeat": 2, "max_repeat": 2}]
    survey = load_workbook(io.BytesIO(write_xlsform(fixed)))["survey"]
    header = [cell.value for cell in survey[1]]
    begin = next(row for row in survey.iter_rows(values_only=True) if row[0] == "begin repeat")
    assert begin[header.index("repeat_count")] == "2"
    assert read_xlsform(io.BytesIO(write_xlsform(fixed))).fields == fixed


@pytest.mark.django_db
def test_a_clerk_adds_a_repeat_in_the_builder(tsu, make_member, login):
    procedure = published_procedure(tsu, fields=[HOUSEHOLD[0]])
    client = login(make_member(tsu, Role.CLERK, division=procedure.division))
    url = f"/s/{tsu.code}/procedures/{procedure.pk}/form/"
    assert "繰り返す項目" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "label": "子ども",
            "name": "children",
            "type": "repeat",
            "children": "child_name|text|氏名|必須\nschool|single_choice|通学||yes,no",
            "min_repeat": "1",
            "max_repeat": "4",
            "row_unit": "人",
        },
    )
    assert response.status_code == 302
    procedure.refresh_from_db()
    repeat = procedure.draft_fields[1]
    assert repeat["type"] == "repeat" and (repeat["min_repeat"], repeat["max_repeat"]) == (1, 4)
    assert repeat["children"] == [
        {"name": "child_name", "type": "text", "label": "氏名", "required": True},
        {
            "name": "school",
            "type": "single_choice",
            "label": "通学",
            "choices": [{"value": "yes", "label": "yes"}, {"value": "no", "label": "no"}],
        },
    ]

    assert "1〜4 人: 氏名・通学" in client.get(url).content.decode()

    response = client.post(
        url, {"label": "孫", "type": "repeat", "children": "名前だけ", "max_repeat": "2"}
    )
    assert response.status_code == 422
    assert "1行目: 「項目名|種類|見出し」の形で書いてください。" in response.content.decode()


@pytest.mark.django_db
def test_a_returned_application_is_corrected_row_by_row(tsu, household, tsu_clerk):
    application = services.submit_application(procedure=household, data=TWO_CHILDREN).application
    services.change_status(
        actor=tsu_clerk, application=application, to_status="returned", message="3人目は?"
    )
    client = Client()
    url = f"/o/{tsu.code}/status/{application.receipt_number}/{application.status_token}/"
    page = client.get(url).content.decode()
    assert 'value="三重 次郎"' in page and 'name="children.1.birth_date"' in page
    rows = {
        "head": "三重 一郎",
        "children.row": ["0", "1"],
        "children.0.child_name": "三重 花子",
        "children.0.birth_date": "2018-04-01",
        "children.1.child_name": "三重 次郎",
        "children.1.birth_date": "2021-10-10",
    }
    page = client.post(url, {**rows, "_action": "repeat_add:children"}).content.decode()
    assert 'name="children.2.child_name"' in page and 'value="三重 次郎"' in page
    third = {"children.row": ["0", "1", "2"], "children.2.child_name": "三重 三郎"}
    response = client.post(url, {**rows, **third, "_action": "resubmit"})
    assert response.status_code == 422
    assert "子ども 3 人目: 「生年月日」を入力してください。" in response.content.decode()
    third["children.2.birth_date"] = "令和6年1月1日"
    assert client.post(url, {**rows, **third, "_action": "resubmit"}).status_code == 302
    application.refresh_from_db()
    assert [row["child_name"] for row in application.data["children"]] == [
        "三重 花子",
        "三重 次郎",
        "三重 三郎",
    ]
