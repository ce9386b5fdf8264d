from django.urls import path

from jichitai.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("<str:org_code>/", views.organization_home, name="organization_home"),
    path("<str:org_code>/administration/", views.administration, name="administration"),
]
