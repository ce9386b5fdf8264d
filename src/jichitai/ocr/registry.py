"""The OCR engines, registered by name (``engines.py``: rapidocr, tesseract)."""

from typing import TYPE_CHECKING

from jichitai.core.registry import Registry

if TYPE_CHECKING:
    from jichitai.ocr.engines import Engine

engines: "Registry[Engine]" = Registry("OCR engines")
