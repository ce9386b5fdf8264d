"""Options to circle (有・無 on the tuning layout 児童手当認定請求書) when the ring is too pale for any
contrast to keep it: nothing is read, and the field goes to a person instead of being a sure "no
answer"; an option left uncircled on the same faint scans stays quiet."""

import random

import numpy as np
import pytest
from PIL import ImageDraw

from jichitai.ocr import extract, reasons, samples

DPI = 200


@pytest.fixture(scope="module")
def jidou_extractor():
    return extract.Extractor(samples.template_for("jidou"), np.asarray(samples.blank_form("jidou")))


def _faint_page(seed: int, ring_ink: int | None) -> np.ndarray:
    image = samples.filled_form("jidou", {}, dpi=DPI)
    if ring_ink is not None:
        zone = next(z for z in samples.LAYOUTS["jidou"][1] if z.name == "spouse")
        rng = random.Random(seed)
        # A ring drawn with a dry pen: grey 200, one pixel or two wide, then scanned faint.
        samples.circle_option(ImageDraw.Draw(image), zone, "有", rng, ring_ink, DPI)
    return np.asarray(samples.degrade(image, "faint", random.Random(seed)))


@pytest.mark.parametrize("seed", [0, 1])
def test_a_ring_too_pale_to_read_goes_to_a_person(jidou_extractor, seed):
    spouse = jidou_extractor.extract(_faint_page(seed, 200)).fields["spouse"]
    assert spouse.value is None
    assert spouse.reasons == [reasons.UNCERTAIN_MARK]


@pytest.mark.parametrize("seed", range(4))
def test_options_left_uncircled_on_a_faint_scan_stay_quiet(jidou_extractor, seed):
    spouse = jidou_extractor.extract(_faint_page(seed, None)).fields["spouse"]
    assert spouse.value is None
    assert not spouse.flagged
