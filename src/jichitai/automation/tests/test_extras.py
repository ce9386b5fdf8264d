"""Browser steps and reading PDFs need the ``rpa`` extra (Playwright, PDFium); without it a run
stops with what to install instead of retrying every item."""

import sys

import pytest

from jichitai.automation import services
from jichitai.automation.models import Run

SOURCE = """
name: open-legacy
title: 旧システムを開く
manual_minutes_before: 5
manual_minutes_after: 1
targets: [legacy]
finish:
  - step: browser.open
    with: {target: legacy, path: /}
"""


@pytest.mark.django_db
def test_a_browser_step_without_the_rpa_extra_fails_the_run_saying_what_to_install(
    tsu, approved, run_now, settings, monkeypatch
):
    settings.JICHITAI_AUTOMATION_TARGETS = {"legacy": "http://127.0.0.1:9/"}
    scenario = approved(services.create_scenario(actor=None, organization=tsu, source=SOURCE))
    monkeypatch.setitem(sys.modules, "playwright", None)
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)

    run = run_now(scenario, Run.Mode.APPLY)

    assert run.status == Run.Status.FAILED
    assert (
        "業務自動化(RPA)の画面操作や PDF からの値の読み取りを使うには "
        "`pip install 'jichitai[rpa]'` が必要です" in run.message
    )


def test_reading_a_pdf_without_the_rpa_extra_says_what_to_install(tmp_path, monkeypatch):
    from jichitai.automation.steps import steps
    from jichitai.core.extras import MissingExtra

    class Ctx:
        def input_path(self, value):
            return tmp_path / value

    (tmp_path / "請求書.pdf").write_bytes(b"%PDF-1.4")
    monkeypatch.setitem(sys.modules, "pypdfium2", None)
    with pytest.raises(MissingExtra, match=r"pip install 'jichitai\[rpa\]'"):
        steps.get("pdf.extract").function(Ctx(), path="請求書.pdf", anchors={"a": "b"})


def test_a_browser_that_cannot_start_is_reported_not_waited_for(monkeypatch):
    """An installed but broken Playwright fails the session at once instead of leaving the run
    waiting on a browser thread that died."""
    import types

    from jichitai.automation.browser import BrowserSession

    monkeypatch.setitem(sys.modules, "playwright.sync_api", types.ModuleType("playwright.sync_api"))
    with pytest.raises(ImportError, match="sync_playwright"):
        BrowserSession()
