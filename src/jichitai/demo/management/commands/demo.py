from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from jichitai.demo.foundation import DEMO_PASSWORD, DEMO_STAFF
from jichitai.demo.registry import demo_loaders
from jichitai.tenancy.models import Organization, Role


class Command(BaseCommand):
    help = "デモデータ(三重県と29市町、所属、デモ職員、各機能のサンプル)を読み込みます。何度実行しても同じ結果です。"

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins.")

    def handle(self, *args, quiet_logins: bool = False, **options):
        # The demo accounts share a password printed here and in the README.
        if settings.JICHITAI_ENVIRONMENT != "development":
            raise CommandError(
                "デモデータは開発環境でのみ読み込めます(JICHITAI_ENVIRONMENT=development)。"
                f"この環境: {settings.JICHITAI_ENVIRONMENT}"
            )
        # Demo submissions would otherwise e-mail their made-up applicants.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            for name, loader in sorted(demo_loaders.items(), key=lambda item: item[1].order):
                for line in loader.load():
                    self.stdout.write(f"[{name}] {line}")
        if not quiet_logins:
            self.stdout.write(self.style.SUCCESS("\nデモ用ログイン (パスワードは共通):"))
            names = dict(
                Organization.objects.filter(
                    code__in={staff.organization_code for staff in DEMO_STAFF}
                ).values_list("code", "name")
            )
            for staff in DEMO_STAFF:
                self.stdout.write(
                    f"  {staff.username:<14} {names.get(staff.organization_code, '')} "
                    f"{staff.division or ''} {staff.full_name}({Role(staff.role).label})"
                )
            self.stdout.write(f"  パスワード: {DEMO_PASSWORD}")
