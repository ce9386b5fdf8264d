"""Flags that carry over to a layout they were not set on: a score threshold per group of kinds
(``calibration``), the measures kept for setting it (not part of the
``--json`` contract), round check boxes left empty on a JPEG scan staying quiet, and options to
circle found uncircled on a faintly written page going to a person."""

import random

import numpy as np
import pytest

from jichitai.ocr import calibration, checks, reasons, samples
from jichitai.ocr.extract import Extractor, FieldResult
from jichitai.ocr.template import TemplateField


def test_a_read_is_doubted_below_its_groups_threshold():
    assert calibration.low_score("text", 0.85)
    assert calibration.low_score("phone", 0.85)
    assert not calibration.low_score("kana", 0.95)
    assert not calibration.low_score("amount", 0.95)


def test_the_measures_a_field_was_judged_from_stay_out_of_its_json():
    result = FieldResult("山田", "山田", 0.99, True, measures={"score": 0.99})
    data = result.to_dict()
    assert "measures" not in data
    assert data["flagged"] is False and data["reasons"] == []


@pytest.fixture(scope="module")
def suido_extractor():
    return Extractor(samples.template_for("suido"), np.asarray(samples.blank_form("suido")))


@pytest.mark.parametrize("seed", range(3))
def test_round_check_boxes_left_empty_on_a_jpeg_scan_are_not_doubted(suido_extractor, seed):
    # The edge of a round box's printing, spread by the JPEG into the inside's corners, is not a
    # mark a scan lost.
    written, _truth = samples.random_values("suido", random.Random(seed))
    written |= {"paper": False, "direct": False, "moving": False}
    image = samples.filled_form("suido", written, dpi=200, font=samples.PRINTED_FONTS[0], seed=seed)
    page = samples.degrade(image, "jpeg", random.Random(seed))
    fields = suido_extractor.extract(np.asarray(page)).fields
    for name in ("paper", "direct", "moving"):
        assert fields[name].value is False and not fields[name].flagged, name


def test_a_marked_round_check_box_is_still_read_as_checked(suido_extractor):
    written, _truth = samples.random_values("suido", random.Random(5))
    written |= {"paper": True, "direct": True, "moving": True}
    image = samples.filled_form("suido", written, dpi=200, font=samples.PRINTED_FONTS[0], seed=5)
    page = samples.degrade(image, "jpeg", random.Random(5))
    fields = suido_extractor.extract(np.asarray(page)).fields
    assert [fields[name].value for name in ("paper", "direct", "moving")] == [True] * 3


def test_options_found_uncircled_on_a_faintly_written_page_go_to_a_person():
    fields = [
        TemplateField("use", "choice", (0, 0, 10, 10), options=[("家事", (0, 0, 5, 10))]),
        TemplateField("agree", "checkbox", (0, 0, 10, 10)),
    ]
    results = {
        "use": FieldResult(None, "", 0.99, True),
        "agree": FieldResult(False, "0.00", 0.99, True),
    }
    checks.doubt_empty_fields(fields, results, {}, reasons.FAINT)
    assert results["use"].reasons == [reasons.FAINT]
    # An unchecked box is as often left empty as not: it stays quiet.
    assert results["agree"].reasons == []
