"""Retention: past their procedure's retention period, finished applications lose their personal
data (and files) while the counts stay; every run is audited; a manager can export and erase one
application on request."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jichitai.audit.models import AuditEvent
from jichitai.core.tests.samples import pdf_bytes
from jichitai.jobs import services as jobs
from jichitai.jobs.models import Job
from jichitai.procedures import selectors, services
from jichitai.procedures.models import Application, ApplicationFile
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
    assert job.status == Job.Status.SUCCEEDED and job.result == {"purged": 1}
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
    client.post(f"/s/{tsu.code}/inbox/{recent.pk}/purge/", {"reason": "本人からの削除依頼"})
    recent.refresh_from_db()
    assert recent.purged_at is None  # not without the confirmation
    client.post(
        f"/s/{tsu.code}/inbox/{recent.pk}/purge/",
        {"reason": "本人からの削除依頼", "confirm": "yes"},
    )
    recent.refresh_from_db()
    assert recent.purged_at is not None and recent.data == {}
    assert AuditEvent.objects.filter(
        action="procedures.application.purged", summary__startswith="本人からの削除依頼"
    ).exists()
