from django.shortcuts import render

from jichitai.core.decorators import public_view
from jichitai.portal.registry import sections_for, top_page_entrances
from jichitai.tenancy import selectors


@public_view
def index(request):
    organizations = list(selectors.public_organizations())
    prefectures = [org for org in organizations if org.is_prefecture]
    municipalities = [org for org in organizations if not org.is_prefecture]
    return render(
        request,
        "portal/index.html",
        {
            "prefectures": prefectures,
            "municipalities": municipalities,
            "entrances": top_page_entrances(),
        },
    )


@public_view
def organization_home(request, org_code):
    organization = selectors.organization_by_code(org_code)
    return render(
        request,
        "portal/organization.html",
        {"organization": organization, "sections": sections_for(request, organization)},
    )


@public_view
def privacy_policy(request, org_code):
    """The organization's 個人情報の取扱い, linked from every consent on its forms."""
    organization = selectors.organization_by_code(org_code)
    return render(request, "portal/privacy.html", {"organization": organization})
