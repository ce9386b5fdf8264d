from django.http import JsonResponse
from django.utils.translation import gettext as _

from jichitai.core.decorators import public_view


@public_view
def unknown_endpoint(request, rest):
    """Anything under /api/ that no API family answers: JSON, like every other API error."""
    return JsonResponse({"detail": _("この API はありません。"), "code": "not_found"}, status=404)
