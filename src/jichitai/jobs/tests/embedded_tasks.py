"""A task for the embedded site that runs until the test releases it (a file appears), so a test
can lock the database just as the worker records the task's outcome."""

import time

from django.conf import settings
from django_tasks import task


@task()
def finish_when_released() -> str:
    deadline = time.monotonic() + 120
    while not (settings.VAR_DIR / "task-release").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    return "released"
