from django.urls import path

from jichitai.opendata import views

app_name = "opendata"

urlpatterns = [
    path("opendata/", views.dataset_list, name="list"),
    path("opendata/new/", views.dataset_create, name="create"),
    path("opendata/statistics/new/", views.statistics_create, name="statistics_create"),
    path("opendata/groups/", views.group_list, name="groups"),
    path("opendata/municipalities/", views.municipalities, name="municipalities"),
    path("opendata/<int:dataset_id>/", views.dataset_detail, name="dataset"),
    path("opendata/<int:dataset_id>/edit/", views.dataset_edit, name="edit"),
    path("opendata/<int:dataset_id>/publish/", views.dataset_publish, name="publish"),
    path("opendata/<int:dataset_id>/unpublish/", views.dataset_unpublish, name="unpublish"),
    path("opendata/<int:dataset_id>/delete/", views.dataset_delete, name="delete"),
    path("opendata/<int:dataset_id>/restore/", views.dataset_restore, name="restore"),
    path("opendata/<int:dataset_id>/refresh/", views.statistics_refresh, name="refresh"),
    path("opendata/<int:dataset_id>/resources/new/", views.resource_add, name="resource_add"),
    path("opendata/resources/<int:resource_id>/", views.resource_detail, name="resource"),
    path(
        "opendata/resources/<int:resource_id>/replace/",
        views.resource_replace,
        name="resource_replace",
    ),
    path(
        "opendata/resources/<int:resource_id>/delete/",
        views.resource_delete,
        name="resource_delete",
    ),
    path(
        "opendata/resources/<int:resource_id>/convert/",
        views.resource_convert,
        name="resource_convert",
    ),
    path("opendata/resources/<int:resource_id>/file/", views.resource_file, name="resource_file"),
]
