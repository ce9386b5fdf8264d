from itertools import groupby
from operator import attrgetter

from django.utils.translation import gettext_lazy as _

from jichitai.dashboard.registry import NavItem, navigation
from jichitai.demo.registry import DemoLoader, demo_loaders
from jichitai.procedures.registry import (
    Panel,
    acceptance_checks,
    erasure_hooks,
    procedure_options,
    staff_panels,
)
from jichitai.signatures import demo, pades, selectors, services
from jichitai.signatures.verification import applicant_signature_choices
from jichitai.tenancy.models import Role

navigation.register(
    "signatures",
    NavItem(
        _("電子署名の信頼設定"),
        "signatures:trust",
        order=92,
        role=Role.ADMIN,
        administration=_("申請者の電子署名を確かめるための、信頼する認証局と失効リスト(CRL)。"),
    ),
)


def _signature_panel(request, application):
    signature = selectors.kept_signature(application)
    # Each PDF once, with the verdict on each of its signatures under it.
    attachments = [
        (file, [(kept, pades.described(kept)) for kept in verdicts])
        for file, verdicts in groupby(
            selectors.attachment_signatures(application), key=attrgetter("file")
        )
    ]
    if signature is None and not attachments:
        return None
    return {
        "signature": signature,
        "signature_covers_data": signature is not None and signature.covers(application),
        "attachments": attachments,
        "can_reverify": request.membership.has_role(Role.CLERK),
        # An administrator is led to where an untrusted CA or a missing CRL is registered.
        "trust_settings_help": request.membership.has_role(Role.ADMIN)
        and any(
            kept.verdict in pades.SETTLED_BY_TRUST_SETTINGS
            for _file, verdicts in attachments
            for kept, _text in verdicts
        ),
    }


staff_panels.register(
    "signatures", Panel(_("電子署名"), "signatures/panel.html", _signature_panel, order=10)
)
acceptance_checks.register(
    "signatures.application",
    lambda candidate: services.accept_application_signature(candidate=candidate),
)
acceptance_checks.register(
    "signatures.pdf_attachments",
    lambda candidate: services.verify_pdf_attachments(candidate=candidate),
)
demo_loaders.register("signatures", DemoLoader(load=demo.load, order=15))
erasure_hooks.register(
    "signatures", lambda application: services.erase_signatures(application=application)
)
procedure_options.register("signature_check", applicant_signature_choices)
