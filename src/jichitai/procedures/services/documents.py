"""Issuing documents on a decision, the procedure's document template and the 公印."""

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jichitai.accounts.models import User
from jichitai.audit import services as audit
from jichitai.core.actors import signed_in
from jichitai.core.files import delete_files_on_commit
from jichitai.core.pdf import document_markup
from jichitai.core.uploads import check_upload
from jichitai.procedures import notifications
from jichitai.procedures.definitions import answer_fields
from jichitai.procedures.documents import rendering
from jichitai.procedures.documents import selectors as documents
from jichitai.procedures.documents.models import (
    ISSUABLE_STATUSES,
    MAX_SEAL_BYTES,
    MAX_SEAL_SIDE,
    DocumentKind,
    DocumentTemplate,
    IssuedDocument,
    OfficialSeal,
)
from jichitai.procedures.models import Application, ApplicationEvent, Procedure
from jichitai.procedures.selectors import display_rows
from jichitai.tenancy.models import Organization


@transaction.atomic
def set_official_seal(
    *, actor: User | None, organization: Organization, upload: UploadedFile
) -> OfficialSeal:
    """Registers (or replaces) the organization's 公印: a PNG, size- and content-checked."""
    try:
        checked = check_upload(upload, allowed=["png"], max_bytes=MAX_SEAL_BYTES)
    except ValidationError as error:
        raise ValidationError({"image": error.messages}) from error
    from PIL import Image

    upload.seek(0)
    with Image.open(upload) as image:
        width, height = image.size
    if max(width, height) > MAX_SEAL_SIDE:
        raise ValidationError(
            {
                "image": _(
                    "画像が大きすぎます(%(width)s×%(height)sピクセル)。一辺 %(side)s ピクセル以内にしてください。"
                )
                % {"width": width, "height": height, "side": MAX_SEAL_SIDE}
            }
        )
    upload.seek(0)
    seal = documents.official_seal(organization)
    if seal is None:
        seal = OfficialSeal(organization=organization)
    else:
        delete_files_on_commit([seal.image])
    seal.image.save(checked.name, upload, save=False)
    seal.sha256 = checked.sha256
    seal.uploaded_at = timezone.now()
    seal.save()
    audit.record(
        action="procedures.seal.uploaded",
        actor=actor,
        target=seal,
        summary=f"公印を登録({checked.name}, {width}×{height})",
    )
    return seal


@transaction.atomic
def save_document_template(
    *, actor: User | None, procedure: Procedure, kind: str, title: str, body: str
) -> DocumentTemplate:
    errors = {}
    if kind not in DocumentKind.values:
        errors["kind"] = "文書の種類を選んでください。"
    if not title.strip():
        errors["title"] = "表題を入力してください(例: 交付決定通知書)。"
    if not document_markup(body).strip():
        errors["body"] = "本文を入力してください。"
    if errors:
        raise ValidationError(errors)
    template = documents.document_template(procedure) or DocumentTemplate(
        organization=procedure.organization, procedure=procedure
    )
    template.kind, template.title, template.body = kind, title.strip(), body
    template.save()
    audit.record(
        action="procedures.document_template.saved",
        actor=actor,
        target=procedure,
        summary=f"発行文書のひな形「{template.title}」を保存",
    )
    return template


def _answers(application: Application) -> dict[str, str]:
    """Every item of the application's form by its name (blank when not answered, so that a
    template naming an optional item prints nothing rather than the brace)."""
    answers = {spec["label"]: "" for spec in answer_fields(application.form_version.fields)}
    answers.update(display_rows(application))
    return answers


@transaction.atomic
def issue_document(*, actor: User | None, application: Application) -> IssuedDocument:
    """Renders the procedure's document (its template, else the standard 通知書) as a PDF with the
    公印, keeps it with the application and tells the applicant in the history."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in ISSUABLE_STATUSES:
        raise ValidationError(
            _("文書は承認した申請にだけ発行できます。先に状態を「承認」にしてください。")
        )
    if application.purged_at:
        raise ValidationError(_("個人情報を削除した申請には文書を発行できません。"))
    template = documents.document_template(application.procedure)
    kind = template.kind if template else DocumentKind.NOTICE
    title = template.title if template else rendering.default_title(kind)
    body = template.body if template else rendering.DEFAULT_BODIES[DocumentKind(kind)]
    count = documents.issued_documents(application).count()
    number = f"{application.receipt_number}-{count + 1:02d}"
    issued_at = timezone.now()
    pdf = rendering.document_pdf(
        application=application,
        kind=kind,
        title=title,
        body=body,
        number=number,
        issued_on=timezone.localdate(issued_at),
        seal=documents.official_seal(application.organization),
        answers=_answers(application),
    )
    document = IssuedDocument(
        organization=application.organization,
        application=application,
        kind=kind,
        title=title,
        number=number,
        sha256=hashlib.sha256(pdf).hexdigest(),
        issued_at=issued_at,
        issued_by=signed_in(actor),
    )
    document.file.save(f"{number}.pdf", ContentFile(pdf), save=False)
    document.save()
    ApplicationEvent.objects.create(
        application=application,
        kind=ApplicationEvent.Kind.ISSUED,
        actor=document.issued_by,
        message=f"{title}({number})",
        at=issued_at,
    )
    notifications.document_issued(document)
    audit.record(
        action="procedures.document.issued",
        actor=actor,
        target=application,
        summary=f"{title} {number} を発行",
    )
    return document
