"""Settings of the embedded default (``make run``: SQLite file, database queue, development
server) as started by ``embedded.EmbeddedSite``, plus a page that stays open until released (a slow
request) and mail written to files, so tests can see what the worker sent."""

from jichitai.settings.local import *  # noqa: F403
from jichitai.settings.local import DATABASES, INSTALLED_APPS, VAR_DIR

ROOT_URLCONF = "jichitai.jobs.tests.embedded_urls"
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = VAR_DIR / "mail"
JICHITAI_API_SUBMIT_RATE = "100000/m"
# A lock held longer than this shows up in seconds rather than after the default 30 s.
DATABASES["default"]["OPTIONS"]["timeout"] = 2
# Heartbeats every second, so a stopped one shows within the tests' few seconds.
JICHITAI_WORKER_HEARTBEAT_SECONDS = 1
JICHITAI_JOB_HEARTBEAT_SECONDS = 1
INSTALLED_APPS = [*INSTALLED_APPS, "jichitai.jobs.tests.embedded_jobs.EmbeddedJobsConfig"]
