from django.urls import path

from jichitai.tenancy import views
from jichitai.tenancy.registry import member_urlpatterns

app_name = "tenancy"

urlpatterns = [
    path("organization/", views.organization_detail, name="organization"),
    path("organization/edit/", views.organization_edit, name="organization_edit"),
    path("organization/privacy/", views.privacy_policy_edit, name="privacy_policy_edit"),
    path("organization/divisions/", views.division_list, name="divisions"),
    path("organization/divisions/new/", views.division_create, name="division_create"),
    path("organization/divisions/<int:division_id>/", views.division_edit, name="division_edit"),
    path("members/", views.member_list, name="members"),
    path("members/new/", views.member_add, name="member_add"),
    path("members/<int:membership_id>/", views.member_edit, name="member_edit"),
    path(
        "members/invitations/<int:invitation_id>/cancel/",
        views.invitation_cancel,
        name="invitation_cancel",
    ),
    *(pattern for _name, pattern in member_urlpatterns.items()),
    path("municipalities/", views.municipality_list, name="municipalities"),
    path("municipalities/new/", views.municipality_create, name="municipality_create"),
    path(
        "municipalities/<str:municipality_code>/",
        views.municipality_edit,
        name="municipality_edit",
    ),
    path(
        "municipalities/<str:municipality_code>/admins/",
        views.municipality_admin_add,
        name="municipality_admin_add",
    ),
    path(
        "municipalities/<str:municipality_code>/break-glass/",
        views.municipality_break_glass,
        name="municipality_break_glass",
    ),
]

# The organization's audit log, mounted under audit/ in the "audit" namespace.
audit_urlpatterns = [
    path("", views.audit_event_list, name="events"),
    path("<int:event_id>/", views.audit_event_detail, name="event"),
]
