"""The issued documents' sections of the staff's application page and the applicant's status page."""

from jichitai.procedures.documents import selectors as documents
from jichitai.procedures.documents.models import ISSUABLE_STATUSES
from jichitai.tenancy.models import Role


def staff_panel(request, application):
    issued = list(documents.issued_documents(application))
    can_issue = application.status in ISSUABLE_STATUSES and not application.purged_at
    if not issued and not can_issue:
        return None
    template = documents.document_template(application.procedure)
    return {
        "application": application,
        "issued": issued,
        "can_issue": can_issue and request.membership.has_role(Role.CLERK),
        "template": template,
        "has_seal": documents.official_seal(application.organization) is not None,
        "can_edit_template": request.membership.has_role(Role.MANAGER),
    }


def applicant_panel(request, application):
    issued = list(documents.issued_documents(application))
    if not issued:
        return None
    return {"application": application, "issued": issued}
