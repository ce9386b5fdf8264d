from django.core.paginator import Paginator
from django.shortcuts import render

from jichitai.audit import selectors
from jichitai.audit.forms import AuditFilterForm
from jichitai.tenancy.middleware import requires_role
from jichitai.tenancy.models import Role

PAGE_SIZE = 50


@requires_role(Role.MANAGER)
def event_list(request, org_code):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    events = selectors.events_of(request.tenant, **{k: v for k, v in filters.items() if v})
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@requires_role(Role.MANAGER)
def event_detail(request, org_code, event_id):
    event = selectors.event_of(request.tenant, event_id)
    return render(request, "audit/event_detail.html", {"event": event})
