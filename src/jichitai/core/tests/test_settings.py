"""Deployment safety: production settings refuse the demo's login shortcut and pass Django's
deploy checks."""

import os
import subprocess
import sys

from django.core.checks import Error
from django.test import override_settings

from jichitai.core.checks import demo_shortcuts_are_off


def test_the_deploy_check_flags_the_demo_shortcut():
    with override_settings(JICHITAI_DEMO_LOGIN_WITHOUT_OTP=True):
        errors = demo_shortcuts_are_off(None)
    assert errors and isinstance(errors[0], Error) and errors[0].id == "jichitai.E001"
    with override_settings(JICHITAI_DEMO_LOGIN_WITHOUT_OTP=False):
        assert demo_shortcuts_are_off(None) == []


def _run_deploy_check(extra_env: dict) -> subprocess.CompletedProcess:
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "jichitai.settings.production",
        "SECRET_KEY": "a-production-like-secret-key-with-enough-length-and-variety-8f3k2j",
        "ALLOWED_HOSTS": "jichitai.example.jp",
        "JICHITAI_VAULT_KEYS": "cHJvZHVjdGlvbi1saWtlLXZhdWx0LWtleS0wMTIzNDU=",
        **extra_env,
    }
    return subprocess.run(
        [sys.executable, "-m", "jichitai", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_the_deploy_check_even_if_asked_for_the_shortcut():
    result = _run_deploy_check({"JICHITAI_DEMO_LOGIN_WITHOUT_OTP": "1", "DEBUG": "1"})
    assert result.returncode == 0, result.stderr + result.stdout
