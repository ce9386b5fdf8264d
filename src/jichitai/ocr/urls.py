from django.urls import path

from jichitai.ocr import views

app_name = "ocr"

urlpatterns = [
    path("ocr/", views.index, name="index"),
    path("ocr/templates/new/", views.template_create, name="template_create"),
    path("ocr/templates/<int:paper_template_id>/", views.template_detail, name="template"),
    path(
        "ocr/templates/<int:paper_template_id>/blank.png",
        views.template_reference,
        name="template_reference",
    ),
    path(
        "ocr/templates/<int:paper_template_id>/export.zip",
        views.template_export,
        name="template_export",
    ),
    path(
        "ocr/templates/<int:paper_template_id>/batches/new/",
        views.batch_create,
        name="batch_create",
    ),
    path("ocr/batches/<int:ocr_batch_id>/", views.batch_detail, name="batch"),
    path("ocr/pages/<int:page_id>/", views.page_verify, name="page"),
    path("ocr/pages/<int:page_id>/page.png", views.page_image, name="page_image"),
    path(
        "ocr/pages/<int:page_id>/fields/<str:field_name>.png",
        views.field_image,
        name="field_image",
    ),
]
