"""The API tells a client why a procedure takes no application with a stable code: ``full`` when
its 定員 is reached (even once the procedure has closed itself for that reason), ``closed`` when its
period ended or its staff closed it, ``not_open`` before its period."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from jichitai.procedures import services
from jichitai.procedures.availability import ProcedureUnavailable
from jichitai.procedures.models import Application, Procedure
from jichitai.procedures.tests.factories import event_data, published_procedure

pytestmark = pytest.mark.django_db


def submit(organization, procedure, body):
    return Client().post(
        f"/api/v1/o/{organization.code}/procedures/{procedure.pk}/applications",
        body,
        content_type="application/json",
    )


def test_a_procedure_whose_capacity_is_reached_answers_full(tsu):
    procedure = published_procedure(tsu, capacity=3)
    assert submit(tsu, procedure, event_data(1, participants=3)).status_code == 201
    procedure.refresh_from_db()
    assert procedure.status == Procedure.Status.CLOSED  # closed by itself when it filled up

    response = submit(tsu, procedure, event_data(2))

    assert response.status_code == 409
    assert response.json()["code"] == "full"
    assert "定員" in response.json()["detail"]


def test_more_persons_than_the_seats_left_answers_full_with_what_is_left(tsu):
    procedure = published_procedure(tsu, capacity=5)
    assert submit(tsu, procedure, event_data(1, participants=3)).status_code == 201

    response = submit(tsu, procedure, event_data(2, participants=3))

    assert response.status_code == 409
    assert response.json()["code"] == "full"
    assert "残りは 2 人分" in response.json()["detail"]
    assert Application.objects.count() == 1


def test_a_procedure_closed_by_its_staff_with_seats_left_answers_closed(tsu, tsu_admin):
    procedure = published_procedure(tsu, capacity=5)
    services.close_procedure(actor=tsu_admin, procedure=procedure)

    response = submit(tsu, procedure, event_data())

    assert response.status_code == 409
    assert response.json()["code"] == "closed"


@pytest.mark.parametrize("online", [True, False])
def test_paper_received_on_the_last_day_takes_a_seat_after_the_period(tsu, online):
    """A paper-only 定員 procedure too: the seat is taken by the rule for paper, judged on the day
    the paper arrived; a day after the period is refused as closed."""
    closes_at = timezone.now() - timedelta(days=2)
    procedure = published_procedure(
        tsu, capacity=5, online=online, closes_at=closes_at, opens_at=closes_at - timedelta(30)
    )
    last_day = timezone.localdate(closes_at)

    accepted = services.submit_application(
        procedure=procedure,
        data=event_data(1, participants=2),
        channel=Application.Channel.PAPER,
        received_on=last_day,
    )
    with pytest.raises(ProcedureUnavailable) as refused:
        services.submit_application(
            procedure=procedure,
            data=event_data(2),
            channel=Application.Channel.PAPER,
            received_on=last_day + timedelta(days=1),
        )

    procedure.refresh_from_db()
    assert accepted.created and procedure.seats_taken == 2
    assert refused.value.code == "closed" and refused.value.reason == "ended"
