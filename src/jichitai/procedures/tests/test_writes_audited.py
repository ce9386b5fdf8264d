"""Every write about an application is one transaction with its audit entry: drafts and e-mail
checks are audited without the personal values they hold, a submission refused after its files
were checked leaves no stored file behind, and each retention erasure keeps its audit entry even
when a later one fails."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jichitai.audit.models import AuditEvent
from jichitai.core.tests.samples import pdf_bytes
from jichitai.jobs import services as jobs
from jichitai.jobs.models import Job
from jichitai.procedures import services
from jichitai.procedures.models import Application, ApplicationFile, Procedure
from jichitai.procedures.registry import erasure_hooks
from jichitai.procedures.tests.factories import EVENT_FIELDS, event_data, published_procedure

pytestmark = pytest.mark.django_db

WITH_PROOF = [*EVENT_FIELDS, {"name": "proof", "type": "file", "label": "証明書", "required": True}]


def stored_files() -> list:
    return [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def a_pdf():
    return SimpleUploadedFile("証明書.pdf", pdf_bytes())


def test_a_saved_draft_is_audited_without_the_answers_or_the_address(tsu):
    procedure = published_procedure(tsu)
    data = {"applicant": {"family": "三重", "given": "花子"}, "support_detail": "車椅子"}
    draft = services.save_draft(procedure=procedure, email="hanako@example.jp", data=data)
    entry = AuditEvent.objects.get(action="procedures.draft.saved")
    assert entry.organization == tsu
    assert entry.target_id == str(draft.pk)
    kept = json.dumps([entry.summary, entry.target_repr, entry.changes], ensure_ascii=False)
    for personal in ("hanako@example.jp", "花子", "車椅子"):
        assert personal not in kept


def test_an_email_verification_request_is_audited_without_the_address(tsu):
    procedure = published_procedure(tsu)
    verification = services.request_email_verification(
        procedure=procedure, email="hanako@example.jp"
    )
    entry = AuditEvent.objects.get(action="procedures.email_verification.requested")
    assert entry.organization == tsu
    assert entry.target_id == str(verification.pk)
    assert "hanako@example.jp" not in json.dumps([entry.summary, entry.target_repr, entry.changes])


def test_a_second_application_from_the_same_address_leaves_no_stored_file(tsu):
    procedure = published_procedure(tsu, fields=WITH_PROOF, one_per_email=True)
    services.submit_application(procedure=procedure, data=event_data(), uploads={"proof": a_pdf()})
    assert len(stored_files()) == 1
    with pytest.raises(services.ProcedureUnavailable):
        services.submit_application(
            procedure=procedure, data=event_data(), uploads={"proof": a_pdf()}
        )
    assert ApplicationFile.objects.count() == 1
    assert len(stored_files()) == 1


def test_seats_taken_meanwhile_leave_no_stored_file(tsu):
    procedure = published_procedure(tsu, fields=WITH_PROOF, capacity=1)
    # Another submission took the last seat after this one's page read the procedure.
    seen_earlier = Procedure.objects.get(pk=procedure.pk)
    services.submit_application(procedure=procedure, data=event_data(1), uploads={"proof": a_pdf()})
    with pytest.raises(services.ProcedureUnavailable):
        services.submit_application(
            procedure=seen_earlier, data=event_data(2), uploads={"proof": a_pdf()}
        )
    assert ApplicationFile.objects.count() == 1
    assert len(stored_files()) == 1


def test_each_erasure_keeps_its_audit_entry_when_a_later_one_fails(
    tsu, tsu_clerk, django_capture_on_commit_callbacks
):
    procedure = published_procedure(tsu, retention_years=1)
    for number in (1, 2):
        application = services.submit_application(
            procedure=procedure, data=event_data(number)
        ).application
        services.change_status(actor=tsu_clerk, application=application, to_status="rejected")
    Application.objects.update(submitted_at=timezone.now() - timedelta(days=400))
    erased = []

    def fail_after_the_first(application):
        if erased:
            raise OSError("ファイルサーバーに接続できません")
        erased.append(application.pk)

    erasure_hooks.register("test_fails_after_the_first", fail_after_the_first)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            job = jobs.start_job(kind="procedures.retention", title="保存期間を過ぎた申請の削除")
    finally:
        erasure_hooks.unregister("test_fails_after_the_first")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert (
        list(Application.objects.filter(purged_at__isnull=False).values_list("pk", flat=True))
        == erased
    )
    first = Application.objects.get(pk=erased[0])
    entries = AuditEvent.objects.filter(action="procedures.retention.run", organization=tsu)
    assert [entry.summary for entry in entries] == [
        f"保存期間を過ぎた申請 {first.receipt_number} の個人情報を削除(添付 0 件も削除)"
    ]
