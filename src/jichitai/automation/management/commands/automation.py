from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from jichitai.automation import selectors, services
from jichitai.automation.models import Run
from jichitai.automation.registry import scenarios as shipped
from jichitai.automation.runner import execute
from jichitai.tenancy.models import Membership, Organization
from jichitai.tenancy.selectors import for_tenant

DEFAULT_ORGANIZATION = "240001"


class Command(BaseCommand):
    help = (
        "業務自動化(RPA): シナリオの一覧(list)、計画・本番実行(run NAME --plan|--apply)、"
        "版の承認(approve NAME --as USER)、標準シナリオの追加(add NAME)。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--organization",
            default=DEFAULT_ORGANIZATION,
            help="全国地方公共団体コード(既定: 三重県)",
        )
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("list", help="List the organization's scenarios and the shipped ones.")
        run = sub.add_parser("run", help="Plan or apply a scenario now (in this process).")
        run.add_argument("name")
        mode = run.add_mutually_exclusive_group(required=True)
        mode.add_argument("--plan", action="store_true")
        mode.add_argument("--apply", action="store_true")
        run.add_argument(
            "--input",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="An input: a file or folder path, a procedure id or name, or text.",
        )
        run.add_argument(
            "--as", dest="username", help="The staff member running it (for the record)."
        )
        approve = sub.add_parser("approve", help="Approve the current version as a manager.")
        approve.add_argument("name")
        approve.add_argument("--as", dest="username", required=True)
        add = sub.add_parser("add", help="Add a shipped scenario to the organization.")
        add.add_argument("name", choices=shipped.names())

    def handle(self, *args, subcommand, organization, **options):
        try:
            org = Organization.objects.get(code=organization)
        except Organization.DoesNotExist:
            raise CommandError(f"団体コード {organization} の団体がありません。") from None
        try:
            return getattr(self, f"_{subcommand}")(org, **options)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except Http404:
            raise CommandError(
                "シナリオが見つかりません。`jichitai automation list` で確認してください。"
            ) from None

    def _membership(self, organization, username):
        if not username:
            return None
        membership = (
            for_tenant(Membership.objects.select_related("user"), organization)
            .filter(user__username=username, is_active=True)
            .first()
        )
        if membership is None:
            raise CommandError(f"{username} は {organization} の職員ではありません。")
        return membership

    def _list(self, organization, **options):
        self.stdout.write(f"{'name':28} {'版':>3} {'承認':4} title")
        for scenario in selectors.scenarios_of(organization):
            version = scenario.current_version
            approved = "済" if version.is_approved else "未"
            self.stdout.write(
                f"{scenario.name:28} {version.number:>3} {approved:4} {scenario.title}"
            )
        missing = selectors.shipped_templates(organization)
        if missing:
            self.stdout.write("\n標準シナリオ(未追加: `jichitai automation add NAME`):")
            for entry in missing:
                self.stdout.write(f"  {entry.name:26} {entry.title}")

    def _add(self, organization, name, **options):
        template = selectors.shipped_template(organization, name)
        if template is None:
            raise CommandError(
                f"標準シナリオ {name} は県の業務のためのもので、{organization} には追加できません。"
            )
        scenario = services.create_scenario(
            actor=None, organization=organization, source=template.source
        )
        self.stdout.write(f"追加しました: {scenario.name}(第1版、承認待ち)")

    def _approve(self, organization, name, username, **options):
        scenario = selectors.scenario_by_name(organization, name)
        membership = self._membership(organization, username)
        version = services.approve_version(
            actor=membership.user, membership=membership, version=scenario.current_version
        )
        self.stdout.write(f"{scenario.title} 第{version.number}版を承認しました。")

    def _run(self, organization, name, plan, apply, input, username, **options):
        scenario = selectors.scenario_by_name(organization, name)
        membership = self._membership(organization, username)
        kinds = {
            entry["name"]: entry["kind"]
            for entry in scenario.current_version.definition.get("inputs", [])
        }
        values, paths = {}, {}
        for pair in input:
            key, sep, value = pair.partition("=")
            if not sep:
                raise CommandError(f"--input は NAME=VALUE の形で指定してください: {pair}")
            if kinds.get(key) in {"file", "folder"}:
                if not Path(value).exists():
                    raise CommandError(f"{value} がありません。")
                paths[key] = value
            else:
                values[key] = value
        run = services.start_run(
            actor=membership.user if membership else None,
            scenario=scenario,
            mode=Run.Mode.APPLY if apply else Run.Mode.PLAN,
            values=values,
            paths=paths,
            background=False,
        )
        run = execute(run.pk, progress=lambda done, total, message="": None)
        self.stdout.write(
            f"実行 #{run.pk} {scenario.title} {run.get_mode_display()}: {run.get_status_display()}"
        )
        for line in run.planned:
            self.stdout.write(f"  (全体) {line}")
        for item in run.items.all():
            self.stdout.write(f"  {item.position:>4} {item.get_status_display():12} {item.label}")
            for line in item.planned:
                self.stdout.write(f"         - {line}")
            if item.message:
                self.stdout.write(f"         ! {item.message}")
        for output in run.files.all():
            self.stdout.write(f"  出力: {output.name} ({output.file.path})")
        if run.message:
            self.stdout.write(run.message)
        if run.status == Run.Status.FAILED:
            raise CommandError("実行に失敗しました。")
