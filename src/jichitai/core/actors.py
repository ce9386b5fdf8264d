"""Who acted on a write: a signed-in person, the anonymous visitor of a public page, or the system
(``None``: the demo, a command, a scheduled task)."""

from typing import TYPE_CHECKING, TypeAlias, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

if TYPE_CHECKING:
    from jichitai.accounts.models import User

# Any user model is accepted; the project's is settings.AUTH_USER_MODEL, which every signed-in
# actor is.
Actor: TypeAlias = AbstractBaseUser | AnonymousUser | None


def signed_in(actor: Actor) -> "User | None":
    """The person to stamp a row with (``created_by``, ``issued_by`` …): the actor when signed in,
    ``None`` for an anonymous visitor or the system, neither of which is a row of the user table."""
    return cast("User | None", actor if actor is not None and actor.is_authenticated else None)
