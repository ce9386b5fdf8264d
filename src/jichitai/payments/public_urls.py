from django.urls import path

from jichitai.payments import views

app_name = "payments_public"

urlpatterns = [
    path(
        "o/<str:org_code>/status/<str:receipt_number>/<str:token>/payment/<str:kind>.pdf",
        views.applicant_document,
        name="applicant_document",
    ),
    path(
        "o/<str:org_code>/status/<str:receipt_number>/<str:token>/payment/pay/",
        views.start_online_payment,
        name="pay",
    ),
    path(
        "payments/gateway/return/<str:payment_number>/<str:token>/",
        views.gateway_return,
        name="gateway_return",
    ),
    path("payments/gateway/notify", views.gateway_notify, name="gateway_notify"),
]
