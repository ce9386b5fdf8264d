from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from jichitai.core.decorators import is_public_view
from jichitai.tenancy import selectors
from jichitai.tenancy.models import Role

ORGANIZATION_KWARG = "org_code"


class TenantMiddleware:
    """The one place that decides which organization a staff request acts for.

    Every staff URL carries the organization's code (``/s/<org_code>/…``). The request proceeds only
    if the user holds an active membership there; otherwise the answer is 404, so a member of one
    市町 cannot even learn that an object of another exists. The view then reads
    ``request.tenant`` and passes it to the selectors, which scope every query to it.
    Views declare the least role they need with ``@requires_role``; the default is ``viewer``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.tenant = None
        request.membership = None
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if ORGANIZATION_KWARG not in view_kwargs or is_public_view(view_func):
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        membership = selectors.membership_for(request.user, view_kwargs[ORGANIZATION_KWARG])
        if membership is None:
            raise Http404
        request.tenant = membership.organization
        request.membership = membership
        required = getattr(view_func, "required_role", Role.VIEWER)
        if not membership.has_role(required):
            raise PermissionDenied
        required_kind = getattr(view_func, "required_organization_kind", None)
        if required_kind and membership.organization.kind != required_kind:
            raise Http404
        return None


def requires_role(role: str, *, organization_kind: str | None = None):
    """Marks a tenant view with the least role it needs (and, optionally, the organization kind,
    e.g. views only a prefecture has). The middleware enforces it before the view runs."""

    def decorate(view_func):
        view_func.required_role = role
        if organization_kind:
            view_func.required_organization_kind = organization_kind
        return view_func

    return decorate
