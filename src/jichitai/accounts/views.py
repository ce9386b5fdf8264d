"""Staff pages inside an organization about credentials: API tokens, and the one-time code a\nmember needs to enrol a first authenticator (issued from the member's page)."""

from datetime import datetime, time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jichitai.accounts import selectors, services
from jichitai.accounts.forms import ApiTokenForm
from jichitai.core.forms import add_service_errors
from jichitai.tenancy import selectors as tenancy_selectors
from jichitai.tenancy.forms import MemberChangeForm
from jichitai.tenancy.middleware import requires_role
from jichitai.tenancy.models import ROLE_RANK, Role
from jichitai.tenancy.views import member_page


@requires_role(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def api_tokens(request, org_code):
    roles = [
        (value, label)
        for value, label in Role.choices
        if ROLE_RANK[Role(value)] <= ROLE_RANK[Role(request.membership.role)]
    ]
    form = ApiTokenForm(request.POST or None, roles=roles)
    created = None
    if request.method == "POST" and form.is_valid():
        expires = form.cleaned_data["expires_at"]
        try:
            _token, created = services.create_api_token(
                actor=request.user,
                membership=request.membership,
                name=form.cleaned_data["name"],
                role=form.cleaned_data["role"],
                expires_at=timezone.make_aware(datetime.combine(expires, time.max))
                if expires
                else None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            form = ApiTokenForm(roles=roles)
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": selectors.tokens_of(request.tenant), "created": created},
    )


@requires_role(Role.ADMIN)
@require_POST
def api_token_revoke(request, org_code, token_id):
    token = selectors.token_of(request.tenant, token_id)
    services.revoke_api_token(actor=request.user, token=token)
    messages.success(request, _("トークンを失効させました。"))
    return redirect("api_tokens:list", org_code=org_code)


@requires_role(Role.ADMIN)
@require_POST
def member_enrolment_code(request, org_code, membership_id):
    """Issues the one-time code the person needs to enrol a first authenticator; shown once."""
    membership = tenancy_selectors.member_of(request.tenant, membership_id)
    code = services.issue_enrolment_code(actor=request.user, membership=membership)
    form = MemberChangeForm(
        instance=membership, divisions=tenancy_selectors.divisions_of(request.tenant)
    )
    return member_page(request, membership, form, enrolment_code=code)
