import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from jichitai.accounts.models import ApiToken, User
from jichitai.tenancy.models import ROLE_RANK, Organization, Role
from jichitai.tenancy.selectors import for_tenant, membership_for, tenant_get


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def may_skip_second_factor(user: User | AnonymousUser) -> bool:
    """Only demo accounts, and only on a development machine whose settings allow it."""
    return bool(
        settings.JICHITAI_DEMO_LOGIN_WITHOUT_OTP
        and settings.JICHITAI_ENVIRONMENT == "development"
        and getattr(user, "is_demo", False)
    )


def needs_second_factor(user: User | AnonymousUser) -> bool:
    # django-otp's middleware gives the request's user is_verified(); the model does not declare it.
    return (
        user.is_authenticated
        and not user.is_verified()  # type: ignore[attr-defined]
        and not may_skip_second_factor(user)
    )


@dataclass(frozen=True)
class ApiPrincipal:
    """Who an API request acts as: a member of one organization, with the token's role."""

    user: User
    organization: Organization
    role: str
    token: ApiToken
    # Tokens act for the whole organization, not for one division.
    division_id: None = None

    def has_role(self, minimum: str) -> bool:
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(minimum)]


def _raw_token(authorization: str) -> str:
    """CKAN clients send the token itself; others send ``Bearer <token>``. Both are accepted."""
    value = (authorization or "").strip()
    if value.lower().startswith("bearer "):
        value = value[7:].strip()
    return value


def principal_for_token(authorization: str) -> ApiPrincipal | None:
    """The principal for an ``Authorization`` header value, or None if the token is unknown,
    revoked, expired, or its owner no longer holds an active membership with at least that role.
    The comparison is on a hash, in constant time."""
    raw = _raw_token(authorization)
    prefix, _, secret = raw.partition(".")
    if not prefix or not secret:
        return None
    token = (
        ApiToken.objects.select_related("user", "organization")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, hash_secret(secret)):
        return None
    if token.expires_at and token.expires_at <= timezone.now():
        return None
    membership = membership_for(token.user, token.organization.code)
    if membership is None or not membership.has_role(token.role):
        return None
    return ApiPrincipal(
        user=token.user, organization=token.organization, role=token.role, token=token
    )


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def tokens_of(organization: Organization) -> QuerySet[ApiToken]:
    return for_tenant(ApiToken, organization).select_related("user")


def token_with_prefix(organization: Organization, prefix: str) -> ApiToken | None:
    return tokens_of(organization).filter(prefix=prefix).first()


def token_of(organization: Organization, token_id: int) -> ApiToken:
    return tenant_get(ApiToken, organization, pk=token_id)
