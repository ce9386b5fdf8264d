"""Settings for the test suite: the same database choice as everywhere (DATABASE_URL), fast hashing,
in-memory mail, tasks run inline unless a test starts a real worker."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

# Files the code writes under var/ (demo keys, backups) go to a throw-away directory in tests.
VAR_DIR = Path(tempfile.mkdtemp(prefix="jichitai-test-"))

SECRET_KEY = "test-only-secret-key-not-for-any-deployment-0123456789abcdef"  # noqa: S105
JICHITAI_VAULT_KEYS = ["dGVzdC1vbmx5LXZhdWx0LWtleS0wMTIzNDU2Nzg5YWI="]  # test-only Fernet key
JICHITAI_AUTOMATION_BACKOFF_SECONDS = 0
JICHITAI_AUTOMATION_SELECTOR_TIMEOUT_MS = 1500
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
JICHITAI_DEMO_LOGIN_WITHOUT_OTP = False
# The suite loads the demo as a developer's machine does.
JICHITAI_ENVIRONMENT = "development"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
