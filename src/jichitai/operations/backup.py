"""Backup and restore of the database and the uploaded files, for SQLite and PostgreSQL.

A backup is one ``.tar.gz`` holding the database in the database's own format (SQLite's online
backup; ``pg_dump --format=custom`` for PostgreSQL), the files under ``MEDIA_ROOT``, and a manifest
with the row count and a content checksum of every table and the checksum of every file. Restore
puts both back and then recomputes the manifest from what it restored: a mismatch fails loudly.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

MANIFEST = "manifest.json"
SQLITE_DUMP = "database.sqlite3"
POSTGRES_DUMP = "database.pgdump"
MEDIA_PREFIX = "media/"
FORMAT_VERSION = 1


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Comparison:
    tables_checked: int
    files_checked: int
    differences: list[str]

    @property
    def ok(self) -> bool:
        return not self.differences


def table_checksums() -> dict[str, dict]:
    """Row count and a checksum of the content of every table Django manages, independent of the
    database engine (values are compared as text in primary-key order)."""
    result = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        digest = hashlib.sha256()
        count = 0
        fields = [field.attname for field in model._meta.concrete_fields]
        for row in (
            model._base_manager.order_by("pk").values_list(*fields).iterator(chunk_size=2000)
        ):
            digest.update(repr(tuple(_comparable(value) for value in row)).encode())
            count += 1
        result[model._meta.db_table] = {"rows": count, "sha256": digest.hexdigest()}
    return result


def _comparable(value):
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, memoryview | bytes):
        return hashlib.sha256(bytes(value)).hexdigest()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value) if value is not None else None


def file_checksums(root: Path) -> dict[str, str]:
    checksums = {}
    if root.exists():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                checksums[path.relative_to(root).as_posix()] = _sha256_file(path)
    return checksums


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} が見つかりません。postgresql-client を導入してください。")
    return path


def _vendor() -> str:
    return connection.vendor


def _postgres_env_and_args() -> tuple[dict, list[str]]:
    db = settings.DATABASES["default"]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = ["--host", db.get("HOST") or "localhost", "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return env, args


def _dump_database(directory: Path) -> str:
    if _vendor() == "sqlite":
        target = directory / SQLITE_DUMP
        connection.ensure_connection()
        with sqlite3.connect(target) as destination:
            connection.connection.backup(destination)
        destination.close()
        return SQLITE_DUMP
    if _vendor() == "postgresql":
        env, args = _postgres_env_and_args()
        target = directory / POSTGRES_DUMP
        subprocess.run(  # noqa: S603
            [
                _tool("pg_dump"),
                *args,
                "--format=custom",
                "--no-owner",
                "--file",
                str(target),
                connection.settings_dict["NAME"],
            ],
            env=env,
            check=True,
            capture_output=True,
        )
        return POSTGRES_DUMP
    raise BackupError(f"unsupported database: {_vendor()}")


def create_backup(output: Path) -> dict:
    """Writes the backup to ``output`` and returns its manifest."""
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary)
        dump_name = _dump_database(directory)
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "database": _vendor(),
            "dump": dump_name,
            "dump_sha256": _sha256_file(directory / dump_name),
            "tables": table_checksums(),
            "files": file_checksums(media_root),
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(output, "w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(directory / dump_name, arcname=dump_name)
            for relative in manifest["files"]:
                archive.add(media_root / relative, arcname=MEDIA_PREFIX + relative)
    return manifest


def read_manifest(archive_path: Path) -> dict:
    with tarfile.open(archive_path, "r:gz") as archive:
        member = archive.extractfile(MANIFEST)
        if member is None:
            raise BackupError("manifest.json がありません。バックアップファイルではありません。")
        return json.loads(member.read())


def _verify_extracted(directory: Path, manifest: dict) -> None:
    """Everything is checked before anything is replaced."""
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError("対応していない形式のバックアップです。")
    if manifest["database"] != _vendor():
        raise BackupError(
            f"このバックアップは {manifest['database']} のものです。現在のデータベースは {_vendor()} です。"
        )
    if _sha256_file(directory / manifest["dump"]) != manifest["dump_sha256"]:
        raise BackupError("データベースのダンプが壊れています(チェックサム不一致)。")
    for relative, checksum in manifest["files"].items():
        staged = directory / "media" / relative
        if not staged.is_file() or _sha256_file(staged) != checksum:
            raise BackupError(f"ファイル {relative} が壊れています(チェックサム不一致)。")


def _restore_database(directory: Path, manifest: dict) -> None:
    dump = directory / manifest["dump"]
    if _vendor() == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(dump) as source:
            source.backup(connection.connection)
        source.close()
        return
    env, args = _postgres_env_and_args()
    connections.close_all()
    subprocess.run(  # noqa: S603
        [
            _tool("pg_restore"),
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            connection.settings_dict["NAME"],
            str(dump),
        ],
        env=env,
        check=True,
        capture_output=True,
    )


def _restore_files(directory: Path, manifest: dict) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    staged = directory / "media"
    if media_root.exists():
        shutil.rmtree(media_root)
    if staged.exists():
        shutil.copytree(staged, media_root)
    else:
        media_root.mkdir(parents=True)


def _safe_members(archive: tarfile.TarFile):
    for member in archive.getmembers():
        if (
            member.issym()
            or member.islnk()
            or member.name.startswith("/")
            or ".." in Path(member.name).parts
        ):
            raise BackupError(f"不正なパスを含むアーカイブです: {member.name}")
        yield member


def restore_backup(archive_path: Path) -> Comparison:
    """Replaces the database and the uploaded files with the backup's, then verifies them against
    the manifest."""
    with tempfile.TemporaryDirectory() as temporary:
        directory = Path(temporary)
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(directory, members=list(_safe_members(archive)), filter="data")
        manifest = json.loads((directory / MANIFEST).read_text())
        _verify_extracted(directory, manifest)
        _restore_database(directory, manifest)
        _restore_files(directory, manifest)
    return compare_with(manifest)


def compare_with(manifest: dict) -> Comparison:
    differences = []
    tables = table_checksums()
    for table, expected in manifest["tables"].items():
        actual = tables.get(table)
        if actual is None:
            differences.append(f"{table}: テーブルがありません")
        elif actual != expected:
            differences.append(
                f"{table}: 件数 {actual['rows']} (バックアップ {expected['rows']})"
                + ("" if actual["rows"] != expected["rows"] else "、内容が異なります")
            )
    files = file_checksums(Path(settings.MEDIA_ROOT))
    for relative, checksum in manifest["files"].items():
        if files.get(relative) != checksum:
            differences.append(f"ファイル {relative}: 内容が異なるか、ありません")
    for relative in set(files) - set(manifest["files"]):
        differences.append(f"ファイル {relative}: バックアップにないファイルです")
    return Comparison(len(manifest["tables"]), len(manifest["files"]), differences)
