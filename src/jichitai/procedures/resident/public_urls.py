from django.urls import path

from jichitai.procedures.resident import public_views as views

app_name = "resident"

urlpatterns = [
    path("procedures/", views.finder, name="finder"),
    path("status/", views.status_lookup, name="lookup"),
]
