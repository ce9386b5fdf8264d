"""/healthz answers for the web processes; /healthz/worker tells monitoring whether a worker's task
loop is still taking tasks."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from jichitai.jobs.models import WorkerHeartbeat


@pytest.fixture
def queued(settings):
    settings.TASKS_BACKEND = "database"
    settings.JICHITAI_WORKER_STALE_SECONDS = 120


def heartbeat(seconds_ago: int) -> None:
    seen = timezone.now() - timedelta(seconds=seconds_ago)
    WorkerHeartbeat.objects.create(name=f"host:{seconds_ago}", started_at=seen, seen_at=seen)


@pytest.mark.django_db
def test_a_worker_that_recorded_a_heartbeat_lately_is_healthy(queued):
    heartbeat(seconds_ago=300)
    heartbeat(seconds_ago=5)
    response = Client().get("/healthz/worker")
    assert response.status_code == 200
    assert response.json()["worker"] == "ok"


@pytest.mark.django_db
def test_a_worker_whose_loop_stopped_is_reported_stale(queued):
    heartbeat(seconds_ago=300)
    response = Client().get("/healthz/worker")
    assert response.status_code == 503
    assert response.json()["worker"] == "stale"
    # The web processes stay in the load balancer: /healthz says so but answers 200.
    overall = Client().get("/healthz")
    assert overall.status_code == 200 and overall.json()["worker"] == "stale"


@pytest.mark.django_db
def test_no_worker_at_all_is_reported(queued):
    response = Client().get("/healthz/worker")
    assert response.status_code == 503
    assert response.json()["worker"] == "missing"
