"""Retention: past their procedure's retention period, finished applications lose their personal
data (and files, drafts, e-mail verifications, the values in their audit entries) while the counts
and the audit entries stay; every run is audited and also deletes expired drafts and e-mail
verifications and 「申請した手続の一覧」 links (each holds an e-mail address); a manager can
export and erase one application on request."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jichitai.audit.models import AuditEvent
from jichitai.core.tests.samples import pdf_bytes
from jichitai.jobs import services as jobs
from jichitai.jobs.models import Job
from jichitai.procedures import selectors, services
from jichitai.procedures.models import (
    ApplicantLink,
    Application,
    ApplicationFile,
    Draft,
    EmailVerification,
)
from jichitai.procedures.tests.factories import event_data, published_procedure
from jichitai.tenancy.models import Role


@pytest.fixture
def old_and_new(tsu, tsu_clerk):
    procedure = published_procedure(
        tsu,
        retention_years=1,
        attachment_kinds=["pdf"],
        fields=[
            {"name": "applicant", "type": "name", "label": "氏名", "required": True},
            {"name": "proof", "type": "file", "label": "書類", "required": False},
        ],
    )
    data = {"applicant": event_data()["applicant"]}
    old = services.submit_application(
        procedure=procedure, data=data, uploads={"proof": SimpleUploadedFile("a.pdf", pdf_bytes())}
    ).application
    services.change_status(actor=tsu_clerk, application=old, to_status="approved")
    services.change_status(
        actor=tsu_clerk, application=old, to_status="completed", message="完了しました"
    )
    Application.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=400))
    pending = services.submit_application(procedure=procedure, data=data).application
    Application.objects.filter(pk=pending.pk).update(
        submitted_at=timezone.now() - timedelta(days=400)
    )
    recent = services.submit_application(procedure=procedure, data=data).application
    return old, pending, recent


@pytest.mark.django_db
def test_the_nightly_job_erases_finished_applications_past_retention(
    tsu, old_and_new, django_capture_on_commit_callbacks
):
    old, pending, recent = old_and_new
    year = old.fiscal_year
    counts_before = selectors.application_counts(tsu, year)
    stored_name = ApplicationFile.objects.get(application=old).file.name
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_job(kind="procedures.retention", title="保存期間を過ぎた申請の削除")
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {
        "purged": 1,
        "expired_drafts": 0,
        "expired_verifications": 0,
        "expired_applicant_links": 0,
    }
    old.refresh_from_db()
    assert old.purged_at is not None and old.data == {} and old.applicant_name == ""
    assert not ApplicationFile.objects.filter(application=old).exists()
    from django.core.files.storage import default_storage

    assert not default_storage.exists(stored_name)
    assert set(old.events.exclude(message="").values_list("message", flat=True)) == {
        "(保存期間の経過により削除)"
    }
    pending.refresh_from_db()
    recent.refresh_from_db()
    assert pending.purged_at is None and recent.purged_at is None  # still in process / still kept
    assert selectors.application_counts(tsu, year) == counts_before
    assert AuditEvent.objects.filter(action="procedures.retention.run", organization=tsu).exists()


@pytest.mark.django_db
def test_a_manager_exports_then_erases_on_request(tsu, make_member, login, old_and_new):
    _old, _pending, recent = old_and_new
    manager = make_member(tsu, Role.MANAGER)
    client = login(manager)
    export = client.get(f"/s/{tsu.code}/inbox/{recent.pk}/export/")
    assert recent.receipt_number in export.content.decode("utf-8-sig")
    client.post(f"/s/{tsu.code}/inbox/{recent.pk}/purge/", {"purge-reason": "本人からの削除依頼"})
    recent.refresh_from_db()
    assert recent.purged_at is None  # not without the confirmation
    client.post(
        f"/s/{tsu.code}/inbox/{recent.pk}/purge/",
        {"purge-reason": "本人からの削除依頼", "purge-confirm": "yes"},
    )
    recent.refresh_from_db()
    assert recent.purged_at is not None and recent.data == {}
    assert AuditEvent.objects.filter(
        action="procedures.application.purged", summary__startswith="本人からの削除依頼"
    ).exists()


def run_retention(django_capture_on_commit_callbacks) -> Job:
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_job(kind="procedures.retention", title="保存期間を過ぎた申請の削除")
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    return job


def finish_and_age(clerk, application):
    services.change_status(actor=clerk, application=application, to_status="approved")
    services.change_status(actor=clerk, application=application, to_status="completed")
    Application.objects.filter(pk=application.pk).update(
        submitted_at=timezone.now() - timedelta(days=400)
    )


@pytest.mark.django_db
def test_audit_entries_of_a_purged_application_are_kept_without_the_personal_values(
    tsu, tsu_clerk, django_capture_on_commit_callbacks
):
    procedure = published_procedure(
        tsu,
        retention_years=1,
        fields=[
            {"name": "applicant", "type": "name", "label": "氏名", "required": True},
            {"name": "home", "type": "address", "label": "住所", "required": True},
        ],
    )
    old_home = {"postal_code": "514-0001", "address": "津市江戸橋一丁目", "building": ""}
    new_home = {"postal_code": "514-0002", "address": "津市島崎町三番地", "building": ""}
    data = {"applicant": event_data()["applicant"], "home": old_home}
    application = services.submit_application(procedure=procedure, data=data).application
    other = services.submit_application(procedure=procedure, data=data).application
    services.change_status(
        actor=tsu_clerk, application=application, to_status="returned", message="住所をご確認"
    )
    services.resubmit(application=application, data={**data, "home": new_home})
    services.change_status(
        actor=tsu_clerk, application=other, to_status="returned", message="住所をご確認"
    )
    services.resubmit(application=other, data={**data, "home": new_home})
    finish_and_age(tsu_clerk, application)
    about = AuditEvent.objects.filter(target_type="procedures.Application")
    kept = set(about.filter(target_id=str(application.pk)).values_list("pk", "action"))
    resubmitted = about.get(target_id=str(application.pk), action__endswith="resubmitted")
    assert "津市島崎町" in json.dumps(resubmitted.changes, ensure_ascii=False)

    run_retention(django_capture_on_commit_callbacks)

    assert set(about.filter(target_id=str(application.pk)).values_list("pk", "action")) == kept
    resubmitted.refresh_from_db()
    shown = json.dumps(resubmitted.changes, ensure_ascii=False)
    assert "津市" not in shown and "514-000" not in shown
    assert set(resubmitted.changes) == {"home"}  # what changed is still told, not the values
    other_entry = about.get(target_id=str(other.pk), action__endswith="resubmitted")
    assert "津市島崎町" in json.dumps(other_entry.changes, ensure_ascii=False)  # not purged


@pytest.mark.django_db
def test_drafts_and_verifications_of_the_applicant_go_with_the_application(
    tsu, tsu_clerk, django_capture_on_commit_callbacks
):
    procedure = published_procedure(tsu, retention_years=1)
    mine, theirs = "taro0@example.jp", "someone@example.jp"
    services.save_draft(procedure=procedure, email=mine, data={"note": "途中まで"})
    services.save_draft(procedure=procedure, email=theirs, data={"note": "別の人"})
    services.request_email_verification(procedure=procedure, email="Taro0@example.jp")
    services.request_email_verification(procedure=procedure, email=theirs)
    application = services.submit_application(
        procedure=procedure, data=event_data(), applicant_email=mine
    ).application
    finish_and_age(tsu_clerk, application)

    run_retention(django_capture_on_commit_callbacks)

    assert list(Draft.objects.values_list("email", flat=True)) == [theirs]
    assert list(EmailVerification.objects.values_list("email", flat=True)) == [theirs]


@pytest.mark.django_db
def test_the_nightly_run_deletes_expired_drafts_and_verifications(
    tsu, django_capture_on_commit_callbacks
):
    procedure = published_procedure(tsu)
    for email in ("old@example.jp", "new@example.jp"):
        services.save_draft(procedure=procedure, email=email, data={})
        services.request_email_verification(procedure=procedure, email=email)
    past = timezone.now() - timedelta(minutes=1)
    Draft.objects.filter(email="old@example.jp").update(expires_at=past)
    EmailVerification.objects.filter(email="old@example.jp").update(expires_at=past)

    job = run_retention(django_capture_on_commit_callbacks)

    assert job.result == {
        "purged": 0,
        "expired_drafts": 1,
        "expired_verifications": 1,
        "expired_applicant_links": 0,
    }
    assert list(Draft.objects.values_list("email", flat=True)) == ["new@example.jp"]
    assert list(EmailVerification.objects.values_list("email", flat=True)) == ["new@example.jp"]


@pytest.mark.django_db
def test_the_nightly_run_deletes_expired_links_to_an_applicants_list(
    django_capture_on_commit_callbacks,
):
    now = timezone.now()
    ApplicantLink.objects.create(
        email="old@example.jp", nonce="expired", expires_at=now - timedelta(minutes=1)
    )
    ApplicantLink.objects.create(
        email="new@example.jp", nonce="valid", expires_at=now + timedelta(minutes=29)
    )

    job = run_retention(django_capture_on_commit_callbacks)

    assert job.result["expired_applicant_links"] == 1
    assert list(ApplicantLink.objects.values_list("email", flat=True)) == ["new@example.jp"]


@pytest.mark.django_db
def test_an_erasure_without_its_confirmation_keeps_the_reason_typed(
    tsu, make_member, login, old_and_new
):
    _old, _pending, recent = old_and_new
    client = login(make_member(tsu, Role.MANAGER))

    response = client.post(
        f"/s/{tsu.code}/inbox/{recent.pk}/purge/", {"purge-reason": "本人からの依頼"}
    )

    assert response.status_code == 422
    recent.refresh_from_db()
    assert recent.purged_at is None
    page = response.content.decode()
    assert 'value="本人からの依頼"' in page
    confirm = page[page.index('name="purge-confirm"') - 400 :][:1200]
    assert "確認のチェックを入れてください" in confirm
