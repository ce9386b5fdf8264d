"""Writes about organizations, divisions and memberships. Each function is one transaction and
records what it changed in the audit log."""

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from jichitai.audit import services as audit
from jichitai.tenancy.models import Division, Membership, Organization, Role

ORGANIZATION_FIELDS = ["name", "name_kana", "postal_code", "address", "phone", "email", "website"]
DIVISION_FIELDS = ["name", "department", "phone", "email", "is_active"]
MEMBERSHIP_FIELDS = ["role", "division", "is_active"]


def _stored(instance):
    """The row as it is in the database: a ModelForm has already copied the new values onto the
    instance it was given, so the instance cannot tell what is changing."""
    return type(instance)._default_manager.get(pk=instance.pk)


def _apply(instance, fields: list[str], values: dict) -> dict:
    before = audit.snapshot(_stored(instance), fields)
    for name in fields:
        if name in values:
            setattr(instance, name, values[name])
    instance.full_clean()
    instance.save()
    return audit.changes_between(before, audit.snapshot(instance, fields))


@transaction.atomic
def update_organization(*, actor, organization: Organization, **values) -> Organization:
    changes = _apply(organization, ORGANIZATION_FIELDS, values)
    if changes:
        audit.record(
            "tenancy.organization.updated", actor=actor, target=organization, changes=changes
        )
    return organization


@transaction.atomic
def create_municipality(
    *, actor, prefecture: Organization, code: str, name: str, name_kana: str, kind: str
) -> Organization:
    if not prefecture.is_prefecture:
        raise ValidationError("市町を登録できるのは都道府県だけです。")
    if kind == Organization.Kind.PREFECTURE:
        raise ValidationError({"kind": "市町村の種別を選んでください。"})
    municipality = Organization(
        code=code, name=name, name_kana=name_kana, kind=kind, parent=prefecture
    )
    municipality.full_clean()
    municipality.save()
    audit.record_created(
        municipality, ["code", "name", "name_kana", "kind"], actor=actor, organization=prefecture
    )
    return municipality


@transaction.atomic
def update_municipality(*, actor, prefecture: Organization, municipality: Organization, **values):
    fields = ["name", "name_kana", "kind", "is_active"]
    changes = _apply(municipality, fields, values)
    if changes:
        audit.record(
            "tenancy.municipality.updated",
            actor=actor,
            organization=prefecture,
            target=municipality,
            changes=changes,
        )
    return municipality


def _refuse_duplicate_division_name(organization: Organization, name: str, exclude_pk=None):
    duplicates = Division.objects.filter(organization=organization, name=name)
    if duplicates.exclude(pk=exclude_pk).exists():
        raise ValidationError({"name": f"「{name}」という所属はすでに登録されています。"})


@transaction.atomic
def create_division(*, actor, organization: Organization, **values) -> Division:
    _refuse_duplicate_division_name(organization, values.get("name", ""))
    division = Division(organization=organization)
    for name in DIVISION_FIELDS:
        if name in values:
            setattr(division, name, values[name])
    division.full_clean()
    division.save()
    audit.record_created(division, DIVISION_FIELDS, actor=actor)
    return division


@transaction.atomic
def update_division(*, actor, division: Division, **values) -> Division:
    if "name" in values:
        _refuse_duplicate_division_name(division.organization, values["name"], division.pk)
    changes = _apply(division, DIVISION_FIELDS, values)
    if changes:
        audit.record("tenancy.division.updated", actor=actor, target=division, changes=changes)
    return division


def _send_invitation(user, organization: Organization, base_url: str) -> None:
    link = base_url + reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    body = render_to_string(
        "tenancy/email/invitation.txt",
        {"user": user, "organization": organization, "link": link},
    )
    send_mail(f"【{organization.name}】職員アカウントのご案内", body, None, [user.email])


@transaction.atomic
def add_member(
    *,
    actor,
    organization: Organization,
    username: str,
    role: str,
    full_name: str = "",
    email: str = "",
    division: Division | None = None,
    invitation_base_url: str = "",
) -> Membership:
    """Adds an existing staff account to ``organization``, or creates the account and e-mails an
    invitation link with which the person sets their own password."""
    if division is not None and division.organization_id != organization.pk:
        raise ValidationError({"division": "別の団体の所属は選べません。"})
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    created_user = user is None
    if created_user:
        if not email:
            raise ValidationError(
                {"email": "新しい職員にはメールアドレスが必要です(招待を送ります)。"}
            )
        user = user_model(username=username, full_name=full_name, email=email)
        user.set_unusable_password()
        user.full_clean()
        user.save()
    if Membership.objects.filter(user=user, organization=organization).exists():
        raise ValidationError({"username": "この職員はすでにこの団体に登録されています。"})
    membership = Membership(
        user=user, organization=organization, role=Role(role), division=division
    )
    membership.full_clean()
    membership.save()
    audit.record_created(
        membership, MEMBERSHIP_FIELDS, actor=actor, summary=f"{user.username} を登録"
    )
    if created_user:
        transaction.on_commit(lambda: _send_invitation(user, organization, invitation_base_url))
    return membership


@transaction.atomic
def change_member(*, actor, membership: Membership, **values) -> Membership:
    stored = _stored(membership)
    if stored.user_id == getattr(actor, "pk", None) and (
        values.get("role", stored.role) != stored.role or values.get("is_active", True) is False
    ):
        raise ValidationError("自分自身の権限は変更できません。他の管理者に依頼してください。")
    division = values.get("division")
    if division is not None and division.organization_id != membership.organization_id:
        raise ValidationError({"division": "別の団体の所属は選べません。"})
    changes = _apply(membership, MEMBERSHIP_FIELDS, values)
    if changes:
        audit.record("tenancy.membership.updated", actor=actor, target=membership, changes=changes)
    return membership
