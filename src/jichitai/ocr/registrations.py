"""What the paper intake adds to the platform's registries: the staff menu, the erasure of a paper
application's scans and the demo (the background job ``ocr.batch`` is in ``jobs.py``)."""

from django.utils.translation import gettext_lazy as _

from jichitai.dashboard.registry import NavItem, navigation
from jichitai.demo.registry import DemoLoader, demo_loaders
from jichitai.ocr import demo, services
from jichitai.procedures.registry import erasure_hooks
from jichitai.tenancy.models import Role

navigation.register("ocr", NavItem(_("紙の届出(AI-OCR)"), "ocr:index", order=12, role=Role.CLERK))
demo_loaders.register("ocr", DemoLoader(load=demo.load, order=30))
erasure_hooks.register("ocr", lambda application: services.erase_scans(application=application))
