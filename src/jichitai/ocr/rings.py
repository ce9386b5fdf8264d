"""A ring drawn around a check box: people circle the box (○ around □) as often as they tick it,
and a ring the size of the box or larger runs along and outside its border, where the blank form's
erased printing and the box's inner region (``marks.inner``) leave none of it to the box's own read.

Around the box, out to ``REACH`` of its side beyond it, the ink added to the blank form is taken
at the usual and at the scan's pale contrast, without the form's printing, specks and straight
pieces along the box's sides (its border on a page a few pixels off); what is left is a ring when
its strokes surround the box's centre: the share of directions from the centre in which they lie
(``coverage``, of ``BINS``). A tick, a cross or a line through reaches a few directions only."""

import numpy as np

from jichitai.core.extras import require
from jichitai.ocr import marks, printing
from jichitai.ocr.align import ink_mask

REACH = 0.4  # of the box's side, beyond each of its sides
BINS = 24
# Measured with ``make bench-ocr BENCH_ARGS="--sets tuning validation --dump F"``: rings around a
# box cover 0.58–1.0 of the directions, ticks, crosses and lines 0–0.62, empty boxes 0–0.33 but
# for three on distant photos of pages aligned badly there, which other reasons flag.
RING = 0.55
SURE_RING = 0.75  # … below this a ring is read, and a person looks
PARTIAL_RING = 0.4  # … and a box read as empty with a broken ring this wide goes to a person
MIN_SPAN = 0.12  # pieces of ink shorter than this share of the box's side are not strokes
LINE = 0.5  # a straight run this share of the box's side long is its border, not a ring
EDGE = 6  # pixels at 200 dpi around the box's border where its own printing is
STRAIGHT_SHARE = 0.5  # … of the printing around a square box (its label the rest)
INSIDE = 0.3  # … and what lies nearer its centre than this share of its side is not a ring


def with_ring(
    mark: marks.Mark,
    aligned: np.ndarray,
    blank: np.ndarray,
    box: tuple[int, int, int, int],
    unit: float,
) -> tuple[marks.Mark, float, list[str]]:
    """(the box's read, the ring's ``coverage``, notes for the person who checks it): a box read
    as empty with a ring around it is checked, sure when the ring covers ``SURE_RING`` of the
    directions; one with a broken ring goes to a person. Read where the box's printing was found
    elsewhere, the page there is in doubt and the read is kept."""
    ring = coverage(aligned, blank, box, unit)
    if mark.value is not False or mark.shifted:
        return mark, ring, []
    if ring >= RING:
        sure = ring >= SURE_RING and not mark.ambiguous
        # A clear ring is as sure as a stroke across the box.
        confidence = marks.STROKE_CONFIDENCE if sure else 0.5
        ringed = marks.Mark(True, confidence, f"{ring:.2f}", not sure)
        return ringed, ring, ["枠を囲む○を記入として読みました。"]
    if ring >= PARTIAL_RING and not mark.ambiguous:
        return marks.Mark(False, 0.5, mark.evidence, True, unclear=True), ring, []
    return mark, ring, []


def coverage(
    aligned: np.ndarray, blank: np.ndarray, box: tuple[int, int, int, int], unit: float
) -> float:
    """The share of directions around the box's centre, beyond ``INSIDE`` of its side from it, in
    which added strokes lie. ``box``: x0, y0, x1, y1 on the aligned page."""
    x0, y0, x1, y1 = box
    side = min(x1 - x0, y1 - y0)
    reach = int(REACH * side)
    height, width = aligned.shape[:2]
    left, top = max(0, x0 - reach), max(0, y0 - reach)
    right, bottom = min(width, x1 + reach), min(height, y1 + reach)
    if side <= 0 or right <= left or bottom <= top:
        return 0.0
    cv2 = require("cv2", extra="ocr")
    gray = aligned[top:bottom, left:right]
    printed = cv2.dilate(ink_mask(blank[top:bottom, left:right]), np.ones((3, 3), np.uint8)) > 0
    # A thin ring is broken into short arcs where it crosses the printing: at the usual contrast
    # short pieces are kept; pale ink must come in bigger pieces to be told from the grain.
    usual, _darkness = marks.added_ink(gray, printed, unit)
    pale, _darkness = marks.added_ink(gray, printed, unit, marks.pale_contrast(gray, unit))
    ink = usual | pale
    # Remnants of the printing go (a label's edges). A ring hugging a square box's border would go
    # with that border's remnants, which the straight runs below take out instead; a round box's
    # border has no straight runs, and its remnants go as the label's do.
    run = max(3, int(LINE * side))
    others = printed.copy()
    if _straight(others, run):
        near = int(EDGE * unit)
        others[
            max(0, y0 - top - near) : y1 - top + near, max(0, x0 - left - near) : x1 - left + near
        ] = False
    ink = printing.without_remnants(ink, others, unit)
    # The box's border where the page is a few pixels off: long straight runs along its sides,
    # which no ring has (its flattest part is far shorter than half the box's side).
    ink = ink & ~cv2.dilate(_runs(ink, run), np.ones((3, 3), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    strokes = (
        np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]) >= MIN_SPAN * side
    )
    strokes[0] = False
    if count <= 1 or not strokes.any():
        return 0.0
    ys, xs = np.nonzero(strokes[labels])
    dx, dy = xs - ((x0 + x1) / 2 - left), ys - ((y0 + y1) / 2 - top)
    away = np.hypot(dx, dy) >= INSIDE * side
    angles = np.arctan2(dy[away], dx[away])
    bins = ((angles + np.pi) / (2 * np.pi) * BINS).astype(int) % BINS
    return len(set(bins.tolist())) / BINS


def _straight(printed: np.ndarray, run: int) -> bool:
    """Whether the printing around the box is mostly straight runs (a square box, not a round one)."""
    mask = printed.astype(np.uint8)
    return bool(mask.any()) and _runs(mask, run).sum() >= STRAIGHT_SHARE * mask.sum()


def _runs(mask: np.ndarray, run: int) -> np.ndarray:
    """The pixels of ``mask`` on horizontal or vertical runs at least ``run`` long."""
    cv2 = require("cv2", extra="ocr")
    horizontal = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((1, run), np.uint8))
    return horizontal | cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((run, 1), np.uint8))
