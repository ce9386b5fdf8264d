from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from jichitai.operations.backup import create_backup


class Command(BaseCommand):
    help = "データベースとアップロードファイルをバックアップします(SQLite / PostgreSQL)。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="Archive to write (default: var/backups/jichitai-YYYYmmdd-HHMMSS.tar.gz).",
        )

    def handle(self, *args, output=None, **options):
        from django.conf import settings

        path = (
            Path(output)
            if output
            else (
                Path(settings.VAR_DIR)
                / "backups"
                / f"jichitai-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
            )
        )
        manifest = create_backup(path)
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"{path}: {manifest['database']}、{len(manifest['tables'])} テーブル {rows} 行、"
            f"ファイル {len(manifest['files'])} 件"
        )
