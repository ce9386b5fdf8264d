"""Forms in pages: a page field starts a page, its condition skips it ("jump"), the answers of
a skipped page are not stored on any channel; the resident goes page by page without
JavaScript (one POST per page, 戻る keeps what was typed), sees where they are (ページ 2 / 3),
and corrects a page from the confirmation; the clerk inserts a page break with its condition
and previews each page."""

import copy
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jichitai.core.tests.samples import pdf_bytes
from jichitai.procedures import pages
from jichitai.procedures.definitions import asked_names, build_schema, check_definition
from jichitai.procedures.models import Application, Procedure
from jichitai.procedures.tests.factories import published_procedure
from jichitai.procedures.validation import validate_application_data
from jichitai.procedures.xlsform import read_xlsform
from jichitai.procedures.xlsform_export import write_xlsform
from jichitai.tenancy.models import Role

YES_NO = [{"value": "yes", "label": "いる"}, {"value": "no", "label": "いない"}]

# 世帯 → (子どもがいるときだけ) お子さん → 連絡先
HOUSEHOLD = [
    {"name": "applicant", "type": "text", "label": "申請者の氏名", "required": True},
    {
        "name": "has_children",
        "type": "single_choice",
        "label": "同居のお子さん",
        "required": True,
        "choices": YES_NO,
    },
    {
        "name": "children_page",
        "type": "page",
        "label": "お子さんのこと",
        "show_if": {"field": "has_children", "values": ["yes"]},
    },
    {
        "name": "children",
        "type": "number",
        "label": "お子さんの人数",
        "required": True,
        "minimum": 1,
    },
    {"name": "school", "type": "text", "label": "学校名"},
    {"name": "contact_page", "type": "page", "label": "連絡先"},
    {"name": "email", "type": "email", "label": "メールアドレス", "required": True},
]


def validate(fields, data):
    return validate_application_data(fields, build_schema(fields), data)


class TestPagesOfAForm:
    def test_page_fields_split_a_form_and_the_fields_before_the_first_are_page_one(self):
        form_pages = pages.split(HOUSEHOLD)
        assert [(p.number, p.title, sorted(p.names)) for p in form_pages] == [
            (1, "", ["applicant", "has_children"]),
            (2, "お子さんのこと", ["children", "school"]),
            (3, "連絡先", ["email"]),
        ]
        assert form_pages[1].earlier == {"applicant", "has_children"}
        assert [p.number for p in pages.split(HOUSEHOLD[:2])] == [1]  # no page field: one page

    def test_a_page_whose_condition_fails_is_skipped_and_the_count_follows_the_answers(self):
        form_pages = pages.split(HOUSEHOLD)
        first, children, contact = form_pages
        without = {"applicant": "三重", "has_children": "no"}
        assert pages.following(form_pages, first, without) == contact
        assert pages.preceding(form_pages, contact, without) == first
        assert pages.progress(form_pages, contact, without) == (2, 2)
        with_children = {**without, "has_children": "yes"}
        assert pages.following(form_pages, first, with_children) == children
        assert pages.progress(form_pages, contact, with_children) == (3, 3)
        assert pages.progress(form_pages, first, {}) == (1, 2)

    def test_a_skipped_pages_answers_are_not_kept_nor_its_questions_required(self):
        data = {"applicant": "三重", "has_children": "no", "children": "3", "school": "x"}
        cleaned, errors = validate(HOUSEHOLD, {**data, "email": "a@example.jp"})
        assert errors == {}
        assert cleaned == {"applicant": "三重", "has_children": "no", "email": "a@example.jp"}
        _, errors = validate(
            HOUSEHOLD, {**data, "has_children": "yes", "children": "", "email": "a@example.jp"}
        )
        assert errors == {"children": ["「お子さんの人数」を入力してください。"]}
        # The schema leaves the conditional page's questions to the validator.
        assert build_schema(HOUSEHOLD)["required"] == ["applicant", "has_children", "email"]

    def test_asked_names_judge_each_field_as_the_validator_did(self):
        cleaned, _ = validate(HOUSEHOLD, {"applicant": "三重", "has_children": "no"})
        assert asked_names(HOUSEHOLD, cleaned) == {
            "applicant",
            "has_children",
            "contact_page",
            "email",
        }

    def test_a_page_condition_must_rest_on_the_pages_before_it(self):
        fields = [
            {"name": "a", "type": "text", "label": "A"},
            {"name": "p", "type": "page", "label": "", "relevant": "${b} = 'x'"},
            {"name": "b", "type": "text", "label": "B"},
        ]
        assert check_definition(fields) == [
            "2番目の項目「p」: ページの表示条件に使えるのは前のページの項目だけです(「b」)。"
        ]
        fields[1]["relevant"] = "${a} = 'x'"
        assert check_definition(fields) == []  # and an untitled page is fine

    def test_pages_and_sections_come_back_the_same_from_the_xlsform_export(self):
        fields = copy.deepcopy(
            [{"name": "intro", "type": "section", "label": "はじめに"}, *HOUSEHOLD]
        )
        del fields[3]["show_if"], fields[4]["minimum"]  # (written back as a constraint)
        fields[3]["relevant"] = "${has_children} = 'yes'"
        again = read_xlsform(io.BytesIO(write_xlsform(fields))).fields
        # The heading before any page is put on an untitled page of its own, as XLSForm would.
        assert again[0] == {"name": "page_1", "type": "page", "label": ""}
        assert again[1:] == [{k: v for k, v in f.items() if v is not False} for f in fields]
        assert read_xlsform(io.BytesIO(write_xlsform(again))).fields == again


