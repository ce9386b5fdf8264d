"""Writes to the site-wide groups (分類) that datasets are filed under."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jichitai.audit import services as audit
from jichitai.opendata.models import Group


@transaction.atomic
def create_group(
    *, actor: AbstractBaseUser | AnonymousUser | None, name: str, title: str, description: str = ""
) -> Group:
    group = Group(name=(name or "").strip(), title=(title or "").strip(), description=description)
    if Group.objects.filter(name=group.name).exists():
        raise ValidationError(
            {"name": _("URL名「%(name)s」はすでに使われています。") % {"name": group.name}}
        )
    try:
        group.full_clean()
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None
    group.save()
    audit.record(action="opendata.group_created", actor=actor, target=group, summary=group.title)
    return group
