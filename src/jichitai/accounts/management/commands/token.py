"""``jichitai token create|list|revoke``: API tokens for an operator at the server, as CKAN's
``ckan user token add|list|revoke`` (for a harvester or a batch job set up before anyone can log in
to make one on the staff pages)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from jichitai.accounts import selectors, services
from jichitai.tenancy import selectors as tenancy
from jichitai.tenancy.models import Role


def _organization(code: str):
    try:
        return tenancy.organization_by_code(code)
    except Http404:
        raise CommandError(f"団体コード {code} の団体はありません。") from None


class Command(BaseCommand):
    help = "API トークンを作成・一覧表示・失効します(CKAN の ckan user token に相当)。"

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        create = commands.add_parser(
            "create", help="トークンを作り、最後の行にトークンだけを出力します。"
        )
        create.add_argument("--organization", required=True, help="団体コード(6桁)")
        create.add_argument("--user", required=True, help="トークンの持ち主のログインID")
        create.add_argument(
            "--role", default=Role.CLERK, choices=[role.value for role in Role], help="権限"
        )
        create.add_argument("--name", required=True, help="用途(例: ハーベスター)")
        listing = commands.add_parser("list", help="団体のトークンを一覧表示します。")
        listing.add_argument("--organization", required=True, help="団体コード(6桁)")
        revoke = commands.add_parser("revoke", help="トークンを失効させます。")
        revoke.add_argument("--organization", required=True, help="団体コード(6桁)")
        revoke.add_argument("prefix", help="トークンの識別子(「.」の前の部分)")

    def handle(self, *args, command: str, organization: str, **options):
        found = _organization(organization)
        if command == "create":
            self._create(found, options["user"], options["role"], options["name"])
        elif command == "list":
            for token in selectors.tokens_of(found).order_by("created_at"):
                state = "失効" if token.revoked_at else "有効"
                self.stdout.write(
                    f"{token.prefix}\t{token.user.get_username()}\t{token.role}\t{state}\t"
                    f"{token.created_at:%Y-%m-%d %H:%M}\t{token.name}"
                )
        else:
            token = selectors.token_with_prefix(found, options["prefix"])
            if token is None:
                raise CommandError(f"識別子 {options['prefix']} のトークンはありません。")
            services.revoke_api_token(actor=None, token=token)
            self.stdout.write(f"{token.prefix} を失効させました。")

    def _create(self, organization, username: str, role: str, name: str) -> None:
        user = tenancy.account_named(username)
        membership = tenancy.membership_for(user, organization.code) if user else None
        if membership is None:
            raise CommandError(
                f"{username} には団体 {organization.code} の有効な所属がありません。"
            )
        try:
            token, raw = services.create_api_token(
                actor=None, membership=membership, name=name, role=role
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"{organization.name} の {username} のトークン({token.role}・{name})を作りました。"
        )
        self.stdout.write("この値は二度と表示されません:")
        self.stdout.write(raw)
