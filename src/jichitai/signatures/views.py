from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jichitai.core.forms import add_service_errors
from jichitai.signatures import services
from jichitai.signatures.forms import RevocationListForm, TrustAnchorForm
from jichitai.signatures.models import RevocationList, TrustAnchor
from jichitai.tenancy.middleware import requires_role
from jichitai.tenancy.models import Role
from jichitai.tenancy.selectors import for_tenant, tenant_get


@requires_role(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def trust_settings(request, org_code):
    anchor_form = TrustAnchorForm(prefix="anchor")
    crl_form = RevocationListForm(prefix="crl")
    status = 200
    if request.method == "POST":
        if request.POST.get("kind") == "anchor":
            anchor_form = TrustAnchorForm(request.POST, request.FILES, prefix="anchor")
            form, save = (
                anchor_form,
                lambda data: services.add_trust_anchor(
                    actor=request.user,
                    organization=request.tenant,
                    name=anchor_form.cleaned_data["name"],
                    data=data,
                ),
            )
        else:
            crl_form = RevocationListForm(request.POST, request.FILES, prefix="crl")
            form, save = (
                crl_form,
                lambda data: services.add_revocation_list(
                    actor=request.user, organization=request.tenant, data=data
                ),
            )
        if form.is_valid():
            try:
                save(form.cleaned_data["file"].read())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("登録しました。"))
                return redirect("signatures:trust", org_code=org_code)
        status = 422
    context = {
        "anchors": for_tenant(TrustAnchor, request.tenant),
        "crls": for_tenant(RevocationList, request.tenant),
        "anchor_form": anchor_form,
        "crl_form": crl_form,
    }
    return render(request, "signatures/trust.html", context, status=status)


@requires_role(Role.ADMIN)
@require_POST
def trust_anchor_remove(request, org_code, anchor_id):
    anchor = tenant_get(TrustAnchor, request.tenant, pk=anchor_id)
    services.remove_trust_anchor(actor=request.user, anchor=anchor)
    messages.success(request, _("認証局の登録を解除しました。"))
    return redirect("signatures:trust", org_code=org_code)
