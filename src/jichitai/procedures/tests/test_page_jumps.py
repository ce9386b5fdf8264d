"""Routing in the builder: a clerk edits a page's condition (``relevant``) and writes "jump to
page N" for some answers, which the builder stores as conditions on the pages in between, so a
jump is decided like any page condition: the resident's pages go straight to page N, the API
takes the same answers, and the answers of the pages jumped over are not stored."""

import pytest
from django.test import Client

from jichitai.procedures import pages, services
from jichitai.procedures.forms import FieldForm
from jichitai.procedures.models import Application, Procedure
from jichitai.procedures.tests.factories import published_procedure

YES_NO = [{"value": "yes", "label": "はい"}, {"value": "no", "label": "いいえ"}]
FIELDS = [
    {
        "name": "has_job",
        "type": "single_choice",
        "label": "仕事",
        "required": True,
        "choices": YES_NO,
    },
    {"name": "job_page", "type": "page", "label": "勤務先"},
    {"name": "employer", "type": "text", "label": "勤務先の名称", "required": True},
    {"name": "income_page", "type": "page", "label": "収入", "relevant": "${has_job} != ''"},
    {"name": "income", "type": "number", "label": "年収(万円)", "required": True},
    {"name": "contact_page", "type": "page", "label": "連絡先"},
    {"name": "email", "type": "email", "label": "メールアドレス", "required": True},
]
JUMP = {
    "action": "jump",
    "jump-source": "1",
    "jump-field": "has_job",
    "jump-values": "いいえ",
    "jump-target": "4",
}


def builder(procedure):
    return f"/s/{procedure.organization.code}/procedures/{procedure.pk}/form/"


def test_a_jump_is_a_condition_on_each_page_in_between_joined_to_its_own():
    jumped = pages.with_jump(FIELDS, source=1, target=4, condition="${has_job} = 'no'")
    assert jumped[1]["relevant"] == "not(${has_job} = 'no')"
    assert jumped[3]["relevant"] == "(${has_job} != '') and not(${has_job} = 'no')"
    assert "relevant" not in jumped[5]
    to_the_end = pages.with_jump(FIELDS, source=2, target=None, condition="${has_job} = 'no'")
    assert "relevant" not in to_the_end[1] and to_the_end[5]["relevant"] == (
        "not(${has_job} = 'no')"
    )
    several = pages.choice_condition({**FIELDS[0], "type": "multiple_choice"}, ["a", "it's"])
    assert several == "selected(${has_job}, 'a') or selected(${has_job}, \"it's\")"


@pytest.mark.django_db
def test_a_clerk_edits_a_pages_condition_next_to_its_field(tsu, tsu_admin, login):
    procedure = published_procedure(tsu, fields=FIELDS)
    client = login(tsu_admin)
    edit = f"{builder(procedure)}1/"
    assert "表示条件(式)" in client.get(edit).content.decode()
    data = {**FieldForm.initial_from(FIELDS[1]), "relevant": "${has_job} = 'yes'"}
    data = {key: value for key, value in data.items() if value is not None and key != "children"}
    assert client.post(edit, data).status_code == 302
    assert Procedure.objects.get(pk=procedure.pk).draft_fields[1]["relevant"] == (
        "${has_job} = 'yes'"
    )
    for bad, message in [
        ("${has_job} = ", "式"),
        ("${email} != ''", "ページの表示条件に使えるのは前のページの項目だけです(「email」)。"),
    ]:
        response = client.post(edit, {**data, "relevant": bad})
        page = response.content.decode()
        assert response.status_code == 422, bad
        assert message in page and 'id="id_relevant_error"' in page
        assert f'value="{bad}"'.replace("'", "&#x27;") in page
    assert Procedure.objects.get(pk=procedure.pk).draft_fields[1]["relevant"] == (
        "${has_job} = 'yes'"
    )


@pytest.mark.django_db
def test_bad_jumps_are_refused_next_to_their_fields(tsu, tsu_admin, login):
    procedure = published_procedure(tsu, fields=FIELDS)
    client = login(tsu_admin)
    response = client.post(
        builder(procedure), {**JUMP, "jump-values": "たぶん", "jump-target": "2"}
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "「仕事」の選択肢にありません: たぶん" in page
    assert "進む先は、飛ばすページがあるように後のページを選んでください。" in page
    assert ">\nたぶん</textarea>" in page
    response = client.post(
        builder(procedure), {**JUMP, "jump-source": "3", "jump-field": "has_job"}
    )
    assert response.status_code == 422  # from page 3 to page 4 skips nothing
    assert Procedure.objects.get(pk=procedure.pk).draft_fields == FIELDS


@pytest.mark.django_db
def test_a_jump_written_in_the_builder_is_followed_on_the_web_and_by_the_api(tsu, tsu_admin, login):
    procedure = published_procedure(tsu, fields=FIELDS)
    staff = login(tsu_admin)
    assert "ページを飛ばす(ジャンプ)" in staff.get(builder(procedure)).content.decode()
    assert staff.post(builder(procedure), JUMP).status_code == 302
    procedure.refresh_from_db()
    assert procedure.draft_fields[1]["relevant"] == "not(${has_job} = 'no')"
    services.publish_procedure(actor=tsu_admin, procedure=procedure)

    resident = Client()
    form = f"/o/{tsu.code}/procedures/{procedure.pk}/"
    response = resident.post(form, {"has_job": "yes", "_action": "next"})
    assert response["Location"] == f"{form}?page=2"
    resident.post(f"{form}?page=2", {"employer": "三重商事", "_action": "next"})
    resident.post(f"{form}?page=3", {"income": "300", "_action": "next"})
    # Changing the answer jumps over pages 2 and 3, which are not stored.
    response = resident.post(form, {"has_job": "no", "_action": "next"})
    assert response["Location"] == f"{form}?page=4"
    assert "ページ 2 / 2" in resident.get(response["Location"]).content.decode()
    response = resident.post(f"{form}?page=4", {"email": "a@example.jp", "_action": "next"})
    assert response["Location"].endswith("/confirm/")
    confirm = resident.get(response["Location"]).content.decode()
    assert "三重商事" not in confirm
    resident.post(response["Location"])
    assert Application.objects.get().data == {"has_job": "no", "email": "a@example.jp"}

    api = f"/api/v1/o/{tsu.code}/procedures/{procedure.pk}/applications"
    body = {"has_job": "no", "employer": "三重商事", "income": 300, "email": "b@example.jp"}
    response = resident.post(api, body, content_type="application/json")
    assert response.status_code == 201
    assert Application.objects.get(data__email="b@example.jp").data == {
        "has_job": "no",
        "email": "b@example.jp",
    }
    refused = resident.post(
        api, {**body, "has_job": "yes", "employer": ""}, content_type="application/json"
    )
    assert refused.status_code == 422 and "employer" in refused.json()["errors"]
