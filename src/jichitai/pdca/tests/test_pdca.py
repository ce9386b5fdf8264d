"""Managing a plan: figures per 年度 with who entered them, achievement (computed or overridden with
a reason), closed years, frozen publications, live indicators, and the Excel round trip."""

import io
from datetime import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from freezegun import freeze_time
from openpyxl import load_workbook

from jichitai.audit.models import AuditEvent
from jichitai.jobs.models import Job
from jichitai.pdca import selectors, services, workbook, workbook_diff
from jichitai.pdca.models import Action, Indicator, ReportSnapshot
from jichitai.pdca.tests.factories import plan_with_action
from jichitai.procedures import services as procedures
from jichitai.procedures.models import Procedure
from jichitai.tenancy.models import Role


@pytest.fixture
def manager(prefecture, make_member):
    return make_member(prefecture, Role.MANAGER)


@pytest.fixture
def clerk(prefecture, make_member):
    return make_member(prefecture, Role.CLERK)


@pytest.mark.django_db
class TestFigures:
    def test_achievement_is_computed_and_can_be_overridden_with_a_reason(self, prefecture, clerk):
        plan = plan_with_action(prefecture)
        indicator = plan.indicators.get()
        services.set_indicator_year(
            actor=clerk, indicator=indicator, fiscal_year=2024, target="100", actual="99"
        )
        row = selectors.indicator_rows(indicator)[0]
        assert row["achievement"].rate == Decimal("99.0") and row["achievement"].label == "未達成"
        with pytest.raises(ValidationError, match="理由"):
            services.set_indicator_year(
                actor=clerk, indicator=indicator, fiscal_year=2024, override="achieved"
            )
        services.set_indicator_year(
            actor=clerk,
            indicator=indicator,
            fiscal_year=2024,
            override="achieved",
            override_comment="年度末の駆け込みを含めると達成",
        )
        row = selectors.indicator_rows(indicator)[0]
        assert row["achievement"].label == "達成" and row["achievement"].overridden
        assert row["entered_by"] == clerk
        event = AuditEvent.objects.filter(action="pdca.indicator_year.updated").first()  # newest
        assert event.changes["override"] == ["", "achieved"]

    def test_lower_is_better_indicators(self, prefecture, clerk):
        plan = plan_with_action(prefecture)
        indicator = plan.indicators.get()
        indicator.direction = Indicator.Direction.LOWER
        indicator.save()
        services.set_indicator_year(
            actor=clerk, indicator=indicator, fiscal_year=2024, target="100", actual="80"
        )
        assert selectors.indicator_rows(indicator)[0]["achievement"].label == "達成"

    def test_a_closed_year_is_locked_until_a_manager_reopens_it(self, prefecture, clerk, manager):
        plan = plan_with_action(prefecture)
        indicator = plan.indicators.get()
        services.lock_year(actor=manager, plan=plan, fiscal_year=2024)
        with pytest.raises(ValidationError, match="締め切られている"):
            services.set_indicator_year(
                actor=clerk, indicator=indicator, fiscal_year=2024, actual="5"
            )
        with pytest.raises(ValidationError, match="締め切られている"):
            services.set_action_year(
                actor=clerk, action=plan.actions.get(), fiscal_year=2024, status_text="x"
            )
        with pytest.raises(ValidationError, match="再開できるのは"):
            services.reopen_year(
                actor=clerk, membership=clerk.memberships.get(), plan=plan, fiscal_year=2024
            )
        services.reopen_year(
            actor=manager, membership=manager.memberships.get(), plan=plan, fiscal_year=2024
        )
        services.set_indicator_year(actor=clerk, indicator=indicator, fiscal_year=2024, actual="5")
        assert AuditEvent.objects.filter(action="pdca.year.reopened").exists()

    def test_missing_actuals_of_past_years_are_flagged(self, prefecture):
        plan = plan_with_action(prefecture, first_year=2020, last_year=2026)
        assert selectors.is_stale(plan.indicators.get())

    def test_the_home_page_links_each_indicator_whose_actual_is_due(
        self, prefecture, make_member, login
    ):
        plan = plan_with_action(prefecture, first_year=2020, last_year=2026)
        indicator = plan.indicators.get()
        home = login(make_member(prefecture, Role.CLERK)).get("/s/240001/").content.decode()
        assert "実績値が未入力の指標が 1 件あります。" in home
        link = f'href="/s/240001/pdca/plans/{plan.pk}/indicators/{indicator.pk}/"'
        assert f"{link}>申請件数</a>({plan.name})" in home


