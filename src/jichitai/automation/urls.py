from django.urls import path

from jichitai.automation import views
from jichitai.automation.views import editor as editor_views

app_name = "automation"

urlpatterns = [
    path("", views.home, name="home"),
    path("scenarios/new/", views.scenario_add, name="scenario_add"),
    path("scenarios/compose/", editor_views.scenario_compose, name="scenario_compose"),
    path("scenarios/<int:scenario_id>/", views.scenario_detail, name="scenario"),
    path("scenarios/<int:scenario_id>/edit/", views.scenario_edit, name="scenario_edit"),
    path(
        "scenarios/<int:scenario_id>/editor/", editor_views.scenario_editor, name="scenario_editor"
    ),
    path("scenarios/<int:scenario_id>/runs/", views.run_start, name="run_start"),
    path(
        "scenarios/<int:scenario_id>/versions/<int:version_id>/approve/",
        views.version_approve,
        name="version_approve",
    ),
    path("scenarios/<int:scenario_id>/schedules/", views.schedule_request, name="schedule_request"),
    path("schedules/<int:schedule_id>/enable/", views.schedule_enable, name="schedule_enable"),
    path("schedules/<int:schedule_id>/delete/", views.schedule_delete, name="schedule_delete"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/files/<int:output_id>/", views.run_file, name="run_file"),
    path("items/<int:item_id>/screenshot.png", views.item_screenshot, name="screenshot"),
    path("items/<int:item_id>/resolve/", views.item_resolve, name="item_resolve"),
    path("queue/", views.work_queue, name="queue"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/add/", views.ledger_add, name="ledger_add"),
    path("secrets/", views.secret_list, name="secrets"),
    path("secrets/<int:secret_id>/delete/", views.secret_delete, name="secret_delete"),
]
