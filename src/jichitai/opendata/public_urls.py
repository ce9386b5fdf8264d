from django.urls import path, register_converter

from jichitai.opendata import public_views as views


class RdfExtension:
    """The DCAT serialisations offered: Turtle, JSON-LD, RDF/XML (``.xml`` and ``.rdf``)."""

    regex = "ttl|jsonld|xml|rdf"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(RdfExtension, "rdf")

app_name = "opendata_public"

urlpatterns = [
    path("opendata/", views.catalog, name="catalog"),
    path("opendata/standards/", views.standard_list, name="standards"),
    path(
        "opendata/standards/<slug:key>/<slug:layout>.json",
        views.standard_schema,
        name="standard_schema",
    ),
    path("catalog.<rdf:extension>", views.catalog_rdf, name="catalog_rdf"),
    path("dataset/<slug:name>.<rdf:extension>", views.dataset_rdf, name="dataset_rdf"),
    path(
        "dataset/<uuid:dataset_id>/resource/<uuid:resource_id>/download/<path:filename>",
        views.download,
        name="download",
    ),
    path(
        "dataset/<uuid:dataset_id>/resource/<uuid:resource_id>",
        views.resource,
        name="resource",
    ),
    path("dataset/<str:name>", views.dataset, name="dataset"),
    path("group/<str:name>", views.group, name="group"),
    path("organization/<str:code>", views.organization, name="organization"),
]
