"""Staff pages: building and publishing a form, the inbox and its workflow, exports for Excel."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from jichitai.audit.models import AuditEvent
from jichitai.core.tests.samples import xlsx_bytes
from jichitai.procedures import services
from jichitai.procedures.models import Application, Procedure
from jichitai.procedures.tests.factories import event_data, published_procedure
from jichitai.tenancy.models import Role
from jichitai.tenancy.tests.factories import DivisionFactory


@pytest.fixture
def manager(tsu, make_member):
    return make_member(tsu, Role.MANAGER)


@pytest.mark.django_db
class TestBuildingAForm:
    def test_create_add_questions_reorder_and_publish(self, tsu, manager, login):
        client = login(manager)
        division = DivisionFactory(organization=tsu)
        response = client.post(
            f"/s/{tsu.code}/procedures/new/",
            {
                "name": "ごみ減量講座",
                "division": division.pk,
                "category": "event",
                "online": "on",
                "capacity": "20",
                "attachment_max_mb": "10",
                "retention_years": "3",
                "identity": "none",
                "fee_kind": "none",
                "payment_due_days": "14",
                "closes_at_0": "令和9年3月31日",
                "closes_at_1": "17:00",
            },
        )
        procedure = Procedure.objects.get(name="ごみ減量講座")
        assert response["Location"] == f"/s/{tsu.code}/procedures/{procedure.pk}/form/"
        assert procedure.closes_at.year == 2027 and procedure.closes_at.hour + 9 in (17, 26)
        builder = f"/s/{tsu.code}/procedures/{procedure.pk}/form/"
        client.post(builder, {"action": "add", "label": "氏名", "type": "name", "required": "on"})
        client.post(
            builder,
            {
                "action": "add",
                "label": "参加方法",
                "type": "single_choice",
                "choices": "会場\nオンライン",
                "required": "on",
            },
        )
        client.post(
            builder,
            {
                "action": "add",
                "label": "会場への交通手段",
                "type": "text",
                "show_if_field": "field_2",
                "show_if_values": "会場",
            },
        )
        procedure.refresh_from_db()
        assert [f["label"] for f in procedure.draft_fields] == [
            "氏名",
            "参加方法",
            "会場への交通手段",
        ]
        assert procedure.draft_fields[2]["show_if"] == {"field": "field_2", "values": ["会場"]}
        client.post(builder, {"action": "up", "position": "1"})
        procedure.refresh_from_db()
        assert [f["label"] for f in procedure.draft_fields][:2] == ["参加方法", "氏名"]
        client.post(
            f"/s/{tsu.code}/procedures/{procedure.pk}/form/1/",
            {"label": "お名前", "type": "name", "name": "applicant", "required": "on"},
        )
        procedure.refresh_from_db()
        assert (
            procedure.draft_fields[1]["label"] == "お名前"
            and procedure.draft_fields[1]["name"] == "applicant"
        )
        client.post(f"/s/{tsu.code}/procedures/{procedure.pk}/publish/")
        procedure.refresh_from_db()
        assert procedure.status == "published" and procedure.current_version.number == 1
        assert (
            procedure.current_version.schema["$schema"]
            == "https://json-schema.org/draft/2020-12/schema"
        )

    def test_a_choice_question_without_choices_is_refused_with_a_message(self, tsu, manager, login):
        procedure = published_procedure(tsu)
        response = login(manager).post(
            f"/s/{tsu.code}/procedures/{procedure.pk}/form/",
            {"action": "add", "label": "区分", "type": "single_choice"},
        )
        assert response.status_code == 422
        assert "選択肢を1つ以上入力してください" in response.content.decode()

    def test_publishing_needs_a_manager(self, tsu, tsu_clerk, login):
        procedure = published_procedure(tsu, division=tsu_clerk.memberships.get().division)
        assert (
            login(tsu_clerk).post(f"/s/{tsu.code}/procedures/{procedure.pk}/publish/").status_code
            == 403
        )

    def test_xlsform_upload_is_read_in_the_background_and_replaces_the_draft(
        self, tsu, manager, login, django_capture_on_commit_callbacks
    ):
        procedure = published_procedure(tsu)
        survey = xlsx_bytes(
            [
                ["type", "name", "label", "required"],
                ["text", "q1", "ご意見", "no"],
                ["integer", "age", "年齢", "yes"],
            ]
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = login(manager).post(
                f"/s/{tsu.code}/procedures/{procedure.pk}/xlsform/",
                {"workbook": SimpleUploadedFile("form.xlsx", _rename_sheet(survey))},
            )
        assert response.status_code == 302 and "/xlsform/" in response["Location"]
        page = login(manager).get(response["Location"]).content.decode()
        assert "取り込み済み" in page
        procedure.refresh_from_db()
        assert [f["name"] for f in procedure.draft_fields] == ["q1", "age"]

    def test_a_bad_xlsform_row_is_shown(
        self, tsu, manager, login, django_capture_on_commit_callbacks
    ):
        procedure = published_procedure(tsu)
        survey = xlsx_bytes([["type", "name", "label"], ["geoshape", "area", "範囲"]])
        with django_capture_on_commit_callbacks(execute=True):
            response = login(manager).post(
                f"/s/{tsu.code}/procedures/{procedure.pk}/xlsform/",
                {"workbook": SimpleUploadedFile("form.xlsx", _rename_sheet(survey))},
            )
        page = login(manager).get(response["Location"])
        assert page.status_code == 422
        assert (
            "survey シート 2行目: 位置の範囲(geoshape)には対応していません" in page.content.decode()
        )

    def test_warnings_are_accepted_before_the_fields_are_saved(
        self, tsu, manager, login, django_capture_on_commit_callbacks
    ):
        procedure = published_procedure(tsu)
        before = list(procedure.draft_fields)
        survey = xlsx_bytes(
            [["type", "name", "label"], ["start", "start", None], ["text", "q1", "ご意見"]]
        )
        client = login(manager)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/s/{tsu.code}/procedures/{procedure.pk}/xlsform/",
                {"workbook": SimpleUploadedFile("form.xlsx", _rename_sheet(survey))},
            )
        page = client.get(response["Location"]).content.decode()
        assert "端末の情報「start」は Web の申請では集めないため、取り込みません。" in page
        procedure.refresh_from_db()
        assert procedure.draft_fields == before
        assert client.post(response["Location"]).status_code == 302
        procedure.refresh_from_db()
        assert [f["name"] for f in procedure.draft_fields] == ["q1"]

    def test_the_workbook_is_never_read_inside_a_transaction(
        self, tsu, manager, login, django_capture_on_commit_callbacks, monkeypatch
    ):
        """A workbook whose sheet claims 1,048,576 rows once held the write lock for minutes."""
        from django.db import connection

        from jichitai.procedures import xlsform

        seen = []
        read = xlsform.read_xlsform

        def spy(*args, **kwargs):
            seen.append(len(connection.atomic_blocks))
            return read(*args, **kwargs)

        monkeypatch.setattr(xlsform, "read_xlsform", spy)
        outside = len(connection.atomic_blocks)
        procedure = published_procedure(tsu)
        book = load_workbook(
            io.BytesIO(xlsx_bytes([["type", "name", "label"], ["text", "a", "A"]]))
        )
        book.active.title = "survey"
        book.active["A1048576"].number_format = "0"
        buffer = io.BytesIO()
        book.save(buffer)
        with django_capture_on_commit_callbacks(execute=True):
            response = login(manager).post(
                f"/s/{tsu.code}/procedures/{procedure.pk}/xlsform/",
                {"workbook": SimpleUploadedFile("form.xlsx", buffer.getvalue())},
            )
        assert response.status_code == 302
        # Read once, in no transaction beyond the one the test itself runs in (the request's
        # own transaction, which holds the write lock, is over by then).
        assert seen == [outside]
        procedure.refresh_from_db()
        assert [f["name"] for f in procedure.draft_fields] == ["a"]


def _rename_sheet(content: bytes) -> bytes:
    book = load_workbook(io.BytesIO(content))
    book.active.title = "survey"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
class TestInbox:
    def test_filters_detail_and_status_change(
        self, tsu, manager, login, django_capture_on_commit_callbacks
    ):
        procedure = published_procedure(tsu)
        first = services.submit_application(procedure=procedure, data=event_data(1)).application
        services.submit_application(
            procedure=procedure,
            data=event_data(
                2,
                applicant={
                    "family": "鈴鹿",
                    "given": "次郎",
                    "family_kana": "スズカ",
                    "given_kana": "ジロウ",
                },
            ),
        )
        client = login(manager)
        page = client.get(f"/s/{tsu.code}/inbox/", {"text": "鈴鹿"}).content.decode()
        assert "鈴鹿 次郎" in page and "三重 太郎1" not in page
        page = client.get(
            f"/s/{tsu.code}/inbox/", {"since": "令和元年5月1日", "status": "received"}
        ).content.decode()
        assert first.receipt_number in page
        detail = client.get(f"/s/{tsu.code}/inbox/{first.pk}/").content.decode()
        assert "三重 太郎1" in detail
        assert AuditEvent.objects.filter(kind="read", target_id=str(first.pk)).exists()
        refused = client.post(
            f"/s/{tsu.code}/inbox/{first.pk}/status/", {"to_status": "returned", "message": ""}
        )
        assert refused.status_code == 422 and "差戻しの理由" in refused.content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                f"/s/{tsu.code}/inbox/{first.pk}/status/",
                {"to_status": "returned", "message": "住所を確認してください"},
            )
        first.refresh_from_db()
        assert first.status == "returned"
        client.post(f"/s/{tsu.code}/inbox/{first.pk}/comment/", {"text": "電話で確認済み"})
        assert first.events.filter(kind="comment", internal=True).exists()

    def test_the_number_of_people_shows_only_where_it_counts_against_a_capacity(
        self, tsu, manager, login
    ):
        client = login(manager)
        for capacity, shown in [(10, True), (None, False)]:
            procedure = published_procedure(tsu, capacity=capacity)
            application = services.submit_application(
                procedure=procedure, data=event_data()
            ).application
            detail = client.get(f"/s/{tsu.code}/inbox/{application.pk}/").content.decode()
            assert ("<dt>人数</dt>" in detail) is shown, capacity

    def test_bulk_approval_for_event_signups(self, tsu, manager, login):
        procedure = published_procedure(tsu)
        applications = [
            services.submit_application(procedure=procedure, data=event_data(n)).application
            for n in range(3)
        ]
        login(manager).post(
            f"/s/{tsu.code}/inbox/",
            {
                "selected": [a.pk for a in applications[:2]],
                "to_status": "approved",
                "message": "当日お待ちしています",
            },
        )
        assert list(Application.objects.order_by("pk").values_list("status", flat=True)) == [
            "approved",
            "approved",
            "received",
        ]

    def test_clerks_of_a_division_see_only_its_procedures(self, tsu, tsu_clerk, login):
        mine = published_procedure(
            tsu, name="自分の課", division=tsu_clerk.memberships.get().division
        )
        other = published_procedure(tsu, name="他の課")
        mine_app = services.submit_application(procedure=mine, data=event_data(1)).application
        other_app = services.submit_application(procedure=other, data=event_data(2)).application
        client = login(tsu_clerk)
        page = client.get(f"/s/{tsu.code}/inbox/").content.decode()
        assert mine_app.receipt_number in page and other_app.receipt_number not in page
        assert client.get(f"/s/{tsu.code}/inbox/{other_app.pk}/").status_code == 404


@pytest.mark.django_db
class TestExports:
    @pytest.fixture
    def procedure(self, tsu):
        procedure = published_procedure(tsu)
        services.submit_application(procedure=procedure, data=event_data(1))
        services.submit_application(
            procedure=procedure,
            data=event_data(
                2,
                applicant={
                    "family": "𠮷野",
                    "given": "=SUM(A1)",
                    "family_kana": "ヨシノ",
                    "given_kana": "ハナ",
                },
            ),
        )
        return procedure

    def test_utf8_csv_with_bom_and_one_column_per_field(self, tsu, manager, login, procedure):
        response = login(manager).get(
            f"/s/{tsu.code}/procedures/{procedure.pk}/export/", {"format": "csv"}
        )
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert content.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        assert rows[0][:5] == ["受付番号", "受付日時", "受付経路", "状態", "人数"]
        assert "氏名(姓)" in rows[0] and "メールアドレス" in rows[0]
        family = rows[0].index("氏名(姓)")
        assert rows[2][family] == "𠮷野" and rows[2][family + 1] == "'=SUM(A1)"

    def test_a_member_reading_english_exports_the_same_japanese_table(
        self, tsu, manager, login, procedure, settings
    ):
        """An export is a record for the office's spreadsheets: its headings and its values
        (オンライン, 受付, はい) do not change with the language the pages are read in."""
        client = login(manager)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.get(f"/s/{tsu.code}/procedures/{procedure.pk}/export/", {"format": "csv"})
        content = b"".join(response.streaming_content) if response.streaming else response.content
        english = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
        response = client.get(f"/s/{tsu.code}/procedures/{procedure.pk}/export/", {"format": "csv"})
        content = b"".join(response.streaming_content) if response.streaming else response.content
        japanese = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        assert english == japanese
        assert english[1][2:4] == ["オンライン", "受付"]

    def test_cp932_export_reports_characters_it_cannot_hold(self, tsu, manager, login, procedure):
        client = login(manager)
        report = client.get(
            f"/s/{tsu.code}/procedures/{procedure.pk}/export/", {"format": "csv-sjis"}
        )
        body = report.content.decode()
        assert "Shift_JIS に変換できない文字があります" in body and "𠮷" in body
        download = client.get(
            f"/s/{tsu.code}/procedures/{procedure.pk}/export/",
            {"format": "csv-sjis", "download": "1"},
        )
        rows = list(csv.reader(io.StringIO(download.content.decode("cp932"))))
        assert rows[2][rows[0].index("氏名(姓)")] == "〓野"

    def test_xlsx_export(self, tsu, manager, login, procedure):
        response = login(manager).get(
            f"/s/{tsu.code}/procedures/{procedure.pk}/export/", {"format": "xlsx"}
        )
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet["A1"].value == "受付番号"
        assert sheet.max_row == 3

    def test_xlsx_export_of_a_procedure_named_with_characters_excel_forbids_in_sheet_titles(
        self, tsu, manager, login, procedure
    ):
        procedure.name = "転入/転出届 [令和6年度] 記入例: 住所\\氏名? 必須* 添付書類の提出について"
        procedure.save(update_fields=["name"])
        response = login(manager).get(
            f"/s/{tsu.code}/procedures/{procedure.pk}/export/", {"format": "xlsx"}
        )
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.content))
        assert book.sheetnames == ["転入_転出届 _令和6年度_ 記入例_ 住所_氏名_ 必須_"]
        assert book.active["A1"].value == "受付番号"


@pytest.mark.django_db
@pytest.mark.parametrize("selected", ["abc", "1e3", "99999999999999999999999", "-1"])
def test_a_forged_bulk_selection_is_refused_with_a_message(tsu, tsu_admin, login, selected):
    procedure = published_procedure(tsu)
    application = services.submit_application(procedure=procedure, data=event_data(1)).application

    response = login(tsu_admin).post(
        f"/s/{tsu.code}/inbox/",
        {"selected": [application.pk, selected], "to_status": "approved", "message": ""},
    )

    assert response.status_code == 400
    assert "選択した申請は" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "received"
