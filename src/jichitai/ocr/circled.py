"""Options printed on a form, one to circle (有・無, 本人・代理人): the option circled is the one whose
zone holds the most strokes added to the blank form (``marks.stroke_evidence``); a pale ring is
proposed for a person to confirm; when none is circled, one option's zone darker than another's
(``ring_darkness``: a ring too pale for any contrast) sends the field to a person."""

import numpy as np

from jichitai.core.extras import require
from jichitai.ocr.marks import (
    CHECKED,
    SMOOTH_SIGMA,
    TRACE,
    Mark,
    added_ink,
    certainty,
    pale_contrast,
    paper_level,
    stroke_evidence,
)


def choice(options: list[tuple[str, np.ndarray]]) -> Mark:
    """The option circled, from the ink added in each option's zone; ``None`` when none is."""
    scores = sorted(
        ((stroke_evidence(ink), value) for value, ink in options), key=lambda pair: -pair[0]
    )
    described = " ".join(f"{value}:{score:.2f}" for score, value in scores)
    best, value = scores[0]
    runner_up = scores[1][0]
    if best <= CHECKED:
        confidence = certainty(best)
        return Mark(None, round(confidence, 4), described, confidence < 0.9)
    # Two options marked, or one barely more than the other: a person decides.
    separation = runner_up / best
    confidence = min(certainty(best), 0.99 - separation)
    return Mark(value, round(max(0.0, confidence), 4), described, confidence < 0.9)


def choice_on_page(
    options: list[tuple[str, np.ndarray, np.ndarray]],
    whole: tuple[np.ndarray, np.ndarray],
    unit: float,
) -> Mark:
    """The option circled among ``options`` (value, grey zone, blank-form ink to erase), or a pale
    ring proposed for a person to confirm; when none is circled but the field (``whole``) holds
    ink above the scan's grain, the read is ``uncertain``: a ring the scan broke or made pale,
    or a mark beside the options, is never silently "no answer"."""
    mark = choice([(value, added_ink(gray, erase, unit)[0]) for value, gray, erase in options])
    if mark.value is not None:
        return mark
    pale = [
        (value, added_ink(gray, erase, unit, pale_contrast(gray, unit))[0])
        for value, gray, erase in options
    ]
    faint = choice(pale)
    if faint.value is not None:
        return Mark(faint.value, 0.5, faint.evidence, True, faint=True)
    gray, erase = whole
    near = added_ink(gray, erase, unit, pale_contrast(gray, unit))[0]
    if stroke_evidence(near) > TRACE:
        return Mark(None, 0.5, mark.evidence, True, uncertain=True)
    darkness = [ring_darkness(gray, erase, unit) for _value, gray, erase in options]
    if max(darkness) >= RING_RATIO * min(darkness) and max(darkness) - min(darkness) >= RING_STEP:
        # No ring above the grain, yet one option's zone is darker than another's: a ring drawn
        # too pale for any contrast to keep (a dry pen on a faint scan) is never "no answer".
        return Mark(None, 0.5, mark.evidence, True, uncertain=True)
    return mark


# One option's zone darker than another's by this factor and this many grey levels (the smoothed
# ``ring_darkness``) holds a pale ring. Measured on the tuning forms' blank options: at most ×1.18
# and 2.5 levels apart on noisy scans, ×1.16 on photos from afar; a ring a dry pen drew on a faint
# scan, ×1.38 and 3.6 levels.
RING_RATIO = 1.3
RING_STEP = 2.0
RING_TAIL = 97  # percentile of the zone's smoothed contrast: a ring covers a few per cent of it


def ring_darkness(gray: np.ndarray, erase: np.ndarray, unit: float) -> float:
    """How dark the darkest few per cent of a zone are against its paper, away from the blank
    form's printing, smoothed along ``SMOOTH_SIGMA`` so that the grain averages out and a line
    (however pale) does not."""
    cv2 = require("cv2", extra="ocr")
    contrast = paper_level(gray, unit).astype(np.float32) - gray.astype(np.float32)
    contrast = cv2.GaussianBlur(contrast, (0, 0), SMOOTH_SIGMA * unit)
    printing = cv2.dilate(erase.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
    if printing.shape != contrast.shape:
        printing = np.zeros(contrast.shape, bool)
    paper = contrast[~printing]
    return float(np.percentile(paper, RING_TAIL)) if paper.size else 0.0
