"""A job kind for the embedded site: it works until the test releases it (a file appears), so a
test can do things to the database while a job is running."""

import time

from django.apps import AppConfig
from django.conf import settings


class EmbeddedJobsConfig(AppConfig):
    name = "jichitai.jobs.tests"
    label = "embedded_jobs"

    def ready(self):
        from jichitai.jobs.registry import job_kind

        @job_kind("test.until_released")
        def until_released(context):
            deadline = time.monotonic() + 120
            while not (settings.VAR_DIR / "job-release").exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            return {"released": True}
