"""Optional parts of the platform installed as extras (``pip install 'jichitai[ocr]'``,
``'jichitai[rpa]'``): their packages are imported only by the functions that need them, so the
platform starts and serves everything else without them, and a job, step or engine that needs a
missing one fails with a message saying what to install."""

import importlib
from types import ModuleType

# What each extra is for, as the message to staff opens.
PURPOSES = {
    "ocr": "AI-OCR を使うには",
    "rpa": "業務自動化(RPA)の画面操作や PDF からの値の読み取りを使うには",
}


class MissingExtra(RuntimeError):
    """An optional part is not installed; the message says, in Japanese, what to install."""

    def __init__(self, extra: str, module: str):
        self.extra = extra
        self.module = module
        super().__init__(
            f"{PURPOSES[extra]} `pip install 'jichitai[{extra}]'` が必要です"
            f"(モジュール {module} がインストールされていません)。"
        )


def require(module: str, *, extra: str) -> ModuleType:
    """Imports ``module`` of the optional part ``extra``, or raises ``MissingExtra``."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        if error.name is not None and not module.startswith(error.name.split(".")[0]):
            # The extra is installed but something it needs is broken: not a missing extra.
            raise
        raise MissingExtra(extra, module) from None
