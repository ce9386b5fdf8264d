"""The staff's digest of new and resubmitted applications: to the division owning the procedure,
one mail per person per run, nothing when nothing is new, and each person may turn it off."""

import pytest
from django.core import mail

from jichitai.procedures import services
from jichitai.procedures.digest import send_staff_digest
from jichitai.procedures.models import ApplicationEvent
from jichitai.procedures.tests.factories import event_data, published_procedure
from jichitai.tenancy.models import Role
from jichitai.tenancy.tests.factories import DivisionFactory


@pytest.fixture
def division_staff(tsu, make_member):
    division = DivisionFactory(organization=tsu, name="市民課")
    clerk = make_member(tsu, Role.CLERK, division=division)
    colleague = make_member(tsu, Role.CLERK, division=division)
    elsewhere = make_member(tsu, Role.CLERK, division=DivisionFactory(organization=tsu))
    viewer = make_member(tsu, Role.VIEWER, division=division)
    return division, clerk, colleague, elsewhere, viewer


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.JICHITAI_BASE_URL = "https://shinsei.example.jp"


@pytest.mark.django_db
class TestStaffDigest:
    def test_one_mail_per_person_grouped_by_procedure_and_nothing_twice(self, tsu, division_staff):
        # Not told: staff of another division, and a viewer of this one.
        division, clerk, colleague, _elsewhere, _viewer = division_staff
        lecture = published_procedure(tsu, division=division, name="市民講座")
        tour = published_procedure(tsu, division=division, name="施設見学")
        received = [
            services.submit_application(procedure=p, data=event_data(n)).application
            for n, p in enumerate([lecture, lecture, tour])
        ]
        mail.outbox.clear()

        assert send_staff_digest() == {"events": 3, "mails": 2}
        assert sorted(m.to[0] for m in mail.outbox) == sorted([clerk.email, colleague.email])
        body = mail.outbox[0].body
        assert "市民講座(2 件)" in body and "施設見学(1 件)" in body
        assert f"https://shinsei.example.jp/s/{tsu.code}/inbox/{received[0].pk}/" in body
        assert "三重" not in body  # no personal data in the mail, only receipt numbers
        assert "3 件" in mail.outbox[0].subject

        mail.outbox.clear()
        assert send_staff_digest() == {"events": 0, "mails": 0}
        assert mail.outbox == []

    def test_a_resubmission_is_announced_and_a_person_may_opt_out(self, tsu, division_staff, login):
        division, clerk, colleague, _elsewhere, _viewer = division_staff
        procedure = published_procedure(tsu, division=division)
        application = services.submit_application(
            procedure=procedure, data=event_data()
        ).application
        send_staff_digest()
        response = login(colleague).post("/accounts/notifications/", {})
        assert response.status_code == 302
        colleague.refresh_from_db()
        assert colleague.application_digest is False

        ApplicationEvent.objects.create(application=application, kind="resubmitted")
        mail.outbox.clear()
        assert send_staff_digest()["mails"] == 1
        assert mail.outbox[0].to == [clerk.email]
        assert "修正して再提出" in mail.outbox[0].body
