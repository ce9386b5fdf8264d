from django.urls import path

from jichitai.pdca import views
from jichitai.pdca.views import structure as structure_views

app_name = "pdca"

urlpatterns = [
    path("pdca/", views.plan_list, name="plans"),
    path("pdca/meetings/", views.meeting_list, name="meetings"),
    path("pdca/plans/new/", views.plan_create, name="plan_create"),
    path("pdca/plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("pdca/plans/<int:plan_id>/delete/", structure_views.plan_delete, name="plan_delete"),
    path(
        "pdca/plans/<int:plan_id>/structure/<str:part>/",
        structure_views.structure_add,
        name="structure_add",
    ),
    path(
        "pdca/plans/<int:plan_id>/structure/<str:part>/<int:element_id>/",
        structure_views.structure_edit,
        name="structure_edit",
    ),
    path(
        "pdca/plans/<int:plan_id>/structure/<str:part>/<int:element_id>/delete/",
        structure_views.structure_remove,
        name="structure_remove",
    ),
    path(
        "pdca/plans/<int:plan_id>/indicators/<int:indicator_id>/",
        views.indicator_edit,
        name="indicator",
    ),
    path(
        "pdca/plans/<int:plan_id>/indicators/<int:indicator_id>/metric/",
        views.indicator_bind,
        name="indicator_bind",
    ),
    path("pdca/plans/<int:plan_id>/actions/<int:action_id>/", views.action_edit, name="action"),
    path(
        "pdca/plans/<int:plan_id>/years/<int:fiscal_year>/<str:action>/",
        views.year_lock,
        name="year_lock",
    ),
    path(
        "pdca/plans/<int:plan_id>/reports/<str:kind>/<int:fiscal_year>.<str:fmt>",
        views.report_preview,
        name="report_preview",
    ),
    path(
        "pdca/plans/<int:plan_id>/reports/<str:kind>/<int:fiscal_year>/publish/",
        views.report_publish,
        name="report_publish",
    ),
    path(
        "pdca/plans/<int:plan_id>/published/<int:snapshot_id>.<str:fmt>",
        views.snapshot_download,
        name="snapshot",
    ),
    path("pdca/plans/<int:plan_id>/workbook.xlsx", views.workbook_export, name="workbook_export"),
    path(
        "pdca/plans/<int:plan_id>/workbook/import/", views.workbook_import, name="workbook_import"
    ),
    path("pdca/plans/<int:plan_id>/imports/<int:import_id>/", views.import_preview, name="import"),
    path("pdca/plans/<int:plan_id>/budgets/<int:fiscal_year>/", views.budget_list, name="budgets"),
    path(
        "pdca/plans/<int:plan_id>/budgets/<int:fiscal_year>/executed/",
        views.executed_budgets,
        name="executed_budgets",
    ),
]
