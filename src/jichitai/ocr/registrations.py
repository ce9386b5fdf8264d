"""What the paper intake adds to the platform's registries: the staff menu, the erasure of a paper
application's scans, the live metric of pages read (``ocr.pages_read``, which a plan's indicator
can be bound to) and the demo (the background job ``ocr.batch`` is in ``jobs.py``)."""

from django.utils.translation import gettext_lazy as _

from jichitai.core.metrics import Metric
from jichitai.core.registry import metrics
from jichitai.dashboard.registry import NavItem, navigation
from jichitai.demo.registry import DemoLoader, demo_loaders
from jichitai.ocr import demo, selectors, services
from jichitai.procedures.registry import erasure_hooks
from jichitai.tenancy.models import Role

navigation.register("ocr", NavItem(_("紙の届出(AI-OCR)"), "ocr:index", order=12, role=Role.CLERK))
demo_loaders.register("ocr", DemoLoader(load=demo.load, order=30))
erasure_hooks.register("ocr", lambda application: services.erase_scans(application=application))
metrics.register(
    "ocr.pages_read",
    Metric(
        name="ocr.pages_read",
        label=_("AI-OCRで読み取った紙の申請書のページ数"),
        unit="ページ",
        compute=selectors.pages_read,
        compute_many=selectors.pages_read_of,
        description=_("その年度にアップロードされた読取バッチで、AI-OCRが読み取ったページの数。"),
        since=selectors.pages_read_since,
    ),
)