@pytest.fixture
def household(tsu):
    return published_procedure(tsu, fields=HOUSEHOLD, name="児童手当の相談")


def url(tsu, procedure, query=""):
    return f"/o/{tsu.code}/procedures/{procedure.pk}/{query}"


@pytest.mark.django_db
class TestTheResidentGoesPageByPage:
    """Plain POSTs, as a browser without JavaScript sends them."""

    def test_routing_back_and_confirmation_grouped_by_page(self, tsu, household):
        client = Client()
        first = client.get(url(tsu, household)).content.decode()
        assert "ページ 1 / 2" in first and "次へ" in first and 'value="back"' not in first
        response = client.post(
            url(tsu, household),
            {"applicant": "三重 花子", "has_children": "yes", "_action": "next"},
        )
        assert response.status_code == 302 and response["Location"] == url(
            tsu, household, "?page=2"
        )
        second = client.get(response["Location"]).content.decode()
        assert "ページ 2 / 3" in second and "お子さんのこと" in second and 'value="back"' in second
        assert "申請者の氏名" not in second  # only this page's questions

        # Errors of this page only, input kept.
        response = client.post(
            url(tsu, household, "?page=2"),
            {"children": "", "school": "津小学校", "_action": "next"},
        )
        page = response.content.decode()
        assert response.status_code == 422
        assert "「お子さんの人数」を入力してください。" in page and 'value="津小学校"' in page
        assert 'id="field-email"' not in page

        # 戻る keeps what was typed, even unchecked, on both pages.
        response = client.post(
            url(tsu, household, "?page=2"), {"children": "2", "school": "津小", "_action": "back"}
        )
        assert response["Location"] == url(tsu, household)
        assert 'value="三重 花子"' in client.get(url(tsu, household)).content.decode()
        assert 'value="2"' in client.get(url(tsu, household, "?page=2")).content.decode()

        # No children after all: the flow jumps over page 2 and its answers are not stored.
        response = client.post(
            url(tsu, household),
            {"applicant": "三重 花子", "has_children": "no", "_action": "next"},
        )
        assert response["Location"] == url(tsu, household, "?page=3")
        third = client.get(response["Location"]).content.decode()
        assert "ページ 2 / 2" in third and "入力内容を確認する" in third
        response = client.post(
            url(tsu, household, "?page=3"), {"email": "hanako@example.jp", "_action": "next"}
        )
        assert response["Location"].endswith("/confirm/")
        confirm = client.get(response["Location"]).content.decode()
        assert "お子さんのこと" not in confirm and "津小" not in confirm
        assert confirm.count(">修正<") == 2
        assert f'href="{url(tsu, household, "?page=3&amp;return=confirm")}"' in confirm

        # 修正 from the confirmation: back to it once the page is answered.
        edit = client.get(url(tsu, household, "?page=3&return=confirm")).content.decode()
        assert 'name="_return" value="confirm"' in edit
        response = client.post(
            url(tsu, household, "?page=3&return=confirm"),
            {"email": "hanako2@example.jp", "_return": "confirm", "_action": "next"},
        )
        assert response["Location"].endswith("/confirm/")
        client.post(response["Location"])
        application = Application.objects.get()
        assert application.data == {
            "applicant": "三重 花子",
            "has_children": "no",
            "email": "hanako2@example.jp",
        }

    def test_the_confirmation_sends_back_to_the_first_page_still_unanswered(self, tsu, household):
        client = Client()
        client.post(url(tsu, household), {"applicant": "三重", "has_children": "yes"})
        response = client.get(url(tsu, household, "confirm/"))
        assert response["Location"] == url(tsu, household, "?page=2&check=1")
        page = client.get(response["Location"])
        assert "「お子さんの人数」を入力してください。" in page.content.decode()
        assert page.context["error_count"] == 1

    def test_sending_unfinished_answers_records_nothing_and_shows_the_first_page_unanswered(
        self, tsu, household
    ):
        client = Client()
        client.post(url(tsu, household), {"applicant": "三重", "has_children": "yes"})
        response = client.post(url(tsu, household, "confirm/"))
        assert response["Location"] == url(tsu, household, "?page=2&check=1")
        assert not Application.objects.exists()

    def test_a_post_from_a_page_the_answers_now_skip_changes_nothing(self, tsu, household):
        client = Client()
        client.post(url(tsu, household), {"applicant": "三重", "has_children": "no"})
        response = client.post(url(tsu, household, "?page=2"), {"children": "3"})
        assert response["Location"] == url(tsu, household)
        page = client.get(url(tsu, household)).content.decode()
        assert 'value="三重"' in page

    def test_a_file_on_a_page_the_answers_skip_is_neither_required_nor_kept(self, tsu):
        fields = [
            *HOUSEHOLD[:3],
            {"name": "certificate", "type": "file", "label": "在学証明書", "required": True},
        ]
        procedure = published_procedure(tsu, fields=fields, attachment_kinds=["pdf"])
        client = Client()
        client.post(url(tsu, procedure), {"applicant": "三重", "has_children": "yes"})
        upload = SimpleUploadedFile("在学証明書.pdf", pdf_bytes())
        response = client.post(url(tsu, procedure, "?page=2"), {"certificate": upload})
        assert response["Location"].endswith("/confirm/")
        assert "在学証明書.pdf" in client.get(response["Location"]).content.decode()
        client.post(url(tsu, procedure), {"applicant": "三重", "has_children": "no"})
        client.post(url(tsu, procedure, "confirm/"))
        application = Application.objects.get()
        assert application.data == {"applicant": "三重", "has_children": "no"}
        assert not application.files.exists()

    def test_a_form_without_pages_is_one_page_as_before(self, tsu):
        procedure = published_procedure(tsu, fields=HOUSEHOLD[:2])
        client = Client()
        page = client.get(url(tsu, procedure)).content.decode()
        assert "ページ 1" not in page and "入力内容を確認する" in page
        response = client.post(
            url(tsu, procedure), {"applicant": "三重", "has_children": "no", "_action": "confirm"}
        )
        assert response["Location"].endswith("/confirm/")


