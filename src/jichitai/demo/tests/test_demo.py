import os
import sqlite3
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from jichitai.accounts.models import User
from jichitai.audit.labels import action_label
from jichitai.audit.models import AuditEvent
from jichitai.procedures.models import ApplicationEvent
from jichitai.tenancy.models import Division, Membership, Organization


@pytest.mark.django_db
def test_the_demo_loads_mie_and_its_29_municipalities_and_can_run_again(capsys):
    call_command("demo")
    first = capsys.readouterr().out
    call_command("demo")
    counts = (Organization.objects.count(), Division.objects.count(), Membership.objects.count())
    assert counts[0] == 30
    assert Organization.objects.filter(parent__code="240001").count() == 29
    assert Organization.objects.get(code="242039").name == "伊勢市"
    assert {"スマート改革推進課", "デジタル戦略企画課", "少子化対策課", "自動車税事務所"} <= set(
        Division.objects.filter(organization__code="240001").values_list("name", flat=True)
    )
    assert User.objects.filter(is_demo=True).count() == 10
    assert "pref-admin" in first and "パスワード" in first
    # Everything the demo did through the services reads in words in the audit log.
    codes = set(AuditEvent.objects.values_list("action", flat=True))
    assert len(codes) > 20
    assert sorted(code for code in codes if action_label(code) == code) == []


@pytest.mark.django_db
def test_demo_staff_belong_to_the_prefecture_and_two_municipalities():
    call_command("demo", quiet_logins=True)
    codes = set(Membership.objects.values_list("organization__code", flat=True))
    assert codes == {"240001", "242012", "242039"}


@pytest.mark.django_db
def test_the_demo_is_refused_outside_development(settings):
    settings.JICHITAI_ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="開発環境"):
        call_command("demo", quiet_logins=True)
    assert not User.objects.exists() and not Organization.objects.exists()


@pytest.mark.django_db
def test_each_demo_clerk_and_viewer_has_work_waiting_some_near_or_past_due(capsys):
    from jichitai.procedures import selectors
    from jichitai.tenancy.models import Role

    call_command("demo")
    printed = capsys.readouterr().out
    for code in ("240001", "242012"):
        roles = set(
            Membership.objects.filter(organization__code=code, user__is_demo=True).values_list(
                "role", flat=True
            )
        )
        assert roles == {Role.ADMIN, Role.MANAGER, Role.CLERK, Role.VIEWER}
    for username in ("tsu-clerk", "tsu-viewer", "pref-clerk", "tsu-manager"):
        assert username in printed
        membership = Membership.objects.get(user__username=username)
        counts = selectors.inbox_counts(membership)
        assert counts["waiting"] > 0, username
    tsu_clerk = selectors.inbox_counts(Membership.objects.get(user__username="tsu-clerk"))
    assert tsu_clerk["unassigned"] >= 20
    assert tsu_clerk["overdue"] > 0 and tsu_clerk["due_soon"] > 0
    # Work dated back has its history dated back with it: 受付 in the history is the day received.
    received = ApplicationEvent.objects.filter(kind=ApplicationEvent.Kind.SUBMITTED)
    assert [
        event.application.receipt_number
        for event in received.select_related("application")
        if abs(event.at - event.application.submitted_at) > timedelta(minutes=1)
    ] == []


@pytest.mark.django_db
def test_five_municipalities_offer_published_procedures_and_datasets():
    from jichitai.opendata.selectors import public_datasets_of
    from jichitai.procedures.selectors import open_procedures

    call_command("demo", quiet_logins=True)
    municipalities = Organization.objects.filter(parent__code="240001")
    offering = [m.code for m in municipalities if open_procedures(m).exists()]
    publishing = [m.code for m in municipalities if public_datasets_of(m).exists()]
    assert len(offering) >= 5
    assert len(publishing) >= 5
    from jichitai.opendata.models import Resource

    municipal_aeds = Resource.objects.filter(dataset__name__startswith="aed-24", standard="aed")
    assert municipal_aeds.count() == 4
    assert set(municipal_aeds.values_list("validation_status", flat=True)) == {"valid"}, [
        r.validation for r in municipal_aeds[:1]
    ]


@pytest.mark.django_db
def test_the_demos_organizations_have_an_example_privacy_policy_kept_once_edited():
    from jichitai.demo import foundation

    foundation.load()
    tsu = Organization.objects.get(code="242012")
    assert "利用目的" in tsu.privacy_policy
    assert Organization.objects.get(code="242161").privacy_policy == ""  # 伊賀市: none written
    Organization.objects.filter(pk=tsu.pk).update(privacy_policy="津市の定め")
    foundation.load()
    assert Organization.objects.get(pk=tsu.pk).privacy_policy == "津市の定め"


def test_the_demo_is_refused_under_production_settings_whatever_the_environment_says(tmp_path):
    """Production settings fix the environment: an operator's JICHITAI_ENVIRONMENT cannot unlock
    the demo's published passwords there."""
    database = tmp_path / "db.sqlite3"
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "EMAIL_BACKEND"}},
        "DJANGO_SETTINGS_MODULE": "jichitai.settings.production",
        "JICHITAI_ENVIRONMENT": "development",
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "a-production-like-secret-key-with-enough-length-and-variety-8f3k2j",
        "ALLOWED_HOSTS": "jichitai.example.jp",
        "JICHITAI_VAULT_KEYS": "cHJvZHVjdGlvbi1saWtlLXZhdWx0LWtleS0wMTIzNDU=",
        "JICHITAI_BASE_URL": "https://jichitai.example.jp",
    }
    subprocess.run(
        [sys.executable, "-m", "jichitai", "migrate", "-v0"], env=env, check=True, timeout=300
    )
    result = subprocess.run(
        [sys.executable, "-m", "jichitai", "demo", "--quiet-logins"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode != 0
    assert "開発環境でのみ" in result.stderr
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM accounts_user").fetchone() == (0,)
        assert connection.execute("SELECT count(*) FROM tenancy_organization").fetchone() == (0,)


@pytest.mark.django_db
def test_the_demo_clerk_of_tsu_has_the_paper_batch_to_check():
    from jichitai.ocr.selectors import batches_of
    from jichitai.procedures.selectors import visible_procedures

    call_command("demo", quiet_logins=True)
    clerk = Membership.objects.get(user__username="tsu-clerk")
    assert batches_of(clerk.organization, visible_procedures(clerk)).exists()


@pytest.mark.django_db
def test_the_demos_move_notice_is_offered_in_every_language_a_form_can_have():
    """Mie's foreign residents find one demo form in their language, its name included."""
    from django.test import Client

    from jichitai.procedures.models import Procedure
    from jichitai.procedures.translations import LANGUAGES

    call_command("demo", quiet_logins=True)
    move = Procedure.objects.get(organization__code="242012", name="転入・転居の事前届")
    url = f"/o/242012/procedures/{move.pk}/"
    offered = Client().get(url).content.decode()
    assert all(f'lang="{code}"' in offered for code in LANGUAGES if code not in ("ja", "ja-easy"))
    portuguese = Client().get(f"{url}?lang=pt").content.decode()
    assert "<h1>Aviso prévio de mudança" in portuguese and "Data de nascimento" in portuguese
    easy = Client().get(f"{url}?lang=ja-easy").content.decode()
    assert "<h1>引っ越し(ひっこし)の 前に する 届け出(とどけで)</h1>" in easy
