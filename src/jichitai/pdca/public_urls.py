from django.urls import path

from jichitai.pdca import public_views as views

app_name = "pdca_public"

urlpatterns = [
    path("plans/", views.plan_list, name="plans"),
    path("plans/<slug:slug>/", views.plan_page, name="plan"),
    path("plans/<slug:slug>/plan.json", views.plan_json, name="plan_json"),
    path("plans/<slug:slug>/indicators.csv", views.indicators_csv, name="indicators_csv"),
    path("plans/<slug:slug>/budgets.csv", views.budgets_csv, name="budgets_csv"),
]