@pytest.mark.django_db
def test_the_api_takes_the_whole_answer_set_and_skips_as_the_pages_do(tsu, household):
    client = Client()
    api = f"/api/v1/o/{tsu.code}/procedures/{household.pk}/applications"
    body = {"applicant": "三重", "has_children": "no", "children": 0, "email": "a@example.jp"}
    response = client.post(api, body, content_type="application/json")
    assert response.status_code == 201
    assert Application.objects.get().data == {
        "applicant": "三重",
        "has_children": "no",
        "email": "a@example.jp",
    }
    body["has_children"] = "yes"
    response = client.post(api, body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"] == {"children": ["1以上の値を入力してください。"]}


@pytest.mark.django_db
def test_a_clerk_inserts_a_page_break_with_a_condition_and_previews_each_page(
    tsu, make_member, login
):
    procedure = published_procedure(tsu, fields=HOUSEHOLD[:2])
    client = login(make_member(tsu, Role.MANAGER))
    builder = f"/s/{tsu.code}/procedures/{procedure.pk}/form/"
    response = client.post(
        builder,
        {
            "action": "add",
            "label": "お子さんのこと",
            "type": "page",
            "show_if_field": "has_children",
            "show_if_values": "yes",
        },
    )
    assert response.status_code == 302
    client.post(builder, {"action": "add", "label": "お子さんの人数", "type": "number"})
    procedure = Procedure.objects.get(pk=procedure.pk)
    assert procedure.draft_fields[2] == {
        "name": "field_1",
        "type": "page",
        "label": "お子さんのこと",
        "help": "",
        "required": False,
        "show_if": {"field": "has_children", "values": ["yes"]},
    }
    assert "ページ区切り" in client.get(builder).content.decode()
    preview = client.get(f"/s/{tsu.code}/procedures/{procedure.pk}/preview/").content.decode()
    assert "ページ 1 / 2" in preview and "ページ 2 / 2" in preview
    assert "「同居のお子さん」で「いる」を選んだ方のみお答えください。" in preview
