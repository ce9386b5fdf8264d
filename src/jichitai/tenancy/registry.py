"""Extension points of the tenancy pages for other modules.

``member_sections``: sections of a staff member's page (``members/<id>/``), each a template and a
function giving what it shows for the membership (accounts: the authenticator and enrolment codes).
``member_urlpatterns``: URL patterns under ``members/`` served by other modules; tenancy's URL conf
includes them, so they keep their names in the ``tenancy`` namespace.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import URLPattern

from jichitai.core.registry import Registry


@dataclass(frozen=True)
class MemberSection:
    template: str
    context: Callable[..., dict]  # context(membership) -> what the template needs


member_sections: Registry[MemberSection] = Registry("member page sections")
member_urlpatterns: Registry[URLPattern] = Registry("member URL patterns")
