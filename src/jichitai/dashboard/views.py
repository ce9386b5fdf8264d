from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from jichitai.dashboard.registry import administration_for, cards_for
from jichitai.tenancy import selectors
from jichitai.tenancy.middleware import requires_role
from jichitai.tenancy.models import Role


@login_required
def home(request):
    """Staff entry point: straight to the only organization, or a choice between several."""
    memberships = list(selectors.memberships_of(request.user))
    if len(memberships) == 1:
        return redirect("dashboard:organization_home", org_code=memberships[0].organization.code)
    return render(request, "dashboard/choose_organization.html", {"memberships": memberships})


@requires_role(Role.VIEWER)
def organization_home(request, org_code):
    return render(request, "dashboard/home.html", {"cards": cards_for(request)})


@requires_role(Role.VIEWER)
def administration(request, org_code):
    return render(
        request, "dashboard/administration.html", {"settings": administration_for(request)}
    )
