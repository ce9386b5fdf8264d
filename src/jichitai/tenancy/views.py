from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jichitai.audit import services as audit
from jichitai.core.forms import add_service_errors
from jichitai.core.templatetags.japanese import wareki_datetime
from jichitai.tenancy import selectors, services
from jichitai.tenancy.forms import (
    AuditFilterForm,
    BreakGlassForm,
    DivisionForm,
    MemberAddForm,
    MemberChangeForm,
    MunicipalityChangeForm,
    MunicipalityForm,
    OrganizationForm,
    PrivacyPolicyForm,
    StaffInviteForm,
)
from jichitai.tenancy.middleware import requires_role
from jichitai.tenancy.models import Organization, Role
from jichitai.tenancy.registry import member_sections


@requires_role(Role.VIEWER)
def organization_detail(request, org_code):
    return render(
        request,
        "tenancy/organization_detail.html",
        {
            "organization": request.tenant,
            "divisions": selectors.divisions_of(request.tenant),
            "member_count": selectors.active_member_count(request.tenant),
        },
    )


@requires_role(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def organization_edit(request, org_code):
    form = OrganizationForm(request.POST or None, instance=request.tenant)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organization(
                actor=request.user, organization=request.tenant, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("団体の情報を更新しました。"))
            return redirect("tenancy:organization", org_code=org_code)
    return render(request, "tenancy/organization_form.html", {"form": form})


@requires_role(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def privacy_policy_edit(request, org_code):
    form = PrivacyPolicyForm(request.POST or None, instance=request.tenant)
    if request.method == "POST" and form.is_valid():
        services.update_privacy_policy(
            actor=request.user,
            organization=request.tenant,
            text=form.cleaned_data["privacy_policy"],
        )
        messages.success(request, _("個人情報の取扱いを更新しました。"))
        return redirect("tenancy:organization", org_code=org_code)
    return render(request, "tenancy/privacy_policy_form.html", {"form": form})


@requires_role(Role.VIEWER)
def division_list(request, org_code):
    divisions = selectors.divisions_of(request.tenant, include_inactive=True)
    return render(request, "tenancy/division_list.html", {"divisions": divisions})


@requires_role(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def division_create(request, org_code):
    form = DivisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_division(
                actor=request.user, organization=request.tenant, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("所属を登録しました。"))
            return redirect("tenancy:divisions", org_code=org_code)
    return render(request, "tenancy/division_form.html", {"form": form, "creating": True})


@requires_role(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def division_edit(request, org_code, division_id):
    division = selectors.division_of(request.tenant, division_id)
    form = DivisionForm(request.POST or None, instance=division)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_division(actor=request.user, division=division, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("所属を更新しました。"))
            return redirect("tenancy:divisions", org_code=org_code)
    return render(request, "tenancy/division_form.html", {"form": form, "division": division})


@requires_role(Role.MANAGER)
def member_list(request, org_code):
    context = {
        "members": selectors.members_of(request.tenant),
        "invitations": selectors.open_invitations_of(request.tenant),
    }
    return render(request, "tenancy/member_list.html", context)


@requires_role(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def member_add(request, org_code):
    form = MemberAddForm(request.POST or None, divisions=selectors.divisions_of(request.tenant))
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_member(
                actor=request.user,
                organization=request.tenant,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("招待メールを送りました。本人が承諾すると職員として登録されます。")
            )
            return redirect("tenancy:members", org_code=org_code)
    return render(request, "tenancy/member_add.html", {"form": form})


@requires_role(Role.ADMIN)
@require_POST
def invitation_cancel(request, org_code, invitation_id):
    invitation = selectors.open_invitation_of(request.tenant, invitation_id)
    services.cancel_invitation(actor=request.user, invitation=invitation)
    messages.success(request, _("招待を取り消しました。"))
    return redirect("tenancy:members", org_code=org_code)


def member_page(request, membership, form, **extra):
    """A staff member's page: the role form, and the sections other modules add."""
    context = {"form": form, "membership": membership, "member_sections": []}
    for _name, section in member_sections.items():
        context.update(section.context(membership))
        context["member_sections"].append(section.template)
    return render(request, "tenancy/member_edit.html", {**context, **extra})


@requires_role(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def member_edit(request, org_code, membership_id):
    membership = selectors.member_of(request.tenant, membership_id)
    if request.method == "GET":
        audit.record_read(
            actor=request.user,
            organization=request.tenant,
            target=membership,
            summary="職員の連絡先を閲覧",
        )
    form = MemberChangeForm(
        request.POST or None,
        instance=membership,
        divisions=selectors.divisions_of(request.tenant),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_member(actor=request.user, membership=membership, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("職員の権限を更新しました。"))
            return redirect("tenancy:members", org_code=org_code)
    return member_page(request, membership, form)


@requires_role(Role.ADMIN, organization_kind=Organization.Kind.PREFECTURE)
def municipality_list(request, org_code):
    municipalities = selectors.municipalities_of(request.tenant)
    return render(request, "tenancy/municipality_list.html", {"municipalities": municipalities})


@requires_role(Role.ADMIN, organization_kind=Organization.Kind.PREFECTURE)
@require_http_methods(["GET", "POST"])
def municipality_create(request, org_code):
    form = MunicipalityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_municipality(
                actor=request.user, prefecture=request.tenant, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("市町を登録しました。"))
            return redirect("tenancy:municipalities", org_code=org_code)
    return render(request, "tenancy/municipality_form.html", {"form": form, "creating": True})


def _municipality_page(request, municipality, *, form=None, admin_form=None, break_form=None):
    context = {
        "form": form or MunicipalityChangeForm(instance=municipality),
        "municipality": municipality,
        "admins": selectors.admins_of(municipality),
        "admin_form": admin_form or StaffInviteForm(prefix="admin"),
        "break_form": break_form or BreakGlassForm(prefix="break"),
    }
    invalid = any(f is not None and f.errors for f in (admin_form, break_form))
    return render(
        request, "tenancy/municipality_form.html", context, status=422 if invalid else 200
    )


@requires_role(Role.ADMIN, organization_kind=Organization.Kind.PREFECTURE)
@require_http_methods(["GET", "POST"])
def municipality_edit(request, org_code, municipality_code):
    municipality = selectors.municipality_of(request.tenant, municipality_code)
    form = MunicipalityChangeForm(request.POST or None, instance=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_municipality(
                actor=request.user,
                prefecture=request.tenant,
                municipality=municipality,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("市町の情報を更新しました。"))
            return redirect("tenancy:municipalities", org_code=org_code)
    return _municipality_page(request, municipality, form=form)


@requires_role(Role.ADMIN, organization_kind=Organization.Kind.PREFECTURE)
@require_http_methods(["POST"])
def municipality_admin_add(request, org_code, municipality_code):
    """A prefecture admin invites the first administrator of a 市町, who then runs it alone."""
    municipality = selectors.municipality_of(request.tenant, municipality_code)
    admin_form = StaffInviteForm(request.POST, prefix="admin")
    if admin_form.is_valid():
        try:
            services.invite_municipal_admin(
                actor=request.user,
                prefecture=request.tenant,
                municipality=municipality,
                **admin_form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(admin_form, error)
        else:
            messages.success(
                request,
                _("管理者として招待しました。本人が承諾すると市町の管理者として登録されます。"),
            )
            return redirect(
                "tenancy:municipality_edit", org_code=org_code, municipality_code=municipality_code
            )
    return _municipality_page(request, municipality, admin_form=admin_form)


@requires_role(Role.ADMIN, organization_kind=Organization.Kind.PREFECTURE)
@require_http_methods(["POST"])
def municipality_break_glass(request, org_code, municipality_code):
    """Temporary admin access to a 市町 for a stated reason; its administrators are told."""
    municipality = selectors.municipality_of(request.tenant, municipality_code)
    break_form = BreakGlassForm(request.POST, prefix="break")
    if break_form.is_valid():
        try:
            membership = services.grant_break_glass_access(
                actor=request.user,
                prefecture=request.tenant,
                municipality=municipality,
                **break_form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(break_form, error)
        else:
            messages.warning(
                request,
                _("%(name)s に緊急アクセスしています(%(until)s まで)。")
                % {
                    "name": municipality.name,
                    "until": wareki_datetime(membership.expires_at),
                },
            )
            return redirect("dashboard:organization_home", org_code=municipality.code)
    return _municipality_page(request, municipality, break_form=break_form)


AUDIT_PAGE_SIZE = 50


@requires_role(Role.MANAGER)
def audit_event_list(request, org_code):
    form = AuditFilterForm(request.GET or None, actions=selectors.audit_actions_of(request.tenant))
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    events = selectors.audit_events_of(request.tenant, **{k: v for k, v in filters.items() if v})
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@requires_role(Role.MANAGER)
def audit_event_detail(request, org_code, event_id):
    event = selectors.audit_event_of(request.tenant, event_id)
    return render(request, "audit/event_detail.html", {"event": event})
