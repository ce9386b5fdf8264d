from django.urls import path

from jichitai.procedures import public_views as views
from jichitai.procedures.resident import public_views as resident_views
from jichitai.procedures.status import public_views as status_views

app_name = "procedures_public"

urlpatterns = [
    path("procedures/", views.procedure_list, name="list"),
    path("procedures/<int:procedure_id>/", views.procedure_form, name="form"),
    path("procedures/<int:procedure_id>/confirm/", views.procedure_confirm, name="confirm"),
    path("procedures/<int:procedure_id>/done/", views.procedure_done, name="done"),
    path(
        "procedures/<int:procedure_id>/signing-content/",
        views.signing_content,
        name="signing_content",
    ),
    path("procedures/<int:procedure_id>/verify/", views.request_verification, name="verify"),
    path("procedures/<int:procedure_id>/verify/<str:token>/", views.verified, name="verified"),
    path("drafts/<str:token>/", views.resume_draft, name="draft"),
    path("status/<str:receipt_number>/<str:token>/", status_views.status_page, name="status"),
    path(
        "status/<str:receipt_number>/<str:token>/withdraw/", status_views.withdraw, name="withdraw"
    ),
    path(
        "status/<str:receipt_number>/<str:token>/receipt.pdf",
        resident_views.receipt_pdf,
        name="receipt_pdf",
    ),
    path(
        "status/<str:receipt_number>/<str:token>/documents/<int:document_id>.pdf",
        resident_views.issued_document,
        name="issued_document",
    ),
]
