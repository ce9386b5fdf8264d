"""Files chosen on the input page wait on the server until the applicant confirms: the page says
for how long, one browser session may keep only so many files and bytes (refused next to the
field), a replaced file is deleted at once, and files never confirmed are deleted with their stored
content once that time is over, as are stored files whose row a rolled-back transaction took back."""

import os
import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone

from jichitai.core.tests.samples import pdf_bytes
from jichitai.jobs import services as jobs
from jichitai.jobs.models import Job
from jichitai.procedures import services
from jichitai.procedures.models import Application, ApplicationFile
from jichitai.procedures.tests.factories import CAR_INSPECTION_FIELDS, published_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_files(tsu):
    fields = [
        {"name": f"proof{number}", "type": "file", "label": f"書類{number}", "required": False}
        for number in (1, 2, 3)
    ]
    return published_procedure(tsu, fields=fields, attachment_kinds=["pdf"])


def url_of(procedure) -> str:
    return f"/o/{procedure.organization.code}/procedures/{procedure.pk}/"


def a_pdf(name="証明書.pdf"):
    return SimpleUploadedFile(name, pdf_bytes())


def error_next_to(body: str, field: str) -> str:
    match = re.search(rf'<ul class="errorlist" id="field-{field}-error">(.*?)</ul>', body, re.S)
    return match.group(1) if match else ""


def test_the_input_page_says_how_long_attachments_are_kept(with_files, settings):
    settings.JICHITAI_PENDING_UPLOAD_HOURS = 24
    settings.JICHITAI_PENDING_UPLOAD_MAX_FILES = 10
    settings.JICHITAI_PENDING_UPLOAD_MAX_BYTES = 50 * 1024 * 1024
    body = Client().get(url_of(with_files)).content.decode()
    assert "添付ファイルは24時間保存されます。送信しないと削除されます" in body
    assert "送信前に添付しておけるファイルは 10 件・合計 50.0 MB まで" in body


def test_uploads_never_confirmed_are_deleted_with_their_files_after_the_set_time(
    with_files, settings, django_capture_on_commit_callbacks
):
    settings.JICHITAI_PENDING_UPLOAD_HOURS = 24
    url = url_of(with_files)
    abandoned, waiting, applicant = Client(), Client(), Client()
    abandoned.post(url, {"_action": "confirm", "proof1": a_pdf()})
    old = ApplicationFile.objects.get()
    ApplicationFile.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    waiting.post(url, {"_action": "confirm", "proof1": a_pdf()})
    applicant.post(url, {"_action": "confirm", "proof1": a_pdf()})
    applicant.post(f"{url}confirm/")
    confirmed = Application.objects.get().files.get()
    ApplicationFile.objects.filter(pk=confirmed.pk).update(
        created_at=timezone.now() - timedelta(hours=25)
    )

    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_job(kind="procedures.expire_uploads", title="送信されなかった添付の削除")
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result == {"deleted": 1}
    assert not ApplicationFile.objects.filter(pk=old.pk).exists()
    assert not default_storage.exists(old.file.name)
    assert ApplicationFile.objects.filter(application__isnull=True).count() == 1  # still waiting
    assert default_storage.exists(confirmed.file.name)  # part of an application: kept


def stored_then_rolled_back(procedure) -> ApplicationFile:
    with pytest.raises(RuntimeError), transaction.atomic():
        stored = services.store_upload(
            procedure=procedure, field_name="proof1", upload=a_pdf(), upload_token="session"
        )
        raise RuntimeError("the request failed after the file was stored")
    return stored


def test_a_file_whose_row_was_rolled_back_is_deleted_after_the_set_time(
    with_files, settings, django_capture_on_commit_callbacks
):
    settings.JICHITAI_PENDING_UPLOAD_HOURS = 24
    orphan = stored_then_rolled_back(with_files)
    assert not ApplicationFile.objects.exists() and default_storage.exists(orphan.file.name)
    waiting = services.store_upload(
        procedure=with_files, field_name="proof1", upload=a_pdf(), upload_token="session"
    )
    long_ago = (timezone.now() - timedelta(hours=25)).timestamp()
    for name in (orphan.file.name, waiting.file.name):
        os.utime(default_storage.path(name), (long_ago, long_ago))
    recent_orphan = stored_then_rolled_back(with_files)

    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_job(kind="procedures.expire_uploads", title="送信されなかった添付の削除")
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result == {"deleted": 1}
    assert not default_storage.exists(orphan.file.name)
    assert default_storage.exists(waiting.file.name)  # its row is there, still waiting
    # Within the set time a file may belong to a transaction not yet committed: left alone.
    assert default_storage.exists(recent_orphan.file.name)


def test_the_number_of_files_a_session_keeps_is_limited(with_files, settings):
    settings.JICHITAI_PENDING_UPLOAD_MAX_FILES = 2
    client = Client()
    response = client.post(
        url_of(with_files),
        {"_action": "confirm", "proof1": a_pdf(), "proof2": a_pdf(), "proof3": a_pdf("三.pdf")},
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "添付しておけるファイルは 2 件まで" in error_next_to(body, "proof3")
    assert "三.pdf" in error_next_to(body, "proof3")
    assert ApplicationFile.objects.count() == 2
    # the session is the unit: another procedure in the same browser counts too
    other = published_procedure(
        with_files.organization, fields=with_files.current_version.fields, attachment_kinds=["pdf"]
    )
    response = client.post(url_of(other), {"_action": "confirm", "proof1": a_pdf()})
    assert "2 件まで" in error_next_to(response.content.decode(), "proof1")
    assert ApplicationFile.objects.count() == 2


def test_the_bytes_a_session_keeps_are_limited(with_files, settings):
    settings.JICHITAI_PENDING_UPLOAD_MAX_BYTES = len(pdf_bytes()) * 3 // 2
    client = Client()
    response = client.post(
        url_of(with_files), {"_action": "confirm", "proof1": a_pdf(), "proof2": a_pdf("二.pdf")}
    )
    body = response.content.decode()
    assert response.status_code == 422
    message = error_next_to(body, "proof2")
    assert "「二.pdf」を添付できません" in message and "合計" in message
    assert error_next_to(body, "proof1") == ""
    assert ApplicationFile.objects.count() == 1


def test_a_replaced_file_is_deleted_and_no_longer_counts(
    with_files, settings, django_capture_on_commit_callbacks
):
    settings.JICHITAI_PENDING_UPLOAD_MAX_FILES = 1
    client = Client()
    url = url_of(with_files)
    client.post(url, {"_action": "confirm", "proof1": a_pdf("古い.pdf")})
    first = ApplicationFile.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"_action": "confirm", "proof1": a_pdf("新しい.pdf")})
    assert response.status_code == 302
    assert list(ApplicationFile.objects.values_list("original_name", flat=True)) == ["新しい.pdf"]
    assert not default_storage.exists(first.file.name)
    client.post(f"{url}confirm/")
    assert Application.objects.get().files.get().original_name == "新しい.pdf"


def test_a_file_an_earlier_answer_requires_is_asked_for_on_the_page(tsu):
    procedure = published_procedure(tsu, fields=CAR_INSPECTION_FIELDS, attachment_kinds=["pdf"])
    client = Client()
    page = client.post(url_of(procedure), {"has_car": "yes"})
    assert "「車検証」のファイルを添付してください。" in error_next_to(
        page.content.decode(), "inspection"
    )
    confirm = client.post(url_of(procedure), {"has_car": "no"})
    assert confirm.status_code == 302
