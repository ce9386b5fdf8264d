from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jichitai.core.forms import add_service_errors
from jichitai.core.templatetags.japanese import wareki_datetime
from jichitai.signatures import selectors, services
from jichitai.signatures.forms import RevocationListForm, TrustAnchorForm
from jichitai.signatures.models import RevocationList
from jichitai.tenancy.middleware import requires_role
from jichitai.tenancy.models import Role


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
                saved = save(form.cleaned_data["file"].read())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("登録しました。"))
                if isinstance(saved, RevocationList) and saved.is_stale_at(timezone.now()):
                    messages.warning(
                        request,
                        _(
                            "この CRL は次回更新予定(%(next_update)s)を過ぎています。"
                            "この CRL では申請時点の失効を確認できないため、電子署名付きの申請を"
                            "受け付けられません。認証局が公開している最新の CRL を登録してください。"
                        )
                        % {"next_update": wareki_datetime(saved.next_update)},
                    )
                return redirect("signatures:trust", org_code=org_code)
        status = 422
    crl_rows = selectors.revocation_list_rows(request.tenant)
    context = {
        "anchors": selectors.trust_anchors(request.tenant),
        "crl_rows": crl_rows,
        "stale_crls": [row.crl for row in crl_rows if row.stale],
        "anchor_form": anchor_form,
        "crl_form": crl_form,
    }
    return render(request, "signatures/trust.html", context, status=status)


@requires_role(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def trust_anchor_remove(request, org_code, anchor_id):
    """Says which procedures will refuse signatures the CA vouches for, and removes it once
    confirmed."""
    anchor = selectors.trust_anchor_of(request.tenant, anchor_id)
    if request.method == "POST":
        services.remove_trust_anchor(actor=request.user, anchor=anchor)
        messages.success(request, _("認証局の登録を解除しました。"))
        return redirect("signatures:trust", org_code=org_code)
    return render(
        request,
        "signatures/anchor_remove.html",
        {
            "anchor": anchor,
            "procedures": selectors.procedures_needing_signatures(request.tenant),
            "last_anchor": selectors.trust_anchor_count(request.tenant) == 1,
        },
    )


@requires_role(Role.CLERK)
@require_POST
def signature_reverify(request, org_code, application_id):
    signature = selectors.signature_of(request.membership, application_id)
    services.reverify_signature(actor=request.user, signature=signature)
    report = messages.success if signature.recheck_passed else messages.error
    report(
        request,
        _("電子署名を再検証しました: %(result)s") % {"result": signature.recheck_message},
    )
    return redirect("procedures:application", org_code=org_code, application_id=application_id)


@requires_role(Role.CLERK)
@require_POST
def attachments_reverify(request, org_code, application_id):
    application = selectors.application_with_signed_pdfs(request.membership, application_id)
    services.reverify_pdf_attachments(actor=request.user, application=application)
    messages.success(request, _("添付 PDF の電子署名を再検証しました。"))
    return redirect("procedures:application", org_code=org_code, application_id=application_id)
