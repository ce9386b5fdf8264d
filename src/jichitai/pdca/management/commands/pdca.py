from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from jichitai.pdca import reports, selectors, services, workbook
from jichitai.pdca.models import ReportSnapshot


class Command(BaseCommand):
    help = (
        "計画・KPI: 報告書の作成(report evaluation|progress)、計画の Excel 書き出し(export)・取込(import)。"
        "公開済みの版があればそれを、なければ現在のデータを使います(--draft で常に現在のデータ)。"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        report = sub.add_parser("report", help="Render a report.")
        report.add_argument("kind", choices=["evaluation", "progress"])
        report.add_argument("--plan", required=True, help="Plan id or slug.")
        report.add_argument(
            "--year", type=int, required=True, help="年度 as its first Western year (2021 for R3)."
        )
        report.add_argument("--format", choices=["pdf", "xlsx"], default="pdf")
        report.add_argument("--output", required=True)
        report.add_argument(
            "--draft",
            action="store_true",
            help="Use the current data even if a version is published.",
        )
        report.add_argument(
            "--organization", help="全国地方公共団体コード, when the slug is used by several."
        )
        export = sub.add_parser(
            "export", help="Write the plan (actions, indicators, budgets) as a workbook."
        )
        export.add_argument("--plan", required=True)
        export.add_argument("--organization")
        export.add_argument("file")
        imported = sub.add_parser(
            "import", help="Apply the changed cells of an edited plan workbook."
        )
        imported.add_argument("--plan", required=True)
        imported.add_argument("--organization")
        imported.add_argument("file")

    def _plan(self, reference, organization_code):
        from jichitai.tenancy.models import Organization

        organization = (
            Organization.objects.filter(code=organization_code).first()
            if organization_code
            else None
        )
        try:
            return selectors.plan_by_reference(reference, organization)
        except Http404:
            raise CommandError(
                f"計画「{reference}」が見つからないか、複数の団体にあります(--organization で指定してください)。"
            ) from None

    def handle(self, *args, subcommand, **options):
        plan = self._plan(options["plan"], options.get("organization"))
        if subcommand == "report":
            kind, year = options["kind"], options["year"]
            if year not in plan.fiscal_years:
                raise CommandError(
                    f"{year} 年度は計画期間({plan.first_year}〜{plan.last_year})の外です。"
                )
            snapshot = None if options["draft"] else selectors.latest_snapshot(plan, kind, year)
            data = snapshot.data if snapshot else selectors.report_data(plan, kind, year)
            content = reports.pdf(data) if options["format"] == "pdf" else reports.xlsx(data)
            Path(options["output"]).write_bytes(content)
            source = (
                f"{snapshot.published_at:%Y-%m-%d %H:%M} 公開版" if snapshot else "現在のデータ"
            )
            self.stdout.write(
                f"{options['output']}: {ReportSnapshot.Kind(kind).label} {year}年度 ({source}), {len(content)} bytes"
            )
        elif subcommand == "export":
            Path(options["file"]).write_bytes(workbook.export_workbook(plan))
            self.stdout.write(
                f"{options['file']}: 取組 {plan.actions.count()}、指標 {plan.indicators.count()}、"
                f"事業 {plan.projects.count()}"
            )
        else:
            try:
                batch = services.preview_import(
                    actor=None,
                    plan=plan,
                    file_name=Path(options["file"]).name,
                    data=Path(options["file"]).read_bytes(),
                )
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            if batch.problems:
                for problem in batch.problems:
                    self.stderr.write(problem)
                raise CommandError("取り込めませんでした。上の行を直してください。")
            result = services.apply_import_now(batch=batch)
            self.stdout.write(
                f"{options['file']}: 追加 {result['created']} 件、更新 {result['updated']} 件、"
                f"変更なし {result['unchanged']} 件"
            )
