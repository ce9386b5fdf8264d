"""The job and worker timings are checked at start: a stale threshold shorter than a few
heartbeats has a running job taken for dead and started a second time beside itself."""

import pytest
from django.test import override_settings

from jichitai.jobs.checks import heartbeats_fit_in_the_stale_thresholds


def test_the_default_timings_pass():
    assert heartbeats_fit_in_the_stale_thresholds(None) == []


@pytest.mark.parametrize(
    ("stale", "heartbeat"),
    [
        ("JICHITAI_JOB_STALE_SECONDS", "JICHITAI_JOB_HEARTBEAT_SECONDS"),
        ("JICHITAI_WORKER_STALE_SECONDS", "JICHITAI_WORKER_HEARTBEAT_SECONDS"),
    ],
)
def test_a_stale_threshold_shorter_than_three_heartbeats_is_an_error(stale, heartbeat):
    with override_settings(**{stale: 8, heartbeat: 10}):
        errors = heartbeats_fit_in_the_stale_thresholds(None)
    assert [error.id for error in errors] == ["jichitai.E020"]
    assert stale in errors[0].msg and heartbeat in errors[0].msg


def test_three_heartbeats_within_the_threshold_pass():
    with override_settings(JICHITAI_JOB_STALE_SECONDS=6, JICHITAI_JOB_HEARTBEAT_SECONDS=2):
        assert heartbeats_fit_in_the_stale_thresholds(None) == []
