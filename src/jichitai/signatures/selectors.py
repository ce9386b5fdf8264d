"""Reads of the signature settings and records."""

from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone

from jichitai.procedures.selectors import application_of
from jichitai.signatures.models import ApplicationSignature, RevocationList, TrustAnchor
from jichitai.tenancy.selectors import for_tenant


def signature_of(membership, application_id) -> ApplicationSignature:
    """The kept signature of an application this member may see; 404 if there is none."""
    application = application_of(membership, application_id)
    signature = ApplicationSignature.objects.filter(application=application).first()
    if signature is None:
        raise Http404
    return signature


def trust_anchors(organization):
    return for_tenant(TrustAnchor, organization)


@dataclass(frozen=True)
class RevocationListRow:
    crl: RevocationList
    # Past its nextUpdate while it is still the newest from its issuer: the CA has published a
    # newer CRL this organization lacks, and signatures cannot be accepted until it is registered.
    stale: bool
    # A newer CRL of the same issuer is registered; this one no longer matters.
    superseded: bool


def revocation_list_rows(organization) -> list[RevocationListRow]:
    now = timezone.now()
    newest_by_issuer: dict[str, RevocationList] = {}
    crls = list(for_tenant(RevocationList, organization).order_by("-this_update", "-pk"))
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
