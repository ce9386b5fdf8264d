"""Files an application carries: checked against the procedure's policy and stored, either with
the submission or, on the input page, waiting under the browser session's upload token."""

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext

from jichitai.core.files import delete_files_on_commit
from jichitai.core.uploads import UploadRejected, check_upload, human_size, safe_filename
from jichitai.procedures.models import ApplicationFile, Procedure


@transaction.atomic
def store_upload(
    *,
    procedure: Procedure,
    field_name: str,
    upload: File[bytes],
    upload_token: str = "",
    accept: list[str] | None = None,
) -> ApplicationFile:
    """Checks an uploaded file against the question's own kinds (``accept``: a picture question
    takes pictures) or else the procedure's attachment policy, then stores it (waiting for its
    application), the file and its row together: nothing is stored when the check fails, and no
    file is left without its row when the row cannot be written."""
    kinds = accept or procedure.attachment_kinds or ["pdf", "jpeg", "png"]
    checked = check_upload(
        upload, allowed=kinds, max_bytes=procedure.attachment_max_mb * 1024 * 1024
    )
    stored = ApplicationFile(
        organization=procedure.organization,
        field_name=field_name,
        original_name=checked.name,
        content_type=checked.kind.content_type,
        size=checked.size,
        sha256=checked.sha256,
        upload_token=upload_token,
    )
    stored.file.save(checked.name, upload, save=False)
    try:
        stored.save()
    except BaseException:
        stored.file.delete(save=False)
        raise
    return stored


@transaction.atomic
def store_pending_upload(
    *,
    procedure: Procedure,
    field_name: str,
    upload: File[bytes],
    upload_token: str,
    replaces: int | None = None,
    accept: list[str] | None = None,
) -> ApplicationFile:
    """A file chosen on the input page, kept under the browser session's upload token until the
    applicant confirms (``retention.expire_pending_uploads`` deletes it otherwise). A session keeps
    at most JICHITAI_PENDING_UPLOAD_MAX_FILES files and JICHITAI_PENDING_UPLOAD_MAX_BYTES bytes, so
    forms never sent cannot fill the disk before they expire. ``replaces`` is the id of the file
    this one takes the place of: it is deleted and does not count."""
    waiting = ApplicationFile.objects.filter(application__isnull=True, upload_token=upload_token)
    replaced = waiting.filter(pk=replaces).first() if replaces is not None else None
    if replaced is not None:
        waiting = waiting.exclude(pk=replaced.pk)
    totals = waiting.aggregate(files=Count("pk"), size=Sum("size"))
    # Told on the resident's page in the language they chose (gettext in the active language).
    shown = safe_filename(getattr(upload, "name", "") or "") or gettext("(名前のないファイル)")
    most_files = settings.JICHITAI_PENDING_UPLOAD_MAX_FILES
    if totals["files"] >= most_files:
        raise UploadRejected(
            gettext(
                "「%(name)s」を添付できません。送信前に添付しておけるファイルは %(files)s 件まで"
                "です(このブラウザでほかの手続に添付したものを含みます)。"
            )
            % {"name": shown, "files": most_files}
        )
    most_bytes = settings.JICHITAI_PENDING_UPLOAD_MAX_BYTES
    used = totals["size"] or 0
    if used + upload.size > most_bytes:
        raise UploadRejected(
            gettext(
                "「%(name)s」を添付できません。送信前に添付しておけるファイルは合計 %(limit)s "
                "までです(添付済み %(used)s、このファイル %(size)s)。"
            )
            % {
                "name": shown,
                "limit": human_size(most_bytes),
                "used": human_size(used),
                "size": human_size(upload.size),
            }
        )
    stored = store_upload(
        procedure=procedure,
        field_name=field_name,
        upload=upload,
        upload_token=upload_token,
        accept=accept,
    )
    if replaced is not None:
        delete_files_on_commit([replaced.file])
        replaced.delete()
    return stored
