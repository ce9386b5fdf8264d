"""When a paper application's personal data is erased (its retention period is over, or on
request), the scan it was read from goes too: the page image and the uploaded scan are deleted
from storage and the values read and typed are cleared, while the page stays counted."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from jichitai.jobs import services as jobs
from jichitai.jobs.models import Job
from jichitai.ocr import services
from jichitai.ocr.models import ScanPage
from jichitai.ocr.tests.factories import paper_template, read_page
from jichitai.procedures import retention
from jichitai.procedures import services as procedures
from jichitai.procedures.models import Application, Procedure
from jichitai.tenancy.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper_application(tsu, tsu_clerk):
    paper = paper_template(tsu, division=tsu_clerk.memberships.get().division)
    Procedure.objects.filter(pk=paper.procedure_id).update(retention_years=1)
    page, truth = read_page(paper, seed=3)
    page = services.verify_page(actor=tsu_clerk, page=page, typed=truth)
    assert page.status == ScanPage.Status.DONE
    return page, truth


def test_the_scan_of_a_paper_application_past_retention_is_erased(
    tsu_clerk, paper_application, django_capture_on_commit_callbacks
):
    page, truth = paper_application
    application = page.application
    procedures.change_status(actor=tsu_clerk, application=application, to_status="approved")
    procedures.change_status(actor=tsu_clerk, application=application, to_status="completed")
    Application.objects.filter(pk=application.pk).update(
        submitted_at=timezone.now() - timedelta(days=400)
    )
    image, scan = page.image.name, page.source.file.name
    assert default_storage.exists(image) and default_storage.exists(scan)
    assert page.values["name"] == truth["name"]

    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_job(kind="procedures.retention", title="保存期間を過ぎた申請の削除")
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result["purged"] == 1

    page.refresh_from_db()
    assert not default_storage.exists(image) and not page.image
    assert not default_storage.exists(scan) and not page.source.file
    assert page.results == {} and page.values == {} and page.second_values == {}
    assert page.application_id == application.pk and page.status == ScanPage.Status.DONE


def test_erasing_on_request_erases_the_scan_too(
    tsu, tsu_clerk, login, make_member, paper_application, django_capture_on_commit_callbacks
):
    page, _truth = paper_application
    image = page.image.name
    with django_capture_on_commit_callbacks(execute=True):
        retention.purge_application(
            actor=make_member(tsu, Role.MANAGER),
            application=page.application,
            reason="本人からの削除依頼",
        )
    page.refresh_from_db()
    assert not default_storage.exists(image) and page.values == {}
    client = login(tsu_clerk)
    screen = client.get(f"/s/{tsu.code}/ocr/pages/{page.pk}/")
    assert "画像と読取結果は残っていません" in screen.content.decode()
    assert client.get(f"/s/{tsu.code}/ocr/pages/{page.pk}/page.png").status_code == 404
