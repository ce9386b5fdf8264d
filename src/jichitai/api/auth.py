"""API authentication: the organization's API tokens (raw or ``Bearer``), resolved by the same
membership check as the staff pages."""

from ninja.security.apikey import APIKeyHeader

from jichitai.accounts import services as accounts
from jichitai.accounts.selectors import principal_for_token


class OrganizationToken(APIKeyHeader):
    """``Authorization: <token>`` or ``Authorization: Bearer <token>``."""

    param_name = "Authorization"
    openapi_description = "団体の APIトークン(`Authorization: <token>` または `Bearer <token>`)"

    def authenticate(self, request, key):
        principal = principal_for_token(key or "")
        if principal is not None:
            accounts.touch_api_token(token=principal.token)
        return principal
