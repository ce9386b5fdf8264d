"""A clerk's busy day: 標準処理期間 counted in open days, the inbox's views (自分の担当・未割当・
期限超過), sorting, bulk assignment, and an applicant shown for every channel."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from jichitai.procedures import deadlines, selectors, services
from jichitai.procedures.models import Application, ClosedDay, Procedure
from jichitai.procedures.tests.factories import event_data, published_procedure
from jichitai.tenancy.models import Role
from jichitai.tenancy.tests.factories import DivisionFactory


class TestProcessingPeriod:
    def test_weekends_holidays_and_the_year_end_are_not_counted(self):
        # Fri 25 Dec 2026: 28 Dec is the 1st open day, 29 Dec–3 Jan are 年末年始, 4–7 Jan follow.
        assert deadlines.add_open_days(date(2026, 12, 25), 5) == date(2027, 1, 7)
        # 勤労感謝の日 (Mon 23 Nov 2026) is a national holiday.
        assert deadlines.add_open_days(date(2026, 11, 20), 1) == date(2026, 11, 24)

    def test_the_organizations_own_closed_days_are_not_counted(self):
        assert deadlines.add_open_days(date(2026, 12, 7), 1, {date(2026, 12, 8)}) == date(
            2026, 12, 9
        )

    def test_marks_say_past_and_near_due(self):
        today = date(2026, 12, 3)
        assert deadlines.mark(date(2026, 12, 2), today) == "overdue"
        assert deadlines.mark(date(2026, 12, 5), today) == "soon"
        assert deadlines.mark(date(2026, 12, 20), today) == ""
        assert deadlines.mark(None, today) == ""

    @pytest.mark.django_db
    def test_every_application_gets_its_due_date_at_receipt(self, tsu):
        procedure = published_procedure(tsu, processing_days=5)
        ClosedDay.objects.create(
            organization=tsu, date=timezone.localdate() + timedelta(days=1), name="庁舎移転"
        )
        application = services.submit_application(
            procedure=procedure, data=event_data()
        ).application
        closed = {timezone.localdate() + timedelta(days=1)}
        expected = deadlines.add_open_days(timezone.localdate(), 5, closed)
        assert application.due_date == expected
        without = published_procedure(tsu, name="期限なし")
        assert (
            services.submit_application(procedure=without, data=event_data(1)).application.due_date
            is None
        )


@pytest.mark.django_db
class TestInboxForABusyDay:
    @pytest.fixture
    def day(self, tsu, make_member):
        division = DivisionFactory(organization=tsu, name="市民課")
        clerk = make_member(tsu, Role.CLERK, division=division)
        colleague = make_member(tsu, Role.CLERK, division=division)
        procedure = published_procedure(tsu, division=division, processing_days=3)
        applications = [
            services.submit_application(procedure=procedure, data=event_data(n)).application
            for n in range(6)
        ]
        # Two are overdue, one was given to the clerk, one to a colleague.
        Application.objects.filter(pk__in=[a.pk for a in applications[:2]]).update(
            due_date=timezone.localdate() - timedelta(days=1)
        )
        services.assign(actor=clerk, application=applications[2], assignee=clerk)
        services.assign(actor=clerk, application=applications[3], assignee=colleague)
        return clerk, colleague, applications

    def test_views_for_mine_unassigned_and_overdue_with_counts(self, tsu, day, login):
        clerk, _colleague, applications = day
        client = login(clerk)
        mine = client.get(f"/s/{tsu.code}/inbox/?view=mine").content.decode()
        assert applications[2].receipt_number in mine
        assert "このフィールドは必須です" not in mine  # the bulk forms wait for a choice
        assert applications[0].receipt_number not in mine
        unassigned = client.get(f"/s/{tsu.code}/inbox/?view=unassigned").content.decode()
        assert applications[0].receipt_number in unassigned
        assert applications[2].receipt_number not in unassigned
        assert applications[3].receipt_number not in unassigned
        overdue = client.get(f"/s/{tsu.code}/inbox/?view=overdue").content.decode()
        assert applications[0].receipt_number in overdue and "期限超過" in overdue
        assert applications[4].receipt_number not in overdue
        counts = selectors.inbox_counts(tsu.memberships.get(user=clerk))
        assert (counts["mine"], counts["unassigned"], counts["overdue"]) == (1, 4, 2)

    def test_the_home_and_the_inbox_tabs_count_alike(self, tsu, day, login):
        clerk, _colleague, applications = day
        # Sent back to the resident or approved, an application still waits for its end;
        # completed, it does not.
        Application.objects.filter(pk=applications[4].pk).update(status="returned")
        Application.objects.filter(pk=applications[5].pk).update(status="approved")
        Application.objects.filter(pk=applications[1].pk).update(status="completed")
        client = login(clerk)
        inbox = client.get(f"/s/{tsu.code}/inbox/").content.decode()
        home = client.get(f"/s/{tsu.code}/").content.decode()
        # 「すべて」 lists every application, and says how many it lists.
        assert re.search(r"すべて <span[^>]*>6</span>", inbox)
        assert inbox.count(applications[0].receipt_number[:-3]) >= 6
        assert '<p class="figure">5<small> 件が処理待ち</small></p>' in home
        assert applications[5].receipt_number in home  # approved, still waiting: listed
        assert applications[1].receipt_number not in home.split("受付箱を開く")[0]

    def test_sorting_by_a_column_keeps_the_filters_in_the_url(self, tsu, day, login):
        clerk, _colleague, _applications = day
        client = login(clerk)
        page = client.get(f"/s/{tsu.code}/inbox/?view=unassigned&sort=receipt")
        rows = [a.receipt_number for a in page.context["page"]]
        assert rows == sorted(rows)
        descending = client.get(f"/s/{tsu.code}/inbox/?view=unassigned&sort=-receipt")
        assert [a.receipt_number for a in descending.context["page"]] == rows[::-1]
        header = next(c for c in page.context["columns"] if c["aria_sort"])
        assert "view=unassigned" in header["url"] and "sort=-receipt" in header["url"]
        assert 'aria-sort="ascending"' in page.content.decode()

    def test_bulk_assignment_gives_the_chosen_applications_to_one_person(self, tsu, day, login):
        clerk, colleague, applications = day
        chosen = [applications[0].pk, applications[1].pk, applications[4].pk]
        response = login(clerk).post(
            f"/s/{tsu.code}/inbox/?view=unassigned",
            {"selected": chosen, "action": "assign", "bulk-assignee": colleague.pk},
        )
        assert response.status_code == 302
        assert set(
            Application.objects.filter(assigned_to=colleague).values_list("pk", flat=True)
        ) == {*chosen, applications[3].pk}


@pytest.mark.django_db
class TestApplicantForEveryChannel:
    def test_a_paper_row_shows_the_name_written_on_the_form(self, tsu):
        procedure = published_procedure(
            tsu,
            online=False,
            fields=[
                {"name": "name", "type": "text", "label": "氏名", "required": True},
                {"name": "children", "type": "number", "label": "対象児童数", "required": False},
            ],
        )
        application = services.submit_application(
            procedure=procedure,
            data={"name": "三重 花子", "children": 1},
            channel=Application.Channel.PAPER,
        ).application
        assert application.applicant_display == "三重 花子"

    def test_an_anonymous_survey_answer_says_so_instead_of_a_dash(self, tsu):
        procedure = published_procedure(
            tsu,
            category=Procedure.Category.SURVEY,
            fields=[{"name": "q", "type": "text", "label": "ご意見", "required": True}],
        )
        application = services.submit_application(
            procedure=procedure, data={"q": "よい"}
        ).application
        assert application.applicant_display == "(無記名の回答)"

    def test_a_paper_only_procedure_is_not_offered_online(self, tsu):
        procedure = published_procedure(
            tsu,
            online=False,
            fields=[{"name": "name", "type": "text", "label": "氏名", "required": True}],
        )
        with pytest.raises(services.ProcedureUnavailable):
            services.submit_application(procedure=procedure, data={"name": "三重 花子"})
        assert procedure not in selectors.open_procedures(tsu)


@pytest.mark.django_db
def test_completion_is_refused_while_the_fee_is_unpaid(tsu, make_member):
    from django.core.exceptions import ValidationError

    from jichitai.payments import services as payment_services

    clerk = make_member(tsu, Role.CLERK)
    procedure = published_procedure(tsu, fee_kind=Procedure.FeeKind.FIXED, fee_amount=300)
    application = services.submit_application(procedure=procedure, data=event_data()).application
    services.change_status(actor=clerk, application=application, to_status="approved")
    with pytest.raises(ValidationError, match="手数料が納付されていない"):
        services.change_status(actor=clerk, application=application, to_status="completed")
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    payment_services.cancel(actor=clerk, payment=application.payment)
    services.change_status(actor=clerk, application=application, to_status="completed")


@pytest.mark.django_db
def test_an_attached_pdf_is_previewed_inside_the_application_page(tsu, make_member, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jichitai.core.tests.samples import pdf_bytes

    clerk = make_member(tsu, Role.CLERK)
    procedure = published_procedure(
        tsu,
        attachment_kinds=["pdf"],
        fields=[
            {"name": "applicant", "type": "name", "label": "氏名", "required": True},
            {"name": "proof", "type": "file", "label": "証明書", "required": True},
        ],
    )
    application = services.submit_application(
        procedure=procedure,
        data={"applicant": event_data()["applicant"]},
        uploads={"proof": SimpleUploadedFile("証明書.pdf", pdf_bytes(), "application/pdf")},
    ).application
    client = login(clerk)
    page = client.get(f"/s/{tsu.code}/inbox/{application.pk}/").content.decode()
    stored = application.files.get()
    url = f"/s/{tsu.code}/inbox/{application.pk}/files/{stored.pk}/"
    assert f'<iframe class="attachment-preview" src="{url}?inline=1"' in page
    preview = client.get(url + "?inline=1")
    assert preview["Content-Disposition"].startswith("inline")
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert client.get(url)["Content-Disposition"].startswith("attachment")


@pytest.mark.django_db
def test_an_attached_photo_is_shown_as_an_image_in_the_application_page(tsu, make_member, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jichitai.core.tests.samples import png_bytes

    clerk = make_member(tsu, Role.CLERK)
    procedure = published_procedure(
        tsu,
        attachment_kinds=["png"],
        fields=[
            {"name": "applicant", "type": "name", "label": "氏名", "required": True},
            {"name": "photo", "type": "file", "label": "写真", "required": True},
        ],
    )
    application = services.submit_application(
        procedure=procedure,
        data={"applicant": event_data()["applicant"]},
        uploads={"photo": SimpleUploadedFile("写真.png", png_bytes(), "image/png")},
    ).application
    client = login(clerk)
    page = client.get(f"/s/{tsu.code}/inbox/{application.pk}/").content.decode()
    url = f"/s/{tsu.code}/inbox/{application.pk}/files/{application.files.get().pk}/"
    assert f'<img class="attachment-preview" src="{url}?inline=1" alt="添付画像 写真.png"' in page
    preview = client.get(url + "?inline=1")
    assert preview["Content-Disposition"].startswith("inline")
    assert preview["Content-Type"] == "image/png"


@pytest.mark.django_db
def test_the_delay_report_counts_overdue_and_late_decisions_per_procedure(tsu, make_member, login):
    clerk = make_member(tsu, Role.CLERK)
    procedure = published_procedure(tsu, name="住民票の写しの交付請求", processing_days=5)
    late, waiting, on_time = (
        services.submit_application(procedure=procedure, data=event_data(n)).application
        for n in range(3)
    )
    Application.objects.filter(pk__in=[late.pk, waiting.pk]).update(
        due_date=timezone.localdate() - timedelta(days=2)
    )
    services.change_status(actor=clerk, application=late, to_status="approved")
    services.change_status(actor=clerk, application=on_time, to_status="approved")
    page = login(clerk).get(f"/s/{tsu.code}/inbox/delays/")
    [row] = page.context["rows"]
    assert (row["waiting"], row["overdue"], row["decided"], row["decided_late"]) == (1, 1, 2, 1)
    html = page.content.decode()
    inbox = f"/s/{tsu.code}/inbox/?procedure={procedure.pk}"
    # The name opens the procedure's applications; the overdue count, the ones past their date.
    assert f'<a href="{inbox}">住民票の写しの交付請求</a>' in html
    assert f'<a href="{inbox}&amp;view=overdue" class="badge badge--error"' in html


@pytest.mark.django_db
def test_a_manager_sets_the_organizations_closed_days(tsu, make_member, login):
    manager = make_member(tsu, Role.MANAGER)
    client = login(manager)
    added = client.post(
        f"/s/{tsu.code}/inbox/closed-days/", {"date": "令和9年1月5日", "name": "庁舎移転"}
    )
    assert added.status_code == 302
    day = ClosedDay.objects.get(organization=tsu)
    assert day.date == date(2027, 1, 5)
    again = client.post(f"/s/{tsu.code}/inbox/closed-days/", {"date": "2027-01-05", "name": "重複"})
    assert again.status_code == 422 and "すでに閉庁日です" in again.content.decode()
    client.post(f"/s/{tsu.code}/inbox/closed-days/{day.pk}/remove/")
    assert not ClosedDay.objects.exists()
