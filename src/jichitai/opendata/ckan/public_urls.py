from django.urls import path

from jichitai.opendata.ckan import public_views as ckan_views

app_name = "ckan"

urlpatterns = [
    path("api/3/openapi.json", ckan_views.openapi, name="openapi"),
    path("api/action/<str:name>", ckan_views.action, name="action"),
    path("api/3/action/<str:name>", ckan_views.action, name="action_v3"),
]