@pytest.mark.django_db
def test_published_reports_are_frozen(prefecture, clerk, manager):
    plan = plan_with_action(prefecture)
    indicator = plan.indicators.get()
    services.set_indicator_year(actor=clerk, indicator=indicator, fiscal_year=2024, actual="90")
    snapshot = services.publish_report(
        actor=manager, plan=plan, kind=ReportSnapshot.Kind.EVALUATION, fiscal_year=2025
    )
    services.set_indicator_year(actor=clerk, indicator=indicator, fiscal_year=2024, actual="120")
    snapshot.refresh_from_db()
    published = snapshot.data["indicators"][0]["years"][0]["actual"]
    current = selectors.evaluation_data(plan, 2025)["indicators"][0]["years"][0]["actual"]
    assert (published, current) == ("90件", "120件")


@pytest.mark.django_db
def test_an_evaluation_sheets_chart_shows_no_actual_after_its_year(prefecture, clerk):
    """The 令和6年度 sheet's table leaves later years' actuals blank; its chart does the same,
    while still drawing the targets of the whole plan period."""
    plan = plan_with_action(prefecture)
    indicator = plan.indicators.get()
    for fiscal_year, actual in ((2024, "90"), (2025, "120")):
        services.set_indicator_year(
            actor=clerk, indicator=indicator, fiscal_year=fiscal_year, actual=actual
        )
    sheet = selectors.evaluation_data(plan, 2024)["indicators"][0]
    assert [year["actual"] for year in sheet["years"][:2]] == ["90件", ""]
    assert [point["actual"] for point in sheet["chart"][:2]] == [90.0, None]
    assert [point["target"] for point in sheet["chart"]] == [
        point["target"] for point in selectors.evaluation_data(plan, 2028)["indicators"][0]["chart"]
    ]


@pytest.mark.django_db
def test_the_application_count_indicator_follows_the_platform(policy, manager, login):
    """A manager binds the demo's application-count indicator to the live metric; its R5 (2023年度)
    actual then counts the applications received in that 年度, and grows when one arrives."""
    from jichitai.pdca.models import Plan

    policy = Plan.objects.get(organization__code="240001", slug="smart-government-policy")
    indicator = policy.indicators.get(name="電子申請・届出システムによる申請件数")
    client = login(manager)
    client.post(
        f"/s/240001/pdca/plans/{policy.pk}/indicators/{indicator.pk}/metric/",
        {"metric_name": "procedures.applications"},
    )
    indicator.refresh_from_db()
    assert indicator.metric_name == "procedures.applications"
    survey = Procedure.objects.get(name="スマート自治体に関する職員アンケート")

    def r5():
        return next(
            row for row in selectors.indicator_rows(indicator) if row["fiscal_year"] == 2023
        )

    # The demo's staff survey of November 令和5年度 was answered online 50 times.
    assert r5()["actual"] == 50 and r5()["measured"]
    assert next(row for row in selectors.indicator_rows(indicator) if row["fiscal_year"] == 2020)[
        "actual"
    ] == Decimal("22299")
    with freeze_time(datetime(2024, 3, 15, 10, 0)):  # 令和5年度
        procedures.submit_application(
            procedure=survey, data={"division_kind": "本庁", "feel_progress": "実感している"}
        )
    assert r5()["actual"] == 51
    page = client.get(f"/s/240001/pdca/plans/{policy.pk}/").content.decode()
    assert "自動計測" in page


