from django.utils.translation import gettext_lazy as _

from jichitai.dashboard.registry import NavItem, navigation
from jichitai.demo.registry import DemoLoader, demo_loaders
from jichitai.procedures.registry import Panel, acceptance_checks, erasure_hooks, staff_panels
from jichitai.signatures import demo, services
from jichitai.signatures.models import ApplicationSignature, AttachmentSignature
from jichitai.tenancy.models import Role

navigation.register(
    "signatures", NavItem(_("電子署名の信頼設定"), "signatures:trust", order=92, role=Role.ADMIN)
)


def _signature_panel(request, application):
    signature = ApplicationSignature.objects.filter(application=application).first()
    attachments = list(
        AttachmentSignature.objects.filter(file__application=application).select_related("file")
    )
    if signature is None and not attachments:
        return None
    return {
        "signature": signature,
        "signature_covers_data": signature is not None and signature.covers(application),
        "attachments": attachments,
        "can_reverify": request.membership.has_role(Role.CLERK),
    }


staff_panels.register(
    "signatures", Panel(_("電子署名"), "signatures/panel.html", _signature_panel, order=10)
)
acceptance_checks.register("signatures.application", services.accept_application_signature)
acceptance_checks.register("signatures.pdf_attachments", services.verify_pdf_attachments)
demo_loaders.register("signatures", DemoLoader(load=demo.load, order=15))
erasure_hooks.register("signatures", services.erase_signatures)
