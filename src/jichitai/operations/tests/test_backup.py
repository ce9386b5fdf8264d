"""Backup and restore round trip: after changes and deletions, restoring brings back exactly the
rows and files of the backup (counts and checksums compared), on SQLite and on PostgreSQL."""

import io
import tarfile

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from jichitai.audit.models import AuditEvent
from jichitai.operations.backup import read_manifest, table_checksums
from jichitai.tenancy.models import Division
from jichitai.tenancy.tests.factories import DivisionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def stored_file():
    path = settings.MEDIA_ROOT / "applications" / "2026" / "11" / "scan.pdf"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"%PDF-1.4 scan of a paper form")
    return path


def test_round_trip_restores_rows_and_files(tsu, tmp_path, stored_file, capsys):
    DivisionFactory(organization=tsu, name="市民課")
    AuditEvent.objects.create(action="before-backup", organization=tsu)
    before = table_checksums()
    archive = tmp_path / "backup.tar.gz"

    call_command("backup", output=str(archive))
    assert "テーブル" in capsys.readouterr().out
    manifest = read_manifest(archive)
    assert manifest["tables"]["tenancy_division"]["rows"] == 1
    assert "applications/2026/11/scan.pdf" in manifest["files"]

    # Damage after the backup: a deletion, an addition, a changed file, a stray file.
    Division.objects.all().delete()
    AuditEvent.objects.create(action="after-backup", organization=tsu)
    stored_file.write_bytes(b"tampered")
    (settings.MEDIA_ROOT / "stray.txt").write_text("x")
    assert table_checksums() != before

    call_command("restore", str(archive), yes=True)
    out = capsys.readouterr().out
    assert "一致しました" in out
    assert table_checksums() == before
    assert Division.objects.get().name == "市民課"
    assert not AuditEvent.objects.filter(action="after-backup").exists()
    assert stored_file.read_bytes() == b"%PDF-1.4 scan of a paper form"
    assert not (settings.MEDIA_ROOT / "stray.txt").exists()


def test_a_corrupted_archive_is_refused_before_anything_changes(tsu, tmp_path, stored_file):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive))
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member)
            if member.name.startswith("media/"):
                content = b"changed inside the archive"
                member.size = len(content)
                data = io.BytesIO(content)
            target.addfile(member, data)
    DivisionFactory(organization=tsu, name="残る課")
    with pytest.raises(CommandError, match="壊れています"):
        call_command("restore", str(tampered), yes=True)
    assert Division.objects.filter(name="残る課").exists()
    assert stored_file.read_bytes() == b"%PDF-1.4 scan of a paper form"


def test_not_a_backup_is_refused(tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="読めません"):
        call_command("restore", str(bogus), yes=True)
