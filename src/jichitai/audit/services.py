"""Recording audit entries. Services call these inside their own transaction, so the entry exists
exactly when the change does."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.db import models

from jichitai.audit.models import AuditEvent
from jichitai.core import context
from jichitai.core.actors import Actor, signed_in
from jichitai.core.rows import RowInsert

if TYPE_CHECKING:
    from jichitai.accounts.models import User
    from jichitai.tenancy.models import Organization

_MAX_VALUE_LENGTH = 500
# Entries are written on every submission: one INSERT built once per process, not by save().
entries = RowInsert(AuditEvent)
REDACTED = "(削除済み)"


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        if isinstance(value, str) and len(value) > _MAX_VALUE_LENGTH:
            return value[:_MAX_VALUE_LENGTH] + "…"
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return {"id": value.pk, "repr": str(value)[:100]}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    return str(value)


def snapshot(*, instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """The values of ``fields`` as they are now, for comparing after a change."""
    return {name: getattr(instance, name) for name in fields}


def changes_between(*, before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value differs."""
    return {
        name: [_jsonable(before.get(name)), _jsonable(after.get(name))]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def redact_changes(*, model: type[models.Model], ids: Iterable[object]) -> int:
    """Keeps the entries about these objects but replaces the old and new values in their
    ``changes`` by a marker: used when the objects' personal data is erased, which the values
    would otherwise keep. Which fields changed is still told. Returns how many were redacted."""
    events = AuditEvent.objects.filter(
        target_type=model._meta.label, target_id__in=[str(pk) for pk in ids]
    ).only("pk", "changes")
    redacted = 0
    for event in events:
        if not event.changes:
            continue
        AuditEvent.objects.filter(pk=event.pk).update(
            changes={name: [REDACTED, REDACTED] for name in event.changes}
        )
        redacted += 1
    return redacted


def _organization_of(target: models.Model | None) -> "Organization | None":
    if target is None:
        return None
    # Recognised by name: the audit floor lies below tenancy and does not import its models.
    if target.__class__.__name__ == "Organization":
        return cast("Organization", target)
    return getattr(target, "organization", None)


def record(
    *,
    action: str,
    actor: Actor = None,
    organization: "Organization | None" = None,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    summary: str = "",
    kind: str = AuditEvent.Kind.WRITE,
) -> AuditEvent:
    return entries.insert(
        entry(
            action=action,
            actor=actor,
            organization=organization,
            target=target,
            changes=changes,
            summary=summary,
            kind=kind,
        )
    )


def entry(
    *,
    action: str,
    actor: Actor = None,
    organization: "Organization | None" = None,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    summary: str = "",
    kind: str = AuditEvent.Kind.WRITE,
) -> AuditEvent:
    """The entry ``record`` writes, not yet written: for a statement that writes it with the
    change it tells of (``entries`` inserts it)."""
    person = signed_in(actor)
    return AuditEvent(
        actor=person,
        organization=organization if organization is not None else _organization_of(target),
        **_described(
            action=action,
            actor=person,
            target=target,
            changes=changes,
            summary=summary,
            kind=kind,
        ),
    )


def entry_values(
    *,
    action: str,
    actor: Actor = None,
    organization: "Organization | None" = None,
    target: models.Model | None = None,
    summary: str = "",
) -> dict[str, Any]:
    """``entry``'s values by column (``actor_id``, ``organization_id``), without building the
    entry: for a statement that writes its row from them (``RowInsert.values``)."""
    person = signed_in(actor)
    owner = organization if organization is not None else _organization_of(target)
    return {
        "actor_id": person.pk if person is not None else None,
        "organization_id": owner.pk if owner is not None else None,
        **_described(
            action=action,
            actor=person,
            target=target,
            changes=None,
            summary=summary,
            kind=AuditEvent.Kind.WRITE.value,
        ),
    }


def _described(
    *,
    action: str,
    actor: "User | None",
    target: models.Model | None,
    changes: dict[str, Any] | None,
    summary: str,
    kind: str,
) -> dict[str, Any]:
    """An entry's values besides its actor and organization, and the request it was made in."""
    current = context.current()
    return {
        "kind": kind,
        "action": action,
        "actor_name": str(actor)[:150] if actor else "",
        "target_type": target._meta.label if target is not None else "",
        "target_id": str(target.pk) if target is not None else "",
        "target_repr": str(target)[:200] if target is not None else "",
        "summary": summary[:300],
        "changes": _jsonable(changes or {}),
        "ip_address": current.ip_address,
        "request_id": current.request_id,
        "channel": current.channel,
    }


def record_read(
    *, actor: Actor, organization: "Organization | None", target: models.Model, summary: str = ""
) -> AuditEvent:
    """A read of personal data (an application, a member's contact details)."""
    return record(
        action="read",
        actor=actor,
        organization=organization,
        target=target,
        summary=summary,
        kind=AuditEvent.Kind.READ,
    )


def record_created(
    *, instance: models.Model, fields: list[str], actor: Actor, summary: str = "", **kw: Any
) -> AuditEvent:
    return record(
        action=f"{instance._meta.label_lower}.created",
        actor=actor,
        target=instance,
        changes=changes_between(before={}, after=snapshot(instance=instance, fields=fields)),
        summary=summary,
        **kw,
    )


def record_update(
    *,
    action: str,
    actor: Actor,
    target: models.Model,
    before: dict[str, Any],
    organization: "Organization | None" = None,
    summary: str = "",
) -> AuditEvent | None:
    """One entry for a change to ``target``: ``before`` is the ``snapshot`` taken before it was
    changed, compared with the same fields now. Nothing is recorded, and None returned, when no
    field changed."""
    changes = changes_between(before=before, after=snapshot(instance=target, fields=list(before)))
    if not changes:
        return None
    return record(
        action=action,
        actor=actor,
        organization=organization,
        target=target,
        changes=changes,
        summary=summary,
    )
