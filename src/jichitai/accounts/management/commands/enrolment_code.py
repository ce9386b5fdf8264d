from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from jichitai.accounts import services
from jichitai.tenancy.selectors import membership_for


class Command(BaseCommand):
    help = (
        "職員が初めて認証アプリを登録するための登録コードを発行します。管理者がまだいない団体の"
        "最初の管理者など、画面から発行できない場合にサーバーの運用者が使います。"
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="ログインID")
        parser.add_argument("--organization", required=True, help="団体コード(6桁)")

    def handle(self, *args, username: str, organization: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        membership = membership_for(user, organization) if user is not None else None
        if membership is None:
            raise CommandError(f"{username} には団体 {organization} の有効な所属がありません。")
        code = services.issue_enrolment_code(actor=None, membership=membership)
        self.stdout.write("本人に対面または電話で伝えてください(一度だけ使えます):")
        self.stdout.write(code)
