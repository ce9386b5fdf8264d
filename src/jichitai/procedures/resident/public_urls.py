from django.urls import path

from jichitai.procedures.resident import public_views as views

app_name = "resident"

urlpatterns = [
    path("procedures/", views.finder, name="finder"),
    path("status/", views.status_lookup, name="lookup"),
    path("my-applications/", views.my_applications_request, name="my_applications_request"),
    path(
        "my-applications/open/<str:token>/",
        views.my_applications_open,
        name="my_applications_open",
    ),
    path("my-applications/list/", views.my_applications, name="my_applications"),
]
