"""Reading the 公印, a procedure's template and an application's issued documents."""

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from jichitai.procedures.documents.models import DocumentTemplate, IssuedDocument, OfficialSeal
from jichitai.tenancy.models import Organization
from jichitai.tenancy.selectors import for_tenant, tenant_get

# For the type checker only: procedures.models imports this package's models to register them.
if TYPE_CHECKING:
    from jichitai.procedures.models import Application, Procedure


def official_seal(organization: Organization) -> OfficialSeal | None:
    return for_tenant(OfficialSeal.objects.all(), organization).first()


def document_template(procedure: "Procedure") -> DocumentTemplate | None:
    return (
        for_tenant(DocumentTemplate.objects.all(), procedure.organization)
        .filter(procedure=procedure)
        .first()
    )


def issued_documents(application: "Application") -> QuerySet[IssuedDocument]:
    return for_tenant(IssuedDocument.objects.all(), application.organization).filter(
        application=application
    )


def issued_document(application: "Application", document_id: int | str) -> IssuedDocument:
    return tenant_get(issued_documents(application), application.organization, pk=document_id)
