"""Private file storage: uploaded files get unguessable names under MEDIA_ROOT (``PrivateUploadTo``)
and are only ever served by views that have already checked the organization and role
(``private_file_response``)."""

import os
import uuid
from collections.abc import Iterable
from urllib.parse import quote

from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils import timezone
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateUploadTo:
    """An ``upload_to`` for models: ``<prefix>/<YYYY>/<MM>/<uuid><ext>``. The person's file name
    is kept in a model field, never in the path."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __call__(self, instance: models.Model, filename: str) -> str:
        extension = os.path.splitext(filename)[1].lower()[:10]
        now = timezone.now()
        return f"{self.prefix}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PrivateUploadTo) and other.prefix == self.prefix

    def __hash__(self) -> int:
        return hash(self.prefix)


def delete_stored(stored: Iterable[tuple[Storage, str | None]]) -> None:
    """Removes files from their storage; a field that held no file has no name and is skipped."""
    for storage, name in stored:
        if name:
            storage.delete(name)


def delete_stored_on_commit(stored: list[tuple[Storage, str | None]]) -> None:
    """Removes files once the current transaction commits: rows deleted or changed in a
    transaction that rolls back keep their files."""
    if stored:
        transaction.on_commit(lambda: delete_stored(stored))


def delete_files_on_commit(field_files: Iterable[FieldFile]) -> None:
    """Deletes the stored content of ``field_files`` once the current transaction commits."""
    delete_stored_on_commit(
        [(field_file.storage, field_file.name) for field_file in field_files if field_file]
    )


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """RFC 6266 with an ASCII fallback and the UTF-8 name, which every current browser reads."""
    disposition = "inline" if inline else "attachment"
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    # Dropping the Japanese of 受付票_242012-….pdf leaves the separator that followed it.
    ascii_stem = stem.encode("ascii", "ignore").decode().lstrip("_- .") or "download"
    ascii_name = ascii_stem + (f".{extension}" if dot else "")
    ascii_name = ascii_name.replace('"', "").replace("\\", "")
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def private_file_response(
    field_file: FieldFile, *, filename: str, content_type: str | None = None, inline: bool = False
) -> FileResponse:
    response = FileResponse(field_file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
