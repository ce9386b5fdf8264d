"""A real Chromium (Debian's /usr/bin/chromium) driven by Playwright for browser steps.

Playwright's sync API runs an event loop in the thread that starts it and refuses to start inside
another running loop (a test's browser, an ASGI server). The session therefore owns one thread
where Chromium lives; steps hand it callables and wait for their result, while the runner keeps
using the database from its own thread. Nothing is ever downloaded: the browser is the system's."""

import os
import queue
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings

from jichitai.core.extras import require

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_path() -> str:
    return getattr(settings, "JICHITAI_CHROMIUM", "") or os.environ.get(
        "JICHITAI_CHROMIUM", "/usr/bin/chromium"
    )


class BrowserSession:
    def __init__(self, *, timeout_ms: int | None = None):
        # Checked here, in the caller's thread, so a missing extra fails the step that needs it.
        require("playwright.sync_api", extra="rpa")
        self.timeout_ms = timeout_ms or getattr(
            settings, "JICHITAI_AUTOMATION_BROWSER_TIMEOUT_MS", 10_000
        )
        self._calls: queue.Queue = queue.Queue()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self.last_status: int | None = None
        self._thread = threading.Thread(target=self._main, daemon=True, name="automation-browser")
        self._thread.start()
        self._ready.wait(60)
        if self._error is not None:
            raise self._error

    def _main(self) -> None:
        try:
            from playwright.sync_api import sync_playwright

            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
            )
            context = browser.new_context(locale="ja-JP", accept_downloads=True)
            context.set_default_timeout(self.timeout_ms)
            page = context.new_page()
            page.on("response", self._on_response)
            self.page = page
        except BaseException as error:
            self._error = error
            self._ready.set()
            return
        self._ready.set()
        while True:
            call = self._calls.get()
            if call is None:
                break
            function, answer = call
            try:
                answer.put((True, function(page)))
            except BaseException as error:
                answer.put((False, error))
        context.close()
        browser.close()
        playwright.stop()

    def _on_response(self, response) -> None:
        if (
            response.request.is_navigation_request()
            and response.frame == response.frame.page.main_frame
        ):
            self.last_status = response.status

    def call(self, function: Callable[[Any], Any]) -> Any:
        answer: queue.Queue = queue.Queue()
        self._calls.put((function, answer))
        ok, value = answer.get()
        if not ok:
            raise value
        return value

    def close(self) -> None:
        if self._thread.is_alive():
            self._calls.put(None)
            self._thread.join(30)
