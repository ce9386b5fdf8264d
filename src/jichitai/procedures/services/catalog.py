"""The catalog: procedures, their settings, the form being edited and its published versions."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jichitai.accounts.models import User
from jichitai.audit import services as audit
from jichitai.core.actors import signed_in
from jichitai.procedures.definitions import build_schema, check_definition
from jichitai.procedures.fields import FieldSpec
from jichitai.procedures.models import FormVersion, Procedure
from jichitai.tenancy.models import Division, Organization

PROCEDURE_FIELDS = [
    "division",
    "name",
    "description",
    "category",
    "online",
    "listed",
    "opens_at",
    "closes_at",
    "capacity",
    "one_per_email",
    "needs_signature",
    # After needs_signature: a check chosen by name wins over the checkbox's default.
    "signature_check",
    "payment_method",
    "identity",
    "fee_kind",
    "fee_amount",
    "payment_due_days",
    "attachment_kinds",
    "attachment_max_mb",
    "retention_years",
    "processing_days",
    "is_shared_template",
]


def _check_procedure(procedure: Procedure) -> None:
    if procedure.division.organization_id != procedure.organization_id:
        raise ValidationError({"division": _("別の団体の所属は選べません。")})
    if procedure.opens_at and procedure.closes_at and procedure.closes_at <= procedure.opens_at:
        raise ValidationError({"closes_at": _("受付終了は受付開始より後にしてください。")})
    if procedure.fee_owed_on_receipt and not procedure.fee_amount:
        raise ValidationError(
            {"fee_amount": _("定額・1人あたりの手数料では、金額を入力してください。")}
        )


@transaction.atomic
def create_procedure(
    *,
    actor: User | None,
    organization: Organization,
    fields: list[FieldSpec] | None = None,
    **values: Any,
) -> Procedure:
    procedure = Procedure(organization=organization, draft_fields=fields or [])
    for name in PROCEDURE_FIELDS:
        if name in values:
            setattr(procedure, name, values[name])
    _check_procedure(procedure)
    procedure.save()
    audit.record_created(instance=procedure, fields=["name", "category", "division"], actor=actor)
    return procedure


@transaction.atomic
def update_procedure(*, actor: User | None, procedure: Procedure, **values: Any) -> Procedure:
    stored = Procedure.objects.get(pk=procedure.pk)
    before = audit.snapshot(instance=stored, fields=PROCEDURE_FIELDS)
    for name in PROCEDURE_FIELDS:
        if name in values:
            setattr(procedure, name, values[name])
    _check_procedure(procedure)
    if procedure.capacity is not None and procedure.capacity < stored.seats_taken:
        raise ValidationError(
            {
                "capacity": _(
                    "すでに %(seats_taken)s 人の申込みがあります。それより少ない定員にはできません。"
                )
                % {"seats_taken": stored.seats_taken}
            }
        )
    procedure.save()
    audit.record_update(
        action="procedures.procedure.updated", actor=actor, target=procedure, before=before
    )
    return procedure


@transaction.atomic
def save_form_fields(
    *, actor: User | None, procedure: Procedure, fields: list[FieldSpec]
) -> Procedure:
    """Stores the form being edited. What residents see changes only when it is published."""
    problems = check_definition(fields)
    if problems:
        raise ValidationError(problems)
    before = procedure.draft_fields
    procedure.draft_fields = fields
    procedure.save(update_fields=["draft_fields", "updated_at"])
    audit.record(
        action="procedures.form.edited",
        actor=actor,
        target=procedure,
        changes={"fields": [len(before), len(fields)]},
        summary=f"項目数 {len(fields)}",
    )
    return procedure


@transaction.atomic
def publish_procedure(*, actor: User | None, procedure: Procedure) -> Procedure:
    """Publishes the form being edited. If it differs from the published one it becomes a new
    version; applications already received keep the version they were made with."""
    fields = procedure.draft_fields
    problems = check_definition(fields)
    if not fields:
        problems.insert(0, "項目が1つもありません。")
    if problems:
        raise ValidationError(problems)
    current = procedure.current_version
    if current is None or current.fields != fields:
        number = (
            procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        version = FormVersion.objects.create(
            procedure=procedure,
            number=number,
            fields=fields,
            schema=build_schema(fields, title=procedure.name),
            created_by=signed_in(actor),
        )
        procedure.current_version = version
    else:
        version = current
    old_status = procedure.status
    procedure.status = Procedure.Status.PUBLISHED
    procedure.save(update_fields=["current_version", "status", "updated_at"])
    audit.record(
        action="procedures.procedure.published",
        actor=actor,
        target=procedure,
        changes={
            "status": [old_status, procedure.status],
            "version": [current.number if current else None, version.number],
        },
    )
    return procedure


@transaction.atomic
def close_procedure(*, actor: User | None, procedure: Procedure) -> Procedure:
    old = procedure.status
    procedure.status = Procedure.Status.CLOSED
    procedure.save(update_fields=["status", "updated_at"])
    audit.record(
        action="procedures.procedure.closed",
        actor=actor,
        target=procedure,
        changes={"status": [old, procedure.status]},
    )
    return procedure


@transaction.atomic
def copy_procedure(
    *, actor: User | None, source: Procedure, organization: Organization, division: Division | None
) -> Procedure:
    """フォームシェア: an organization copies a procedure another one shares (or one of its own),
    as a draft of its own that it can adapt before publishing."""
    if not (source.is_shared_template or source.organization_id == organization.pk):
        raise ValidationError(_("共有されていない手続は複製できません。"))
    fields = source.current_version.fields if source.current_version else source.draft_fields
    copy = Procedure(
        organization=organization,
        division=division,
        name=source.name,
        description=source.description,
        translations=source.translations,
        category=source.category,
        online=source.online,
        capacity=source.capacity,
        one_per_email=source.one_per_email,
        signature_check=source.signature_check,
        payment_method=source.payment_method,
        fee_kind=source.fee_kind,
        fee_amount=source.fee_amount,
        payment_due_days=source.payment_due_days,
        identity=source.identity,
        attachment_kinds=source.attachment_kinds,
        attachment_max_mb=source.attachment_max_mb,
        retention_years=source.retention_years,
        draft_fields=fields,
        copied_from=source,
    )
    _check_procedure(copy)
    copy.save()
    audit.record_created(
        instance=copy,
        fields=["name", "category"],
        actor=actor,
        summary=f"{source.organization.name}「{source.name}」から複製",
    )
    return copy
