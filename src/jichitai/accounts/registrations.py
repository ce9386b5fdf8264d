"""What the accounts module adds to the platform's registries: the authenticator section of a staff
member's page and the URL that issues an enrolment code from it."""

from django.urls import path

from jichitai.accounts import views
from jichitai.accounts.selectors import confirmed_totp_device
from jichitai.tenancy.registry import MemberSection, member_sections, member_urlpatterns


def _authenticator(membership) -> dict:
    return {"has_authenticator": confirmed_totp_device(membership.user) is not None}


member_sections.register(
    "accounts.authenticator",
    MemberSection("accounts/_member_authenticator.html", _authenticator),
)
member_urlpatterns.register(
    "accounts.enrolment_code",
    path(
        "members/<int:membership_id>/enrolment-code/",
        views.member_enrolment_code,
        name="member_enrolment_code",
    ),
)
