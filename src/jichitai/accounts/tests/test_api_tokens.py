"""API tokens: one organization, a role no higher than the creator's, shown once, stored hashed,
accepted raw (as CKAN clients send them) or as a Bearer token, refused once revoked, expired, or
when the owner leaves the organization."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jichitai.accounts import services
from jichitai.accounts.models import ApiToken
from jichitai.accounts.selectors import principal_for_token
from jichitai.audit.models import AuditEvent
from jichitai.tenancy.models import Role


@pytest.fixture
def admin_membership(tsu_admin):
    return tsu_admin.memberships.get()


@pytest.mark.django_db
class TestTokens:
    def test_a_token_authenticates_as_its_organization_with_its_role(self, tsu, admin_membership):
        token, raw = services.create_api_token(
            actor=admin_membership.user, membership=admin_membership, name="連携", role=Role.CLERK
        )
        for header in (raw, f"Bearer {raw}", f"  bearer {raw} "):
            principal = principal_for_token(header)
            assert principal.organization == tsu
            assert principal.role == Role.CLERK
            assert principal.has_role(Role.VIEWER) and not principal.has_role(Role.MANAGER)
        assert raw.split(".")[1] not in ApiToken.objects.get(pk=token.pk).secret_hash
        assert AuditEvent.objects.filter(action="accounts.api_token.created").exists()

    @pytest.mark.parametrize("header", ["", "nonsense", "abc.def", "Bearer ", "x" * 300])
    def test_garbage_is_refused(self, header, admin_membership):
        services.create_api_token(
            actor=None, membership=admin_membership, name="連携", role=Role.VIEWER
        )
        assert principal_for_token(header) is None

    def test_a_wrong_secret_with_a_right_prefix_is_refused(self, admin_membership):
        _, raw = services.create_api_token(
            actor=None, membership=admin_membership, name="連携", role=Role.VIEWER
        )
        prefix = raw.split(".")[0]
        assert principal_for_token(f"{prefix}.wrong-secret") is None

    def test_revoked_and_expired_tokens_are_refused(self, admin_membership):
        token, raw = services.create_api_token(
            actor=None, membership=admin_membership, name="連携", role=Role.VIEWER
        )
        services.revoke_api_token(actor=None, token=token)
        assert principal_for_token(raw) is None

        _, raw = services.create_api_token(
            actor=None,
            membership=admin_membership,
            name="期限切れ",
            role=Role.VIEWER,
            expires_at=timezone.now() - timedelta(seconds=1),
        )
        assert principal_for_token(raw) is None

    def test_a_token_dies_with_its_owners_membership(self, admin_membership):
        _, raw = services.create_api_token(
            actor=None, membership=admin_membership, name="連携", role=Role.ADMIN
        )
        admin_membership.role = Role.CLERK
        admin_membership.save()
        assert principal_for_token(raw) is None  # the token's role is now above the owner's

    def test_no_token_above_the_creators_role(self, tsu, tsu_clerk):
        membership = tsu_clerk.memberships.get()
        with pytest.raises(ValidationError):
            services.create_api_token(
                actor=tsu_clerk, membership=membership, name="x", role=Role.ADMIN
            )


@pytest.mark.django_db
def test_admins_create_and_revoke_tokens_in_the_page(tsu, tsu_admin, login):
    client = login(tsu_admin)
    page = client.post(
        f"/s/{tsu.code}/api-tokens/", {"name": "基幹システム連携", "role": Role.CLERK}
    ).content.decode()
    token = ApiToken.objects.get(name="基幹システム連携")
    assert f'<code id="new-token">{token.prefix}.' in page
    assert client.get(f"/s/{tsu.code}/api-tokens/").content.decode().count(token.prefix + ".") == 0
    client.post(f"/s/{tsu.code}/api-tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_tokens_role_is_shown_by_its_name():
    from jichitai.accounts.models import ApiToken

    assert ApiToken(role="clerk").role_label == "担当職員"
    assert ApiToken(role="viewer").role_label == "閲覧のみ"
