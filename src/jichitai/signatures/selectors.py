"""Reads of the signature settings and records."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from jichitai.procedures.models import Application, ApplicationFile, Procedure
from jichitai.procedures.selectors import application_of
from jichitai.signatures.models import (
    ApplicationSignature,
    AttachmentSignature,
    RevocationList,
    TrustAnchor,
)
from jichitai.tenancy.models import Membership, Organization
from jichitai.tenancy.selectors import for_tenant, tenant_get


def signature_of(membership: Membership, application_id: int) -> ApplicationSignature:
    """The kept signature of an application this member may see; 404 if there is none."""
    signature = kept_signature(application_of(membership, application_id))
    if signature is None:
        raise Http404
    return signature


def application_with_signed_pdfs(membership: Membership, application_id: int) -> Application:
    """An application this member may see with PDFs whose signatures were verified; 404 if none."""
    application = application_of(membership, application_id)
    if not signed_pdf_files(application):
        raise Http404
    return application


def trust_anchors(organization: Organization) -> QuerySet[TrustAnchor]:
    return for_tenant(TrustAnchor, organization)


def trust_anchor_count(organization: Organization) -> int:
    return trust_anchors(organization).count()


def trust_anchor_of(organization: Organization, anchor_id: int) -> TrustAnchor:
    return tenant_get(TrustAnchor, organization, pk=anchor_id)


def procedures_needing_signatures(organization: Organization) -> QuerySet[Procedure]:
    """The published procedures that accept an application only with a trusted signature."""
    return (
        for_tenant(Procedure, organization)
        .filter(status=Procedure.Status.PUBLISHED)
        .exclude(signature_check="")
        .order_by("name")
    )


def revocation_lists(organization: Organization) -> QuerySet[RevocationList]:
    return for_tenant(RevocationList, organization)


def kept_signature(application: Application) -> ApplicationSignature | None:
    return ApplicationSignature.objects.filter(application=application).first()


def attachment_signatures(application: Application) -> list[AttachmentSignature]:
    return list(
        AttachmentSignature.objects.filter(file__application=application)
        .select_related("file")
        .order_by("file_id", "pk")
    )


@dataclass(frozen=True)
class RevocationListRow:
    crl: RevocationList
    # Past its nextUpdate while it is still the newest from its issuer: the CA has published a
    # newer CRL this organization lacks, and signatures cannot be accepted until it is registered.
    stale: bool
    # A newer CRL of the same issuer is registered; this one no longer matters.
    superseded: bool


def revocation_list_rows(organization: Organization) -> list[RevocationListRow]:
    now = timezone.now()
    newest_by_issuer: dict[str, RevocationList] = {}
    crls = list(revocation_lists(organization).order_by("-this_update", "-pk"))
    for crl in crls:
        newest_by_issuer.setdefault(crl.issuer, crl)
    return [
        RevocationListRow(
            crl=crl,
            stale=newest_by_issuer[crl.issuer] == crl and crl.is_stale_at(now),
            superseded=newest_by_issuer[crl.issuer] != crl,
        )
        for crl in crls
    ]


def signed_pdf_files(application: Application) -> list[ApplicationFile]:
    """The application's attached PDFs whose signatures were verified, in the order attached."""
    return list(
        ApplicationFile.objects.filter(application=application, pdf_signatures__isnull=False)
        .distinct()
        .order_by("pk")
    )