@pytest.mark.django_db
class TestWorkbook:
    def test_export_edit_preview_and_apply_in_the_background(
        self, strategy, clerk, login, django_capture_on_commit_callbacks
    ):
        client = login(clerk)
        content = client.get(f"/s/240001/pdca/plans/{strategy.pk}/workbook.xlsx").content
        book = load_workbook(io.BytesIO(content))
        sheet = book["取組"]
        header = [cell.value for cell in sheet[1]]
        assert header == workbook.columns(strategy)
        status_r4 = header.index("取組状況 R4") + 1
        sheet.cell(row=2, column=status_r4, value="R4年度：18業務にRPAを導入")
        sheet.append(
            [
                "mie-digital-strategy",
                1,
                "",
                "県の取組",
                35,
                "1",
                "AI-OCR の共同利用",
                "スマート改革推進課",
            ]
        )
        broken = io.BytesIO()
        sheet.append(["other-plan", 99, "", "どこか", "三十六", "", "", ""])
        book.save(broken)

        response = client.post(
            f"/s/240001/pdca/plans/{strategy.pk}/workbook/import/",
            {"workbook": SimpleUploadedFile("plan.xlsx", broken.getvalue())},
            follow=True,
        )
        page = response.content.decode()
        assert (
            "取組シート 37行目 「計画」列" in page
            and "「NO」列: 「三十六」は番号ではありません" in page
        )
        assert "この内容で反映する" not in page

        sheet.delete_rows(37)
        fixed = io.BytesIO()
        book.save(fixed)
        response = client.post(
            f"/s/240001/pdca/plans/{strategy.pk}/workbook/import/",
            {"workbook": SimpleUploadedFile("plan.xlsx", fixed.getvalue())},
            follow=True,
        )
        preview_url = response.redirect_chain[-1][0]
        page = response.content.decode()
        assert "変更のある行: 2" in page and "変更なし" in page
        assert "<strong>取組状況 R4</strong>: <del>" in page
        assert "→ <ins>R4年度：18業務にRPAを導入</ins>" in page
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(preview_url)
        job = Job.objects.get(kind="pdca.import")
        assert (
            job.status == Job.Status.SUCCEEDED
            and job.result["created"] == 1
            and job.result["updated"] == 1
            and job.done == 2
        )
        assert Action.objects.get(plan=strategy, number=35).title == "AI-OCR の共同利用"
        assert (
            Action.objects.get(plan=strategy, number=1).years.get(fiscal_year=2022).status_text
            == "R4年度：18業務にRPAを導入"
        )

    @pytest.mark.parametrize(
        ("upload", "message"),
        [
            ({}, "Excel ファイルを選んでください"),
            ({"workbook": SimpleUploadedFile("plan.csv", b"a,b\n1,2\n")}, "xlsx"),
        ],
        ids=["no file", "not a workbook"],
    )
    def test_a_file_that_cannot_be_read_is_refused_beside_the_file_field(
        self, strategy, clerk, login, upload, message
    ):
        response = login(clerk).post(f"/s/240001/pdca/plans/{strategy.pk}/workbook/import/", upload)

        assert response.status_code == 400
        page = response.content.decode()
        field = page[page.index('name="workbook"') - 700 :][:900]
        assert message in field and 'aria-invalid="true"' in field
        assert strategy.name in page  # the plan's page again, not a page of its own

    def test_command_line_round_trip_and_reports(self, strategy, policy, tmp_path, capsys):
        call_command(
            "pdca", "export", "--plan", "mie-digital-strategy", str(tmp_path / "plan.xlsx")
        )
        call_command(
            "pdca", "import", "--plan", "mie-digital-strategy", str(tmp_path / "plan.xlsx")
        )
        assert "追加 0 件、更新 0 件" in capsys.readouterr().out
        for kind, plan, fmt in (
            ("evaluation", "smart-government-policy", "pdf"),
            ("evaluation", "smart-government-policy", "xlsx"),
            ("progress", "mie-digital-strategy", "pdf"),
        ):
            output = tmp_path / f"report.{fmt}"
            call_command(
                "pdca",
                "report",
                kind,
                "--plan",
                plan,
                "--year",
                "2021",
                "--format",
                fmt,
                "--output",
                str(output),
            )
            assert output.read_bytes()[:4] in {b"%PDF", b"PK\x03\x04"}
        assert "公開版" in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["inf", "-inf", "nan", "1e400", 1e300, "99999999999999999999"])
def test_a_workbook_number_out_of_range_is_a_problem_of_its_row(prefecture, number):
    plan = plan_with_action(prefecture)
    book = load_workbook(io.BytesIO(workbook.export_workbook(plan)))
    sheet = book["取組"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=header.index("NO") + 1, value=number)
    edited = io.BytesIO()
    book.save(edited)

    rows, problems = workbook_diff.read_workbook(plan, edited.getvalue())

    assert [row for row in rows if row["sheet"] == "取組"] == []
    assert len(problems) == 1
    assert problems[0].startswith("取組シート 2行目 「NO」列: 「")
    assert problems[0].endswith("」は番号ではありません。")


@pytest.mark.django_db
def test_a_plans_fiscal_years_read_as_fy_in_english(prefecture, manager, login):
    """The 年度 a manager closes and reopens read 令和6年度 in Japanese and FY2024 in English, as
    every other 年度 on the English pages does."""
    plan = plan_with_action(prefecture, first_year=2024, last_year=2024)
    client = login(manager)
    assert "令和6年度: 入力中" in client.get(f"/s/240001/pdca/plans/{plan.pk}/").content.decode()
    client.cookies["django_language"] = "en"
    page = client.get(f"/s/240001/pdca/plans/{plan.pk}/").content.decode()
    assert "FY2024: Open" in page and "令和6年度" not in page
    closed = client.post(
        f"/s/240001/pdca/plans/{plan.pk}/years/2024/lock/", follow=True
    ).content.decode()
    assert "FY2024" in closed and "令和6年度" not in closed
