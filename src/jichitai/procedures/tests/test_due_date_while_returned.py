"""標準処理期間 while an application is returned (差戻し): the days it waits for the applicant do
not count. On resubmission the due date is counted again from that day, with the open days the
organization had left when it returned the application (negative when it was already late)."""

from datetime import date

import pytest
from freezegun import freeze_time

from jichitai.procedures import deadlines, services
from jichitai.procedures.models import Application
from jichitai.procedures.tests.factories import event_data, published_procedure

# Mon 1 Jun 2026, 10:00 in Japan: with 10 open days the application is due Mon 15 Jun.
RECEIVED = "2026-06-01 01:00:00"


def on(day: str):
    return freeze_time(f"{day} 01:00:00")


@pytest.fixture
def application(tsu):
    procedure = published_procedure(tsu, processing_days=10)
    with freeze_time(RECEIVED):
        received = services.submit_application(procedure=procedure, data=event_data()).application
    assert received.due_date == date(2026, 6, 15)
    return received


def return_it(application, day: str):
    with on(day):
        services.change_status(
            actor=None,
            application=application,
            to_status=Application.Status.RETURNED,
            message="添付書類が不鮮明です。",
        )


def resubmit(application, day: str) -> Application:
    with on(day):
        return services.resubmit(application=application, data=event_data())


class TestOpenDaysBetween:
    def test_counts_the_open_days_after_the_first_up_to_the_second(self):
        # Thu 4 Jun → Mon 15 Jun 2026: 5, 8, 9, 10, 11, 12, 15.
        assert deadlines.open_days_between(date(2026, 6, 4), date(2026, 6, 15)) == 7
        assert deadlines.open_days_between(date(2026, 6, 15), date(2026, 6, 15)) == 0

    def test_is_negative_backwards(self):
        assert deadlines.open_days_between(date(2026, 6, 17), date(2026, 6, 15)) == -2

    def test_adding_a_negative_count_goes_back(self):
        assert deadlines.add_open_days(date(2026, 6, 22), -2) == date(2026, 6, 18)
        assert deadlines.add_open_days(date(2026, 6, 22), 0) == date(2026, 6, 22)


@pytest.mark.django_db
class TestDueDateWhileReturned:
    def test_the_wait_for_the_applicant_does_not_count(self, application):
        return_it(application, "2026-06-04")  # 3 open days used, 7 left
        resubmitted = resubmit(application, "2026-06-22")
        assert resubmitted.due_date == date(2026, 7, 1)
        assert Application.objects.get(pk=application.pk).due_date == date(2026, 7, 1)

    def test_a_late_application_stays_late_by_as_many_open_days(self, application):
        return_it(application, "2026-06-17")  # 2 open days past its due date
        assert resubmit(application, "2026-06-22").due_date == date(2026, 6, 18)

    def test_each_return_is_left_out(self, application):
        return_it(application, "2026-06-04")  # 7 left
        resubmit(application, "2026-06-22")  # due 1 Jul
        return_it(application, "2026-06-24")  # 23, 24 used: 5 left (25, 26, 29, 30, 1)
        assert resubmit(application, "2026-07-06").due_date == date(2026, 7, 13)

    def test_a_correction_received_by_staff_also_restarts_the_count(self, application):
        return_it(application, "2026-06-04")
        with on("2026-06-22"):
            services.change_status(
                actor=None, application=application, to_status=Application.Status.REVIEWING
            )
        assert Application.objects.get(pk=application.pk).due_date == date(2026, 7, 1)

    def test_the_organizations_closed_days_are_skipped_after_the_return(self, application, tsu):
        from jichitai.procedures.models import ClosedDay

        return_it(application, "2026-06-04")
        ClosedDay.objects.create(organization=tsu, date=date(2026, 6, 24), name="庁舎移転")
        assert resubmit(application, "2026-06-22").due_date == date(2026, 7, 2)

    def test_without_a_processing_period_there_is_still_no_due_date(self, tsu):
        procedure = published_procedure(tsu)
        with freeze_time(RECEIVED):
            application = services.submit_application(
                procedure=procedure, data=event_data()
            ).application
        return_it(application, "2026-06-04")
        assert resubmit(application, "2026-06-22").due_date is None

    def test_the_new_due_date_is_in_the_audit_entry(self, application):
        from jichitai.audit.models import AuditEvent

        return_it(application, "2026-06-04")
        resubmit(application, "2026-06-22")
        event = AuditEvent.objects.get(action="procedures.application.resubmitted")
        assert event.changes["due_date"] == ["2026-06-15", "2026-07-01"]
