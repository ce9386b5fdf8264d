"""A repeating group on a page: asked and stored only when its page is asked, its rows checked
by the one validator when it is; 追加 / 削除 keep the resident on that page, a row's error is shown
on it, and the confirmation lists the rows under the page. XLSForm reads a top-level group as a
page and a ``begin repeat`` as a repeat (a repeat at the top is not a page), and the export
writes both back."""

import copy
import io

import pytest
from django.test import Client

from jichitai.procedures import pages
from jichitai.procedures.definitions import build_schema
from jichitai.procedures.models import Application
from jichitai.procedures.tests.factories import published_procedure
from jichitai.procedures.tests.test_xlsform import workbook
from jichitai.procedures.validation import validate_application_data
from jichitai.procedures.xlsform import read_xlsform
from jichitai.procedures.xlsform_export import write_xlsform
from jichitai.tenancy.models import Role

CHILDREN = {
    "name": "children",
    "type": "repeat",
    "label": "子ども",
    "row_unit": "人",
    "min_repeat": 1,
    "max_repeat": 3,
    "children": [
        {"name": "child_name", "type": "text", "label": "氏名", "required": True},
        {"name": "birth_date", "type": "date", "label": "生年月日", "required": True},
    ],
}
# 世帯 → (子どもがいるときだけ) お子さん(繰返し)→ 連絡先
HOUSEHOLD = [
    {"name": "head", "type": "text", "label": "世帯主", "required": True},
    {
        "name": "has_children",
        "type": "single_choice",
        "label": "同居のお子さん",
        "required": True,
        "choices": [{"value": "yes", "label": "いる"}, {"value": "no", "label": "いない"}],
    },
    {
        "name": "children_page",
        "type": "page",
        "label": "お子さんのこと",
        "relevant": "${has_children} = 'yes'",
    },
    CHILDREN,
    {"name": "contact_page", "type": "page", "label": "連絡先"},
    {"name": "email", "type": "email", "label": "メールアドレス", "required": True},
]
ROWS = [
    {"child_name": "三重 花子", "birth_date": "2018-04-01"},
    {"child_name": "三重 次郎", "birth_date": "2021-10-10"},
]


def validate(data, fields=HOUSEHOLD):
    return validate_application_data(fields, build_schema(fields), data)


class TestARepeatOnAConditionalPage:
    def test_a_skipped_page_keeps_no_rows_and_requires_none(self):
        answers = {"head": "三重 一郎", "email": "a@example.jp", "children": ROWS}
        cleaned, errors = validate({**answers, "has_children": "no"})
        assert errors == {}
        assert "children" not in cleaned
        # Nor does the schema alone ask for rows the page may skip.
        assert "children" not in build_schema(HOUSEHOLD)["required"]
        _, errors = validate({**answers, "has_children": "no", "children": []})
        assert errors == {}

    def test_a_shown_page_checks_its_rows_and_names_the_row(self):
        answers = {"head": "三重 一郎", "has_children": "yes", "email": "a@example.jp"}
        cleaned, errors = validate({**answers, "children": ROWS})
        assert errors == {} and cleaned["children"] == ROWS
        _, errors = validate({**answers, "children": [ROWS[0], {"child_name": "三重 次郎"}]})
        assert errors == {
            "children.1.birth_date": ["子ども 2 人目: 「生年月日」を入力してください。"]
        }
        # The row's error belongs to the page of the repeat.
        form_pages = pages.split(HOUSEHOLD)
        assert pages.first_with_errors(form_pages, answers, errors) == form_pages[1]


@pytest.fixture
def household(tsu):
    return published_procedure(tsu, fields=HOUSEHOLD, name="児童手当の申請")


def url(tsu, procedure, query=""):
    return f"/o/{tsu.code}/procedures/{procedure.pk}/{query}"


