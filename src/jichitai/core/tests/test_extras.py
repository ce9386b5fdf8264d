"""The optional parts (extras ``ocr`` and ``rpa``) are imported only where they are used: the
platform imports and starts without them, and what needs a missing one says what to install."""

import os
import subprocess
import sys
import textwrap

import pytest

from jichitai.core.extras import MissingExtra, require

# The packages only the extras bring (see pyproject.toml).
EXTRA_MODULES = ["rapidocr", "onnxruntime", "cv2", "pypdfium2", "playwright", "playwright.sync_api"]


def test_every_module_of_the_platform_imports_without_the_extras():
    script = textwrap.dedent(
        f"""
        import importlib, pkgutil, sys
        for name in {EXTRA_MODULES!r}:
            sys.modules[name] = None
        import django
        django.setup()
        import jichitai
        for info in pkgutil.walk_packages(jichitai.__path__, "jichitai."):
            # Tests and the settings of other environments (which need their variables) aside.
            if ".tests" in info.name or info.name.endswith(".conftest"):
                continue
            if info.name.startswith("jichitai.settings."):
                continue
            importlib.import_module(info.name)
        for name in {EXTRA_MODULES!r}:
            assert sys.modules[name] is None, name
        print("imported")
        """
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "jichitai.settings.test"}
    result = subprocess.run(  # noqa: S603  (this interpreter, a fixed script)
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("imported")


def test_a_missing_extra_says_in_japanese_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "rapidocr", None)
    with pytest.raises(MissingExtra) as raised:
        require("rapidocr", extra="ocr")
    assert str(raised.value).startswith(
        "AI-OCR を使うには `pip install 'jichitai[ocr]'` が必要です"
    )


def test_a_broken_dependency_of_an_installed_extra_is_not_reported_as_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "jichitai_missing_dependency", None)
    monkeypatch.setitem(sys.modules, "jichitai_broken_extra", None)
    del sys.modules["jichitai_broken_extra"]

    class Finder:
        @staticmethod
        def find_spec(name, path=None, target=None):
            if name != "jichitai_broken_extra":
                return None
            import importlib.util

            return importlib.util.spec_from_loader(name, Loader())

    class Loader:
        def create_module(self, spec):
            return None

        def exec_module(self, module):
            import jichitai_missing_dependency  # noqa: F401

    monkeypatch.setattr(sys, "meta_path", [Finder(), *sys.meta_path])
    with pytest.raises(ImportError) as raised:
        require("jichitai_broken_extra", extra="ocr")
    assert not isinstance(raised.value, MissingExtra)
