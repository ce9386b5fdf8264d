from django.urls import path

from jichitai.portal import public_views as views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("o/<str:org_code>/", views.organization_home, name="organization"),
    path("o/<str:org_code>/privacy/", views.privacy_policy, name="privacy"),
]
