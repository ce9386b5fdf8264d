from django.urls import path

from jichitai.payments import views

app_name = "payments"

urlpatterns = [
    path("payments/", views.payment_list, name="list"),
    path("payments/reconcile/", views.reconciliation, name="reconciliation"),
    path("payments/reconcile/<int:batch_id>/", views.batch_detail, name="batch"),
    path("payments/<int:payment_id>/<str:kind>.pdf", views.payment_document, name="document"),
    path("payments/<int:payment_id>/<str:action>/", views.payment_action, name="action"),
    path("inbox/<int:application_id>/fee/", views.set_fee, name="set_fee"),
]
