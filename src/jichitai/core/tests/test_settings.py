"""Deployment safety: production settings refuse the demo's login shortcut, send mail through SMTP
and pass Django's deploy checks."""

import io
import os
import subprocess
import sys
import tempfile

import pytest
from django.core.checks import Error
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from jichitai.core.checks import (
    base_url_is_public,
    demo_accounts_are_absent,
    demo_shortcuts_are_off,
    mail_is_delivered,
)
from jichitai.tenancy.tests.factories import UserFactory


def test_the_deploy_check_flags_the_demo_shortcut():
    with override_settings(JICHITAI_DEMO_LOGIN_WITHOUT_OTP=True):
        errors = demo_shortcuts_are_off(None)
    assert errors and isinstance(errors[0], Error) and errors[0].id == "jichitai.E001"
    with override_settings(JICHITAI_DEMO_LOGIN_WITHOUT_OTP=False):
        assert demo_shortcuts_are_off(None) == []


def _run_deploy_check(extra_env: dict) -> subprocess.CompletedProcess:
    inherited = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_BACKEND", "DATABASE_URL"}
    }
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "jichitai.settings.production",
        # A database of its own: the deploy check reads it (demo accounts must not exist there).
        "DATABASE_URL": f"sqlite:///{tempfile.mkdtemp(prefix='jichitai-deploy-check-')}/db.sqlite3",
        "SECRET_KEY": "a-production-like-secret-key-with-enough-length-and-variety-8f3k2j",
        "ALLOWED_HOSTS": "jichitai.example.jp",
        "JICHITAI_VAULT_KEYS": "cHJvZHVjdGlvbi1saWtlLXZhdWx0LWtleS0wMTIzNDU=",
        "JICHITAI_BASE_URL": "https://jichitai.example.jp",
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


def test_production_settings_send_mail_through_smtp():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.EMAIL_BACKEND)",
        ],
        env={
            **{k: v for k, v in os.environ.items() if k != "EMAIL_BACKEND"},
            "DJANGO_SETTINGS_MODULE": "jichitai.settings.production",
            "SECRET_KEY": "a-production-like-secret-key-with-enough-length-and-variety-8f3k2j",
            "ALLOWED_HOSTS": "jichitai.example.jp",
            "JICHITAI_VAULT_KEYS": "cHJvZHVjdGlvbi1saWtlLXZhdWx0LWtleS0wMTIzNDU=",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize("backend", ["console", "locmem", "dummy", "filebased"])
def test_the_deploy_check_flags_mail_backends_that_do_not_deliver(backend):
    with override_settings(EMAIL_BACKEND=f"django.core.mail.backends.{backend}.EmailBackend"):
        errors = mail_is_delivered(None)
    assert [error.id for error in errors] == ["jichitai.E004"]
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend"):
        assert mail_is_delivered(None) == []


def test_production_settings_with_the_console_mail_backend_fail_the_deploy_check():
    result = _run_deploy_check({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"})
    assert result.returncode != 0
    assert "jichitai.E004" in result.stderr + result.stdout


@pytest.mark.django_db
def test_the_deploy_check_fails_while_demo_accounts_exist():
    UserFactory(username="tsu-admin")
    assert demo_accounts_are_absent(None) == []
    UserFactory(username="pref-admin", is_demo=True)
    errors = demo_accounts_are_absent(None)
    assert [error.id for error in errors] == ["jichitai.E003"]
    assert "pref-admin" in errors[0].msg


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000",
        "http://jichitai.example.jp",
        "https://localhost",
        "https://demo.jichitai.localhost",
        "https://10.0.0.5",
        "",
    ],
)
def test_the_deploy_check_refuses_a_base_url_residents_cannot_reach(url):
    with override_settings(JICHITAI_BASE_URL=url):
        assert [error.id for error in base_url_is_public(None)] == ["jichitai.E010"]
    with override_settings(JICHITAI_BASE_URL="https://shinsei.example.lg.jp/"):
        assert base_url_is_public(None) == []


def test_production_settings_without_a_base_url_fail_the_deploy_check():
    result = _run_deploy_check({"JICHITAI_BASE_URL": ""})
    assert result.returncode != 0
    assert "jichitai.E010" in result.stderr + result.stdout


def _deploy_check_errors() -> str:
    try:
        call_command("check", deploy=True, stdout=io.StringIO(), stderr=io.StringIO())
    except SystemCheckError as error:
        return str(error)
    return ""


@pytest.mark.django_db
def test_check_deploy_fails_while_a_demo_account_exists():
    """Through ``check --deploy`` itself, not only the check function: it is registered there."""
    UserFactory(username="tsu-admin")
    assert "jichitai.E003" not in _deploy_check_errors()
    UserFactory(username="tsu-clerk", is_demo=True)
    errors = _deploy_check_errors()
    assert "jichitai.E003" in errors and "tsu-clerk" in errors
