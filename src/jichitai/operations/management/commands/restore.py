import tarfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jichitai.operations.backup import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = "バックアップからデータベースとアップロードファイルを復元し、件数とチェックサムを照合します。"

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask before replacing the current data."
        )

    def handle(self, *args, archive, yes=False, **options):
        path = Path(archive)
        try:
            manifest = read_manifest(path)
        except (OSError, tarfile.TarError, BackupError, ValueError) as error:
            raise CommandError(f"{path} を読めません: {error}") from None
        if not yes:
            answer = input(
                f"{manifest['created_at']} のバックアップで現在のデータを置き換えます。よろしいですか [y/N] "
            )
            if answer.strip().lower() not in {"y", "yes"}:
                raise CommandError("中止しました。")
        try:
            comparison = restore_backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        for difference in comparison.differences:
            self.stderr.write(difference)
        if not comparison.ok:
            raise CommandError("復元後の照合で差異が見つかりました。")
        self.stdout.write(
            f"復元しました: {comparison.tables_checked} テーブルとファイル "
            f"{comparison.files_checked} 件が、件数・チェックサムともバックアップと一致しました。"
        )
