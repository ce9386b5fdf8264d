from django.urls import path

from jichitai.procedures import views

app_name = "procedures"

urlpatterns = [
    path("procedures/", views.procedure_list, name="list"),
    path("procedures/new/", views.procedure_create, name="create"),
    path("procedures/templates/", views.template_library, name="templates"),
    path("procedures/templates/<int:template_id>/copy/", views.template_copy, name="template_copy"),
    path("procedures/<int:procedure_id>/", views.procedure_detail, name="detail"),
    path("procedures/<int:procedure_id>/edit/", views.procedure_edit, name="edit"),
    path("procedures/<int:procedure_id>/publish/", views.procedure_publish, name="publish"),
    path("procedures/<int:procedure_id>/close/", views.procedure_close, name="close"),
    path("procedures/<int:procedure_id>/form/", views.form_builder, name="form_builder"),
    path("procedures/<int:procedure_id>/form/<int:position>/", views.field_edit, name="field_edit"),
    path("procedures/<int:procedure_id>/xlsform/", views.xlsform_upload, name="xlsform"),
    path("procedures/<int:procedure_id>/export/", views.procedure_export, name="export"),
    path("procedures/<int:procedure_id>/results/", views.procedure_results, name="results"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:application_id>/export/", views.application_export, name="application_export"),
    path("inbox/<int:application_id>/purge/", views.application_purge, name="application_purge"),
    path("inbox/<int:application_id>/", views.application_detail, name="application"),
    path("inbox/<int:application_id>/status/", views.application_status, name="application_status"),
    path(
        "inbox/<int:application_id>/comment/", views.application_comment, name="application_comment"
    ),
    path("inbox/<int:application_id>/assign/", views.application_assign, name="application_assign"),
    path(
        "inbox/<int:application_id>/files/<int:file_id>/",
        views.application_file,
        name="application_file",
    ),
]
