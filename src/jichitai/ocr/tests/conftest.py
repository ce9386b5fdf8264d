import random

import numpy as np
import pytest
from PIL import ImageFile

from jichitai.ocr import samples
from jichitai.ocr.extract import Extractor


@pytest.fixture(scope="session")
def genkyo_extractor():
    template = samples.template_for("genkyo")
    return Extractor(template, np.asarray(samples.blank_form("genkyo")))


@pytest.fixture
def filled():
    """``filled(layout, seed, dpi=…, font=…, condition=…)`` → (page array, expected values)."""

    def make(layout="genkyo", seed=1, *, dpi=200, font=None, condition="clean"):
        rng = random.Random(seed)
        written, truth = samples.random_values(layout, rng)
        image = samples.filled_form(
            layout, written, dpi=dpi, font=font or samples.PRINTED_FONTS[0], seed=seed
        )
        return np.asarray(samples.degrade(image, condition, rng)), truth

    return make


@pytest.fixture
def pillow_defaults(monkeypatch):
    """Pillow as a worker process starts with it. WeasyPrint sets ``LOAD_TRUNCATED_IMAGES`` when
    it is imported (once a PDF was made in the process): Pillow then skips a text chunk that
    inflates too far, and fills in missing pixel data, instead of failing."""
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", False)
