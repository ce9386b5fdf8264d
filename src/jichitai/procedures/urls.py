from django.urls import path

from jichitai.procedures.views import builder, catalog, documents, inbox, results, translation

app_name = "procedures"

urlpatterns = [
    path("procedures/", catalog.procedure_list, name="list"),
    path("procedures/new/", catalog.procedure_create, name="create"),
    path("procedures/templates/", catalog.template_library, name="templates"),
    path(
        "procedures/templates/<int:template_id>/copy/", catalog.template_copy, name="template_copy"
    ),
    path("procedures/<int:procedure_id>/", catalog.procedure_detail, name="detail"),
    path("procedures/<int:procedure_id>/edit/", catalog.procedure_edit, name="edit"),
    path("procedures/<int:procedure_id>/publish/", catalog.procedure_publish, name="publish"),
    path("procedures/<int:procedure_id>/close/", catalog.procedure_close, name="close"),
    path("procedures/<int:procedure_id>/form/", builder.form_builder, name="form_builder"),
    path("procedures/<int:procedure_id>/preview/", builder.form_preview, name="form_preview"),
    path(
        "procedures/<int:procedure_id>/translations/",
        translation.form_translations,
        name="form_translations",
    ),
    path(
        "procedures/<int:procedure_id>/form/<int:position>/", builder.field_edit, name="field_edit"
    ),
    path("procedures/<int:procedure_id>/xlsform/", builder.xlsform_upload, name="xlsform"),
    path(
        "procedures/<int:procedure_id>/xlsform/download/",
        builder.xlsform_download,
        name="xlsform_download",
    ),
    path(
        "procedures/<int:procedure_id>/xlsform/<int:form_import_id>/",
        builder.xlsform_import,
        name="xlsform_import",
    ),
    path("procedures/<int:procedure_id>/export/", results.procedure_export, name="export"),
    path("procedures/<int:procedure_id>/results/", results.procedure_results, name="results"),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/delays/", inbox.delays, name="delays"),
    path("inbox/closed-days/", inbox.closed_days, name="closed_days"),
    path(
        "inbox/closed-days/<int:day_id>/remove/", inbox.closed_day_remove, name="closed_day_remove"
    ),
    path("inbox/<int:application_id>/export/", inbox.application_export, name="application_export"),
    path("inbox/<int:application_id>/purge/", inbox.application_purge, name="application_purge"),
    path("inbox/<int:application_id>/", inbox.application_detail, name="application"),
    path("inbox/<int:application_id>/status/", inbox.application_status, name="application_status"),
    path(
        "inbox/<int:application_id>/comment/", inbox.application_comment, name="application_comment"
    ),
    path("inbox/<int:application_id>/assign/", inbox.application_assign, name="application_assign"),
    path(
        "inbox/<int:application_id>/files/<int:file_id>/",
        inbox.application_file,
        name="application_file",
    ),
    path(
        "inbox/<int:application_id>/documents/issue/",
        documents.document_issue,
        name="document_issue",
    ),
    path(
        "inbox/<int:application_id>/documents/<int:document_id>/",
        documents.issued_document,
        name="issued_document",
    ),
    path(
        "procedures/<int:procedure_id>/document/",
        documents.document_template,
        name="document_template",
    ),
    path("procedures/seal/", documents.official_seal, name="official_seal"),
    path("procedures/seal/image/", documents.official_seal_image, name="official_seal_image"),
]
