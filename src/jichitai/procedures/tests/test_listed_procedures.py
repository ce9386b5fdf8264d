"""A procedure meant for a few people (a survey of staff, a seminar for 市町 officials, a council's
follow-up questionnaire) is open to whoever has its link but is not offered to residents: the
prefecture-wide finder, the organization's page and list, and the public API's list leave it out."""

import json

import pytest
from django.test import Client

from jichitai.procedures.models import Application, Procedure
from jichitai.procedures.tests.factories import event_data, published_procedure


@pytest.fixture
def staff_survey(tsu):
    return published_procedure(tsu, name="職員向けアンケート", listed=False)


@pytest.fixture
def lecture(tsu):
    return published_procedure(tsu, name="市民向け講座")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/procedures/", "/o/242012/", "/o/242012/procedures/", "/api/v1/o/242012/procedures"]
)
def test_an_unlisted_procedure_is_left_out_of_every_public_list(path, staff_survey, lecture):
    response = Client().get(path)
    if path.startswith("/api/"):
        page = json.dumps(response.json(), ensure_ascii=False)
    else:
        page = response.content.decode()
    assert "市民向け講座" in page
    assert "職員向けアンケート" not in page


@pytest.mark.django_db
def test_an_unlisted_procedure_is_open_to_whoever_has_its_link(staff_survey, tsu):
    client = Client()
    url = f"/o/{tsu.code}/procedures/{staff_survey.pk}/"
    assert "職員向けアンケート" in client.get(url).content.decode()
    data = event_data()
    response = client.post(
        url,
        {
            "applicant__family": data["applicant"]["family"],
            "applicant__given": data["applicant"]["given"],
            "applicant__family_kana": data["applicant"]["family_kana"],
            "applicant__given_kana": data["applicant"]["given_kana"],
            "email": data["email"],
            "participants": "1",
            "agree": "on",
            "_action": "confirm",
        },
        follow=True,
    )
    assert response.status_code == 200 and "送信する" in response.content.decode()


@pytest.mark.django_db
def test_staff_choose_whether_residents_are_offered_it(tsu, tsu_admin, login, lecture):
    client = login(tsu_admin)
    page = client.get(f"/s/{tsu.code}/procedures/{lecture.pk}/edit/").content.decode()
    assert 'name="listed"' in page and "住民向けの手続の一覧に載せる" in page
    assert Procedure._meta.get_field("listed").default is True
    assert Application.objects.count() == 0
