from pathlib import Path

from jichitai.core.tests.samples import pdf_bytes
from jichitai.procedures import services
from jichitai.procedures.models import Application, ClosedDay
from jichitai.procedures.tests.factories import event_data, published_procedure
from jichitai.tenancy.tests.isolation import object_kwargs


def _procedure(organization):
    return published_procedure(organization, name="伊勢市の手続").pk


def _application(organization):
    procedure = published_procedure(organization, name="伊勢市の申請用")
    return services.submit_application(procedure=procedure, data=event_data()).application.pk


def _file(organization):
    from django.core.files.uploadedfile import SimpleUploadedFile

    procedure = published_procedure(organization, name="伊勢市の添付用", attachment_kinds=["pdf"])
    return services.store_upload(
        procedure=procedure, field_name="x", upload=SimpleUploadedFile("a.pdf", pdf_bytes())
    ).pk


object_kwargs.register("procedure_id", _procedure)
object_kwargs.register("template_id", _procedure)
object_kwargs.register("position", lambda organization: 0)
object_kwargs.register("application_id", _application)
object_kwargs.register(
    "receipt_number",
    lambda organization: Application.objects.get(pk=_application(organization)).receipt_number,
)
object_kwargs.register("file_id", _file)


def _form_import(organization):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jichitai.procedures.models import Procedure

    procedure = Procedure.objects.get(pk=_procedure(organization))
    workbook = (
        Path(__file__).parent / "xlsform_corpus" / "files" / "text_and_integer.xlsx"
    ).read_bytes()
    return services.start_form_import(
        actor=None, procedure=procedure, upload=SimpleUploadedFile("form.xlsx", workbook)
    ).pk


object_kwargs.register("form_import_id", _form_import)
object_kwargs.register(
    "day_id",
    lambda organization: (
        ClosedDay.objects.create(
            organization=organization, date="2027-01-05", name="伊勢市の閉庁日"
        ).pk
    ),
)


def _issued_document(organization):
    from jichitai.procedures.services import documents

    application = Application.objects.get(pk=_application(organization))
    services.change_status(actor=None, application=application, to_status="approved")
    return documents.issue_document(actor=None, application=application).pk


object_kwargs.register("document_id", _issued_document)
