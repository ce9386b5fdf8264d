from django.urls import path

from jichitai.signatures import views

app_name = "signatures"

urlpatterns = [
    path("", views.trust_settings, name="trust"),
    path("anchors/<int:anchor_id>/remove/", views.trust_anchor_remove, name="anchor_remove"),
    path(
        "applications/<int:application_id>/reverify/",
        views.signature_reverify,
        name="reverify",
    ),
    path(
        "applications/<int:application_id>/attachments/reverify/",
        views.attachments_reverify,
        name="attachments_reverify",
    ),
]
