"""The JSON API's stable public paths and the staff endpoints (organization API tokens)."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from jichitai.accounts import services as accounts
from jichitai.core.tests.samples import pdf_bytes
from jichitai.procedures import published, services
from jichitai.procedures.models import Application, Procedure
from jichitai.procedures.tests.factories import event_data, published_procedure
from jichitai.tenancy.models import Role


@pytest.fixture
def event(tsu):
    return published_procedure(tsu, capacity=3)


def submit(client, tsu, event, body, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(
        f"/api/v1/o/{tsu.code}/procedures/{event.pk}/applications",
        body,
        content_type="application/json",
        **headers,
    )


@pytest.mark.django_db
class TestPublic:
    def test_open_procedures_with_capacity_left(self, tsu, event):
        response = Client().get(f"/api/v1/o/{tsu.code}/procedures")
        assert response.status_code == 200
        [item] = response.json()
        assert {"id", "name", "category", "opens_at", "closes_at", "capacity_left"} <= set(item)
        assert item["capacity_left"] == 3

    def test_one_procedure_with_its_schema(self, tsu, event):
        body = Client().get(f"/api/v1/o/{tsu.code}/procedures/{event.pk}").json()
        assert body["schema"]["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert (
            body["needs_signature"] is False
            and body["fee"] is None
            and body["needs_attachments"] is False
        )

    def test_submit_is_idempotent(self, tsu, event):
        client = Client()
        first = submit(client, tsu, event, event_data(), key="retry-1")
        assert first.status_code == 201
        again = submit(client, tsu, event, event_data(), key="retry-1")
        assert again.status_code == 201
        assert again.json()["receipt_number"] == first.json()["receipt_number"]
        assert Application.objects.count() == 1
        assert Application.objects.get().channel == "api"

    def test_an_idempotency_key_belongs_to_one_procedure_and_one_body(self, tsu, ise, event):
        client = Client()
        first = submit(client, tsu, event, event_data(1), key="shared-key").json()
        other_procedure = published_procedure(tsu, name="別の講座")
        elsewhere = submit(client, tsu, other_procedure, event_data(2), key="shared-key")
        assert elsewhere.status_code == 201
        assert elsewhere.json()["receipt_number"] != first["receipt_number"]
        assert elsewhere.json()["status_token"] != first["status_token"]
        other_organization = published_procedure(ise, name="伊勢の講座")
        abroad = submit(client, ise, other_organization, event_data(3), key="shared-key")
        assert abroad.status_code == 201
        changed = submit(client, tsu, event, event_data(4), key="shared-key")
        assert changed.status_code == 422
        assert changed.json()["code"] == "idempotency_key_reused"
        assert "Idempotency-Key" in changed.json()["errors"]
        assert first["status_token"] not in changed.content.decode()
        assert Application.objects.count() == 3

    def test_invalid_data_gets_the_pages_messages(self, tsu, event):
        response = submit(Client(), tsu, event, event_data(email="nope", unknown=1))
        assert response.status_code == 422
        body = response.json()
        assert body["errors"]["email"] == [
            "メールアドレスの形式が正しくありません。例: taro@example.jp"
        ]
        assert body["errors"]["unknown"] == ["この項目はこの手続にありません。"]

    def test_attachment_references_must_be_files_sent_with_the_application(self, tsu):
        fields = [
            {"name": "copy", "type": "file", "label": "住民票の写し", "required": False},
            {"name": "note", "type": "text", "label": "備考", "required": False},
        ]
        procedure = published_procedure(tsu, name="届出", fields=fields)
        stored = services.store_upload(
            procedure=procedure,
            field_name="copy",
            upload=SimpleUploadedFile("本物.pdf", pdf_bytes()),
            upload_token="someone-elses-page",
        )
        for reference in (
            {"file_id": 987654, "name": "住民票の写し.pdf"},
            {"file_id": stored.pk, "name": "本物.pdf"},
            "住民票の写し.pdf",
        ):
            response = submit(Client(), tsu, procedure, {"copy": reference, "note": "x"})
            assert response.status_code == 422, reference
            [message] = response.json()["errors"]["copy"]
            assert "住民票の写し" in message and "添付" in message
        assert Application.objects.count() == 0
        stored.refresh_from_db()
        assert stored.application is None
        assert submit(Client(), tsu, procedure, {"note": "x"}).status_code == 201

    def test_full_and_closed_procedures_answer_409(self, tsu, event):
        client = Client()
        assert submit(client, tsu, event, event_data(1, participants=3)).status_code == 201
        response = submit(client, tsu, event, event_data(2))
        assert response.status_code == 409 and response.json()["code"] in {"full", "closed"}

    def test_a_procedure_kept_by_the_process_is_read_again_once_it_changes(self, tsu, tsu_admin):
        procedure = published_procedure(tsu)
        client = Client()
        assert submit(client, tsu, procedure, event_data(1)).status_code == 201
        services.close_procedure(actor=tsu_admin, procedure=procedure)
        response = submit(client, tsu, procedure, event_data(2))
        assert response.status_code == 409 and response.json()["code"] == "closed"

    def test_each_request_gets_its_own_copy_of_a_kept_procedure(self, tsu, event):
        def read():
            return published.published_procedure(
                tsu.code,
                event.pk,
                lambda: Procedure.objects.select_related("organization").get(pk=event.pk),
            )

        first = read()
        first.name = "書き換えた"
        first.organization = None
        second = read()
        assert second.name == event.name and second.organization == tsu
        assert second.pk == event.pk and not second._state.adding and second._state.db
        assert second._state.fields_cache is not first._state.fields_cache

    @pytest.mark.parametrize("capacity", [None, 3], ids=["no limit", "定員"])
    def test_the_period_and_staff_closing_hold_for_every_procedure(self, tsu, tsu_admin, capacity):
        now = timezone.now()
        early = published_procedure(tsu, capacity=capacity, opens_at=now + timedelta(days=1))
        late = published_procedure(tsu, capacity=capacity, closes_at=now - timedelta(seconds=1))
        stopped = services.close_procedure(
            actor=tsu_admin, procedure=published_procedure(tsu, capacity=capacity)
        )
        client = Client()
        for procedure, code in ((early, "not_open"), (late, "closed"), (stopped, "closed")):
            response = submit(client, tsu, procedure, event_data())
            assert response.status_code == 409, procedure
            assert response.json()["code"] == code
        assert Application.objects.count() == 0

    def test_status_lookup_needs_the_token(self, tsu, event):
        client = Client()
        created = submit(client, tsu, event, event_data()).json()
        url = f"/api/v1/applications/{created['receipt_number']}"
        ok = client.get(url, {"token": created["status_token"]})
        assert ok.status_code == 200 and ok.json()["status"] == "received"
        assert ok.json()["history"][0]["kind"] == "submitted"
        missing = client.get(url, {"token": "wrong"})
        assert missing.status_code == 404 and missing.json()["code"] == "not_found"

    def test_errors_are_json_everywhere(self, tsu, event):
        client = Client()
        assert client.get("/api/v1/o/999999/procedures").json()["code"] == "not_found"
        assert client.get("/api/v2/nothing").json()["code"] == "not_found"
        bad = client.post(
            f"/api/v1/o/{tsu.code}/procedures/{event.pk}/applications",
            "{not json",
            content_type="application/json",
        )
        assert bad.status_code == 400 and bad.json()["code"] == "bad_request"
        assert client.get("/api/v1/staff/applications").status_code == 401

    @pytest.mark.parametrize(
        "data",
        [
            event_data(applicant={"family": "\ud800", "given": "花子"}),
            event_data(support_detail="\udfff"),
            {**event_data(), "\udfff": 1},
        ],
        ids=["in a value", "in a hidden field", "in a key"],
    )
    def test_lone_surrogates_are_refused_with_a_message(self, tsu, event, data):
        response = Client().post(
            f"/api/v1/o/{tsu.code}/procedures/{event.pk}/applications",
            json.dumps(data),  # ASCII JSON: the lone surrogates travel as \\uXXXX escapes
            content_type="application/json",
        )
        assert response.status_code == 400
        assert response.json()["code"] == "bad_request"
        assert "文字" in response.json()["detail"]
        assert Application.objects.count() == 0

    def test_a_body_over_the_upload_limit_is_413(self, tsu, event, settings):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
        response = submit(Client(), tsu, event, {**event_data(), "note": "あ" * 1000})
        assert response.status_code == 413
        assert response.json()["code"] == "too_large"
        assert Application.objects.count() == 0


@pytest.mark.django_db
class TestStaff:
    @pytest.fixture
    def token(self, tsu_admin):
        return accounts.create_api_token(
            actor=None, membership=tsu_admin.memberships.get(), name="連携", role=Role.CLERK
        )[1]

    def test_list_read_change_and_export(
        self, tsu, ise, event, token, django_capture_on_commit_callbacks
    ):
        application = services.submit_application(procedure=event, data=event_data()).application
        other = published_procedure(ise)
        services.submit_application(procedure=other, data=event_data())
        client = Client(HTTP_AUTHORIZATION=token)  # raw, as CKAN-style clients send it
        listing = client.get("/api/v1/staff/applications").json()
        assert (
            listing["count"] == 1
            and listing["items"][0]["receipt_number"] == application.receipt_number
        )
        one = client.get(f"/api/v1/staff/applications/{application.receipt_number}")
        assert one.json()["data"]["email"] == "taro0@example.jp"
        changed = client.post(
            f"/api/v1/staff/applications/{application.receipt_number}/status",
            {"status": "returned", "message": "添付を確認してください"},
            content_type="application/json",
        )
        assert changed.status_code == 200 and changed.json()["status"] == "returned"
        refused = client.post(
            f"/api/v1/staff/applications/{application.receipt_number}/status",
            {"status": "completed"},
            content_type="application/json",
        )
        assert (
            refused.status_code == 422 and "変更できません" in refused.json()["errors"]["status"][0]
        )
        export = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get(
            f"/api/v1/staff/procedures/{event.pk}/export", {"format": "csv-sjis"}
        )
        rows = list(csv.reader(io.StringIO(export.content.decode("cp932"))))
        assert rows[1][0] == application.receipt_number

    def test_a_token_never_reaches_another_organization(self, tsu, ise, token):
        other = published_procedure(ise)
        foreign = services.submit_application(procedure=other, data=event_data()).application
        client = Client(HTTP_AUTHORIZATION=token)
        assert client.get(f"/api/v1/staff/applications/{foreign.receipt_number}").status_code == 404
        assert client.get(f"/api/v1/staff/procedures/{other.pk}/export").status_code == 404
        assert (
            client.get("/api/v1/staff/applications", {"procedure_id": other.pk}).json()["count"]
            == 0
        )

    def test_a_viewer_token_cannot_change_status(self, tsu, event, tsu_admin):
        viewer = accounts.create_api_token(
            actor=None, membership=tsu_admin.memberships.get(), name="閲覧", role=Role.VIEWER
        )[1]
        application = services.submit_application(procedure=event, data=event_data()).application
        response = Client(HTTP_AUTHORIZATION=viewer).post(
            f"/api/v1/staff/applications/{application.receipt_number}/status",
            {"status": "reviewing"},
            content_type="application/json",
        )
        assert response.status_code == 403


@pytest.mark.django_db
def test_public_submissions_are_rate_limited_per_address(tsu, event, settings):
    from django.core.cache import cache

    cache.clear()
    settings.JICHITAI_API_SUBMIT_RATE = "2/m"
    client = Client(REMOTE_ADDR="192.0.2.7")
    statuses = [
        submit(client, tsu, event, event_data(n), key=f"rl-{n}").status_code for n in range(3)
    ]
    assert statuses == [201, 201, 429]
    refused = submit(client, tsu, event, event_data(9), key="rl-9")
    assert refused.json()["code"] == "rate_limited" and "待って" in refused.json()["detail"]
    cache.clear()


@pytest.mark.django_db
def test_the_receipt_answer_is_the_documented_submission(tsu, event):
    from jichitai.procedures.api import SubmissionOut

    response = submit(Client(), tsu, event, event_data(), key="answer-1")
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json; charset=utf-8"
    answer = response.json()
    assert SubmissionOut.model_validate(answer).model_dump() == answer
    application = Application.objects.get()
    assert answer["receipt_number"] == application.receipt_number
    assert answer["status_token"] == application.status_token
    assert answer["status_url"].endswith(
        f"/{application.receipt_number}/{application.status_token}/"
    )


@pytest.mark.django_db
def test_refused_submissions_count_towards_the_rate_limit(tsu, event, settings):
    """The limit is counted before the procedure is looked up (in the same round trip to the
    cache as the published procedures' version): a client probing procedures or sending bodies
    that are refused is slowed down like one that submits."""
    from django.core.cache import cache

    cache.clear()
    settings.JICHITAI_API_SUBMIT_RATE = "2/m"
    client = Client(REMOTE_ADDR="192.0.2.8")
    missing = submit(client, tsu, event, event_data(), key="x" * 101)
    assert missing.status_code == 422
    assert (
        client.post(
            f"/api/v1/o/{tsu.code}/procedures/987654/applications",
            {},
            content_type="application/json",
        ).status_code
        == 404
    )
    refused = submit(client, tsu, event, event_data(), key="rl-after")
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    assert not Application.objects.exists()
    cache.clear()


@pytest.mark.django_db
def test_a_change_to_the_procedure_is_seen_by_the_next_submission(tsu, event):
    """The published procedure kept per process is read again once its version changes, the
    version being read with the rate limit's count."""
    client = Client()
    assert submit(client, tsu, event, event_data(1), key="seen-1").status_code == 201
    event.status = event.Status.CLOSED
    event.save()
    closed = submit(client, tsu, event, event_data(2), key="seen-2")
    assert closed.status_code == 409
    assert Application.objects.count() == 1