@pytest.mark.django_db
def test_the_resident_fills_rows_on_their_page_without_javascript(
    tsu, household, django_capture_on_commit_callbacks
):
    client = Client()
    response = client.post(
        url(tsu, household), {"head": "三重 一郎", "has_children": "yes", "_action": "next"}
    )
    second = url(tsu, household, "?page=2")
    assert response["Location"] == second
    page = client.get(second).content.decode()
    assert "ページ 2 / 3" in page and 'value="repeat_add:children"' in page

    # 追加 comes back on the same page with what was typed.
    one = {"children.row": ["0"], "children.0.child_name": "三重 花子"}
    response = client.post(second, {**one, "_action": "repeat_add:children"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "ページ 2 / 3" in page and "お子さんのこと" in page and "世帯主" not in page
    assert 'value="三重 花子"' in page and 'name="children.1.child_name"' in page

    # A row's error is shown on this page, the row named, the input kept.
    two = {
        "children.row": ["0", "1"],
        "children.0.child_name": "三重 花子",
        "children.0.birth_date": "平成30年4月1日",
        "children.1.child_name": "三重 次郎",
    }
    response = client.post(second, {**two, "_action": "next"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "子ども 2 人目: 「生年月日」を入力してください。" in page
    assert 'value="三重 次郎"' in page

    response = client.post(
        second, {**two, "children.1.birth_date": "2021-10-10", "_action": "next"}
    )
    assert response["Location"] == url(tsu, household, "?page=3")
    response = client.post(response["Location"], {"email": "a@example.jp", "_action": "next"})
    confirm = client.get(response["Location"]).content.decode()
    section = confirm[confirm.index("お子さんのこと") : confirm.index("連絡先")]
    assert "子ども 1 人目: 氏名</dt><dd>三重 花子" in section
    assert "子ども 2 人目: 生年月日</dt><dd>令和3年10月10日" in section

    # No children after all: the rows typed on the skipped page are not stored.
    client.post(url(tsu, household), {"head": "三重 一郎", "has_children": "no", "_action": "next"})
    confirm_url = response["Location"]
    assert "子ども 1 人目" not in client.get(confirm_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_url)
    assert Application.objects.get().data == {
        "head": "三重 一郎",
        "has_children": "no",
        "email": "a@example.jp",
    }


def test_xlsform_reads_a_group_as_a_page_and_a_repeat_as_a_repeat_even_at_the_top():
    fields = read_xlsform(
        workbook(
            [
                ["text", "head", "世帯主"],
                ["begin repeat", "pets", "ペット"],
                ["text", "pet_name", "名前"],
                ["end repeat"],
                ["begin group", "kids", "お子さんのこと", "${head} != ''"],
                ["begin repeat", "children", "子ども"],
                ["text", "child_name", "氏名"],
                ["end repeat"],
                ["end group"],
            ],
            header=["type", "name", "label", "relevant"],
        )
    ).fields
    assert [(spec["name"], spec["type"]) for spec in fields] == [
        ("head", "text"),
        ("pets", "repeat"),
        ("kids", "page"),
        ("children", "repeat"),
    ]
    assert [child["name"] for child in fields[3]["children"]] == ["child_name"]
    assert [sorted(page.names) for page in pages.split(fields)] == [
        ["head", "pets"],
        ["children"],
    ]


def test_pages_and_repeats_come_back_the_same_from_the_xlsform_export():
    fields = copy.deepcopy(HOUSEHOLD)
    again = read_xlsform(io.BytesIO(write_xlsform(fields))).fields
    assert again == fields
    # A repeat before any page stays at the top, not a page of its own.
    top = [CHILDREN, *HOUSEHOLD[4:]]
    assert read_xlsform(io.BytesIO(write_xlsform(top))).fields == top


@pytest.mark.django_db
def test_the_builders_preview_shows_the_repeat_on_its_page(tsu, household, make_member, login):
    client = login(make_member(tsu, Role.MANAGER))
    preview = client.get(f"/s/{tsu.code}/procedures/{household.pk}/preview/").content.decode()
    second = preview[preview.index("ページ 2 / 3") : preview.index("ページ 3 / 3")]
    assert "子ども <span data-row-number>1</span> 人目" in second
    assert 'value="repeat_add:children"' in second
    assert (
        "子ども <span data-row-number>1</span> 人目" not in preview[: preview.index("ページ 2 / 3")]
    )
