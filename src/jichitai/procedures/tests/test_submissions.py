"""Submitting and processing applications through the services every channel uses."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jichitai.audit.models import AuditEvent
from jichitai.core.tests.samples import active_pdf_bytes, pdf_bytes, png_bytes
from jichitai.procedures import availability, selectors, services
from jichitai.procedures.models import Application, ApplicationFile, Procedure
from jichitai.procedures.registry import acceptance_checks
from jichitai.procedures.tests.factories import (
    CAR_INSPECTION_FIELDS,
    event_data,
    published_procedure,
)
from jichitai.tenancy.tests.factories import DivisionFactory

Status = Application.Status


@pytest.fixture
def event(tsu):
    return published_procedure(tsu, capacity=5, one_per_email=True)


@pytest.mark.django_db
class TestSubmission:
    def test_an_application_gets_a_receipt_number_history_audit_and_mail(
        self, event, tsu, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            submission = services.submit_application(
                procedure=event, data=event_data(), idempotency_key="k1"
            )
        application = submission.application
        assert submission.created
        assert (
            application.receipt_number == f"242012-{application.fiscal_year}-{application.pk:06d}"
        )
        assert application.status == Status.RECEIVED
        assert application.applicant_name == "三重 太郎0"
        assert application.applicant_email == "taro0@example.jp"
        assert application.events.get().kind == "submitted"
        assert AuditEvent.objects.filter(
            action="procedures.application.submitted", target_id=str(application.pk)
        ).exists()
        assert len(mail.outbox) == 1
        assert application.receipt_number in mail.outbox[0].subject
        assert application.status_token in mail.outbox[0].body

    def test_the_same_idempotency_key_creates_nothing_more(self, event):
        first = services.submit_application(
            procedure=event, data=event_data(), idempotency_key="same"
        )
        again = services.submit_application(
            procedure=event, data=event_data(), idempotency_key="same"
        )
        assert not again.created
        assert again.application.pk == first.application.pk
        assert Application.objects.count() == 1
        event.refresh_from_db()
        assert event.seats_taken == 1

    def test_an_idempotency_key_reused_with_other_data_is_refused(self, event):
        first = services.submit_application(
            procedure=event, data=event_data(1), idempotency_key="k"
        ).application
        with pytest.raises(services.IdempotencyKeyReused):
            services.submit_application(procedure=event, data=event_data(2), idempotency_key="k")
        again = services.submit_application(
            procedure=event, data=event_data(1), idempotency_key="k"
        )
        assert again.application == first and not again.created

    def test_invalid_data_writes_nothing(self, event):
        with pytest.raises(services.ApplicationInvalid) as error:
            services.submit_application(procedure=event, data=event_data(email="x"))
        assert error.value.message_dict["email"]
        assert Application.objects.count() == 0
        assert AuditEvent.objects.filter(action="procedures.application.submitted").count() == 0

    def test_capacity_counts_persons_and_closes_when_full(self, event):
        services.submit_application(procedure=event, data=event_data(1, participants=3))
        with pytest.raises(services.ProcedureUnavailable) as error:
            services.submit_application(procedure=event, data=event_data(2, participants=3))
        assert error.value.code == "full" and "残りは 2 人分" in error.value.message
        services.submit_application(procedure=event, data=event_data(3, participants=2))
        event.refresh_from_db()
        assert event.seats_taken == 5 and event.status == Procedure.Status.CLOSED
        with pytest.raises(services.ProcedureUnavailable):
            services.submit_application(procedure=event, data=event_data(4))

    def test_one_application_per_email(self, event):
        services.submit_application(procedure=event, data=event_data(1))
        with pytest.raises(services.ProcedureUnavailable) as error:
            services.submit_application(procedure=event, data=event_data(1))
        assert error.value.code == "duplicate"
        assert Application.objects.count() == 1

    def test_withdrawing_gives_back_the_seats_and_the_slot(self, event):
        application = services.submit_application(
            procedure=event, data=event_data(1, participants=2)
        ).application
        services.withdraw(application=application)
        event.refresh_from_db()
        assert event.seats_taken == 0
        services.submit_application(procedure=event, data=event_data(1))  # may apply again

    def test_acceptance_period_is_enforced(self, tsu):
        later = published_procedure(tsu, name="未来", opens_at=timezone.now() + timedelta(days=1))
        with pytest.raises(services.ProcedureUnavailable, match="受付開始前"):
            services.submit_application(procedure=later, data=event_data())
        ended = published_procedure(
            tsu, name="過去", closes_at=timezone.now() - timedelta(minutes=1)
        )
        with pytest.raises(services.ProcedureUnavailable, match="終了"):
            services.submit_application(procedure=ended, data=event_data())

    @pytest.mark.parametrize("capacity", [None, 5], ids=["no limit", "定員"])
    @pytest.mark.parametrize(
        ("state", "code"),
        [("not yet open", "not_open"), ("period ended", "closed"), ("closed by staff", "closed")],
    )
    def test_one_availability_rule_for_every_kind_of_procedure(
        self, tsu, tsu_clerk, capacity, state, code
    ):
        now = timezone.now()
        period = {
            "not yet open": {"opens_at": now + timedelta(days=1)},
            "period ended": {"closes_at": now - timedelta(minutes=1)},
            "closed by staff": {},
        }[state]
        procedure = published_procedure(tsu, capacity=capacity, **period)
        if state == "closed by staff":
            services.close_procedure(actor=tsu_clerk, procedure=procedure)
        assert availability.unavailable_reason(procedure) is not None
        with pytest.raises(services.ProcedureUnavailable) as error:
            services.submit_application(procedure=procedure, data=event_data())
        assert error.value.code == code
        procedure.refresh_from_db()
        assert procedure.seats_taken == 0 and Application.objects.count() == 0
        assert procedure not in selectors.open_procedures(tsu)

    def test_files_are_checked_and_attached(self, tsu):
        fields = [{"name": "proof", "type": "file", "label": "証明書", "required": True}]
        procedure = published_procedure(
            tsu, name="届出", fields=fields, attachment_kinds=["pdf"], attachment_max_mb=1
        )
        with pytest.raises(services.ApplicationInvalid) as error:
            services.submit_application(
                procedure=procedure,
                data={},
                uploads={"proof": SimpleUploadedFile("x.pdf", png_bytes())},
            )
        assert "一致しません" in error.value.message_dict["proof"][0]
        assert ApplicationFile.objects.count() == 0
        with pytest.raises(services.ApplicationInvalid) as error:
            services.submit_application(procedure=procedure, data={})
        assert error.value.message_dict == {"proof": ["「証明書」のファイルを添付してください。"]}
        application = services.submit_application(
            procedure=procedure,
            data={},
            uploads={"proof": SimpleUploadedFile("証明書.pdf", pdf_bytes())},
        ).application
        stored = application.files.get()
        assert stored.original_name == "証明書.pdf"
        assert application.data["proof"] == {"file_id": stored.pk, "name": "証明書.pdf"}
        assert "証明書.pdf" not in stored.file.name  # unguessable storage name

    def test_a_file_required_by_an_earlier_answer_is_asked_for_only_then(self, tsu):
        procedure = published_procedure(tsu, fields=CAR_INSPECTION_FIELDS, attachment_kinds=["pdf"])
        with pytest.raises(services.ApplicationInvalid) as error:
            services.submit_application(procedure=procedure, data={"has_car": "yes"})
        assert error.value.message_dict == {
            "inspection": ["「車検証」のファイルを添付してください。"]
        }
        services.submit_application(procedure=procedure, data={"has_car": "no"})

    def test_an_attachment_with_javascript_is_refused_and_not_stored(self, tsu):
        fields = [{"name": "proof", "type": "file", "label": "証明書", "required": True}]
        procedure = published_procedure(
            tsu, name="届出", fields=fields, attachment_kinds=["pdf"], attachment_max_mb=1
        )
        with pytest.raises(services.ApplicationInvalid) as error:
            services.submit_application(
                procedure=procedure,
                data={},
                uploads={"proof": SimpleUploadedFile("証明書.pdf", active_pdf_bytes("launch"))},
            )
        assert "他のプログラムを起動する命令" in error.value.message_dict["proof"][0]
        assert ApplicationFile.objects.count() == 0 and Application.objects.count() == 0


@pytest.mark.django_db
class TestProcessing:
    def test_the_workflow_with_return_correction_and_approval(
        self, event, tsu_clerk, django_capture_on_commit_callbacks
    ):
        application = services.submit_application(procedure=event, data=event_data()).application
        with pytest.raises(ValidationError, match="差戻しの理由"):
            services.change_status(
                actor=tsu_clerk, application=application, to_status=Status.RETURNED
            )
        with django_capture_on_commit_callbacks(execute=True):
            services.change_status(
                actor=tsu_clerk, application=application, to_status=Status.REVIEWING
            )
            services.change_status(
                actor=tsu_clerk,
                application=application,
                to_status=Status.RETURNED,
                message="人数を確認してください。",
            )
        assert "人数を確認してください。" in mail.outbox[-1].body
        with pytest.raises(services.ApplicationInvalid):
            services.resubmit(application=application, data=event_data(participants=9))
        application = services.resubmit(application=application, data=event_data(participants=2))
        assert application.status == Status.RECEIVED and application.persons == 2
        event.refresh_from_db()
        assert event.seats_taken == 2
        services.change_status(actor=tsu_clerk, application=application, to_status=Status.APPROVED)
        services.change_status(actor=tsu_clerk, application=application, to_status=Status.COMPLETED)
        with pytest.raises(ValidationError, match="変更できません"):
            services.change_status(
                actor=tsu_clerk, application=application, to_status=Status.RECEIVED
            )
        kinds = list(application.events.values_list("kind", flat=True))
        assert kinds == ["submitted", "status", "status", "resubmitted", "status", "status"]

    def test_each_status_mail_tells_the_status_its_event_set(
        self, event, tsu_clerk, django_capture_on_commit_callbacks
    ):
        """The mails go out after commit; by then the application may have moved on."""
        application = services.submit_application(procedure=event, data=event_data()).application
        with django_capture_on_commit_callbacks() as callbacks:
            services.change_status(
                actor=tsu_clerk,
                application=application,
                to_status=Status.RETURNED,
                message="人数を確認してください。",
            )
            services.change_status(
                actor=tsu_clerk, application=application, to_status=Status.REVIEWING
            )
        for callback in callbacks:
            callback()
        returned, reviewing = mail.outbox[-2:]
        assert "差戻し" in returned.subject and "審査中" not in returned.subject
        assert "「差戻し」になりました" in returned.body
        assert "人数を確認してください。" in returned.body
        assert "再提出してください" in returned.body
        assert "審査中" in reviewing.subject
        assert "「審査中」になりました" in reviewing.body
        assert "再提出してください" not in reviewing.body

    def test_a_resubmission_keeps_or_replaces_files_but_takes_no_references(self, tsu, tsu_clerk):
        fields = [{"name": "proof", "type": "file", "label": "証明書", "required": True}]
        procedure = published_procedure(tsu, name="届出", fields=fields)
        application = services.submit_application(
            procedure=procedure,
            data={},
            uploads={"proof": SimpleUploadedFile("証明書.pdf", pdf_bytes())},
        ).application
        kept = application.data["proof"]
        services.change_status(
            actor=tsu_clerk, application=application, to_status=Status.RETURNED, message="確認"
        )
        with pytest.raises(services.ApplicationInvalid) as error:
            services.resubmit(
                application=application, data={"proof": {"file_id": 424242, "name": "偽.pdf"}}
            )
        assert "証明書" in error.value.message_dict["proof"][0]
        application = services.resubmit(application=application, data={"proof": kept})
        assert application.data["proof"] == kept

    def test_submission_and_resubmission_run_the_same_acceptance_checks(self, event, tsu_clerk):
        def no_groups_of_four(candidate):
            if candidate.cleaned.get("participants") == 4:
                raise ValidationError({"participants": ["4人の申込みは受け付けていません。"]})

        acceptance_checks.register("test.no_groups_of_four", no_groups_of_four)
        try:
            with pytest.raises(services.ApplicationInvalid) as error:
                services.submit_application(procedure=event, data=event_data(participants=4))
            assert error.value.message_dict == {
                "participants": ["4人の申込みは受け付けていません。"]
            }
            application = services.submit_application(
                procedure=event, data=event_data()
            ).application
            services.change_status(
                actor=tsu_clerk, application=application, to_status=Status.RETURNED, message="再"
            )
            with pytest.raises(services.ApplicationInvalid) as error:
                services.resubmit(application=application, data=event_data(participants=4))
            assert "participants" in error.value.message_dict
        finally:
            acceptance_checks.unregister("test.no_groups_of_four")

    def test_bulk_changes_report_what_they_skipped(self, event, tsu_clerk):
        first = services.submit_application(procedure=event, data=event_data(1)).application
        second = services.submit_application(procedure=event, data=event_data(2)).application
        services.change_status(actor=tsu_clerk, application=second, to_status=Status.REJECTED)
        changed, skipped = services.bulk_change_status(
            actor=tsu_clerk,
            applications=[first, Application.objects.get(pk=second.pk)],
            to_status=Status.APPROVED,
        )
        assert changed == 1 and skipped == [f"{second.receipt_number}(現在「却下」)"]

    def test_rejection_releases_the_seats(self, event, tsu_clerk):
        application = services.submit_application(
            procedure=event, data=event_data(participants=3)
        ).application
        services.change_status(
            actor=tsu_clerk,
            application=application,
            to_status=Status.REJECTED,
            message="対象外です",
        )
        event.refresh_from_db()
        assert event.seats_taken == 0


@pytest.mark.django_db
class TestForms:
    def test_editing_a_published_form_makes_a_new_version_and_old_applications_keep_theirs(
        self, event, tsu_clerk
    ):
        old = services.submit_application(procedure=event, data=event_data()).application
        fields = [
            *event.draft_fields,
            {"name": "memo", "type": "text", "label": "備考", "required": False},
        ]
        services.save_form_fields(actor=tsu_clerk, procedure=event, fields=fields)
        event.refresh_from_db()
        assert event.current_version.number == 1  # nothing changes for residents until published
        services.publish_procedure(actor=tsu_clerk, procedure=event)
        assert event.current_version.number == 2
        old.refresh_from_db()
        assert old.form_version.number == 1
        new = services.submit_application(
            procedure=event, data=event_data(5, memo="よろしく")
        ).application
        assert new.form_version.number == 2

    def test_a_broken_definition_cannot_be_saved(self, event, tsu_clerk):
        with pytest.raises(ValidationError):
            services.save_form_fields(
                actor=tsu_clerk,
                procedure=event,
                fields=[{"name": "1x", "type": "text", "label": ""}],
            )

    def test_municipalities_copy_the_prefectures_shared_templates(self, prefecture, tsu, tsu_clerk):
        source = published_procedure(
            prefecture, name="児童扶養手当 現況届", is_shared_template=True
        )
        assert list(selectors.shared_templates(tsu)) == [source]
        division = tsu_clerk.memberships.get().division
        copy = services.copy_procedure(
            actor=tsu_clerk, source=source, organization=tsu, division=division
        )
        assert copy.organization == tsu and copy.status == Procedure.Status.DRAFT
        assert copy.draft_fields == source.current_version.fields and copy.copied_from == source

    def test_any_organization_shares_a_form_with_the_others(self, prefecture, tsu, ise, ise_admin):
        shared = published_procedure(tsu, name="粗大ごみ収集申込", is_shared_template=True)
        published_procedure(tsu, name="津市だけの手続")
        assert list(selectors.shared_templates(ise)) == [shared]
        assert list(selectors.shared_templates(prefecture)) == [shared]
        # An organization's own shared forms are already its own: not offered to it again.
        assert list(selectors.shared_templates(tsu)) == []
        copy = services.copy_procedure(
            actor=ise_admin,
            source=shared,
            organization=ise,
            division=DivisionFactory(organization=ise),
        )
        assert copy.organization == ise and copy.copied_from == shared

    def test_a_form_that_is_not_shared_cannot_be_copied_by_another_organization(
        self, tsu, ise, ise_admin
    ):
        private = published_procedure(tsu, name="津市だけの手続")
        with pytest.raises(ValidationError):
            services.copy_procedure(
                actor=ise_admin,
                source=private,
                organization=ise,
                division=DivisionFactory(organization=ise),
            )


@pytest.mark.django_db
def test_counts_per_procedure_and_channel_for_other_modules(event, tsu):
    services.submit_application(procedure=event, data=event_data(1))
    services.submit_application(
        procedure=event, data=event_data(2), channel=Application.Channel.PAPER
    )
    withdrawn = services.submit_application(procedure=event, data=event_data(3)).application
    services.withdraw(application=withdrawn)
    year = withdrawn.fiscal_year
    assert selectors.application_counts(tsu, year) == {event.pk: {"online": 1, "paper": 1}}
    assert selectors.total_applications(tsu, year) == 2
    assert selectors.total_applications(tsu, year, channel="paper") == 1
    assert selectors.application_counts(tsu, year - 1) == {}
