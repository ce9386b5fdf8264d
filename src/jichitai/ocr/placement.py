"""Where a field's box is on an aligned page. A phone photo's perspective can leave one part of a
page aligned as a whole tens of pixels off; the box's own border then runs through the zone read
(and reads as a digit 1 or l), and what was written is outside it. When the zone's added ink
holds such a line (``border_lines``), the box is moved so that one of its sides lies on it, the
other way within ``marks.SEARCH`` pixels, to where the blank form's printing along that side best
matches the page (compared on a band around those printed lines only: what was written in the box
does not weigh in, nor does a neighbouring box of the same size); the field is read there. Moved
farther than ``marks.SEARCH`` pixels, or found nowhere better, it goes to a person."""

import numpy as np

from jichitai.core.extras import require
from jichitai.ocr import marks
from jichitai.ocr.align import ink_mask
from jichitai.ocr.reasons import REASONS, SHIFTED

# A piece of added ink spanning this share of the zone's height (or width), this thin, is the box's
# own border: writing is 55–70 % of the box's height, a stroke of ー or 一 far shorter than the box.
BORDER_SPAN = 0.85
BORDER_THIN = 0.2
# The blank form's printing around the box is compared with the page on a band this wide (pixels at
# 200 dpi) around the printed lines, so what was written inside the box does not weigh in.
BAND = 9
# How much better the printing must match there than where the alignment put it (the correlation of
# the page with the blank form's printing, from -1 to 1).
BETTER_MATCH = 0.1


def clamp_box(box, width, height):
    """(x0, y0, x1, y1) of an (x, y, w, h) box, kept on a page of ``width`` × ``height``."""
    x, y, w, h = box
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(width, x + w), min(height, y + h)
    return x0, y0, x1, y1


def border_lines(ink: np.ndarray) -> tuple[list[float], list[float]]:
    """(the x of each line along the zone's whole height, the y of each along its whole width) in
    its added ink: the box's border, the page aligned far off there."""
    cv2 = require("cv2", extra="ocr")
    height, width = ink.shape[:2]
    _count, _labels, stats, centres = cv2.connectedComponentsWithStats(
        ink.astype(np.uint8), connectivity=8
    )
    w, h = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
    vertical = (h >= BORDER_SPAN * height) & (w <= BORDER_THIN * height)
    horizontal = (w >= BORDER_SPAN * width) & (h <= BORDER_THIN * height)
    return [float(x) for x in centres[1:, 0][vertical]], [
        float(y) for y in centres[1:, 1][horizontal]
    ]


def _nearest(lines: list[float], size: int) -> int | None:
    """The smallest move that puts one of the box's sides (at 0 and ``size``) on one of ``lines``."""
    moves = [line - side for line in lines for side in (0, size)]
    return round(min(moves, key=abs)) if moves else None


def offset(
    aligned: np.ndarray,
    blank: np.ndarray,
    box: tuple[int, int, int, int],
    unit: float,
    lines: tuple[list[float], list[float]],
) -> tuple[int, int] | None:
    """(dx, dy) from where the alignment put the box (x, y, w, h) to where its printing is: a side
    of the box moved onto the border ``lines`` (``border_lines``) found in its zone, the other
    direction within ``marks.SEARCH`` pixels, where the blank form's printing around the box best
    matches the page; ``None`` when no such place matches better by ``BETTER_MATCH``. Moving a side
    onto a line seen, rather than to the best match anywhere, keeps a box from being read where a
    neighbouring box of the same size is."""
    cv2 = require("cv2", extra="ocr")
    height, width = aligned.shape[:2]
    x0, y0, x1, y1 = clamp_box(box, width, height)
    margin, reach = int(6 * unit), int(marks.FAR * unit)
    if min(x0, y0) < margin + reach or x1 + margin + reach > width or y1 + margin + reach > height:
        return None
    template = blank[y0 - margin : y1 + margin, x0 - margin : x1 + margin]
    dx, dy = _nearest(lines[0], x1 - x0), _nearest(lines[1], y1 - y0)
    if dx is None and dy is None:
        return None
    # Compared on the printed lines along the border lines seen: a wide box's long sides match
    # almost as well anywhere along them, and would hide how far its short sides are off.
    printed = ink_mask(template)
    along = np.zeros_like(printed)
    if dx is not None:
        along |= cv2.morphologyEx(printed, cv2.MORPH_OPEN, np.ones(((y1 - y0) // 2, 1), np.uint8))
    if dy is not None:
        along |= cv2.morphologyEx(printed, cv2.MORPH_OPEN, np.ones((1, (x1 - x0) // 2), np.uint8))
    band = int(BAND * unit) | 1
    mask = cv2.dilate(along, np.ones((band, band), np.uint8))
    if not mask.any() or mask.all():
        return None
    region = aligned[
        y0 - margin - reach : y1 + margin + reach, x0 - margin - reach : x1 + margin + reach
    ]
    scores = cv2.matchTemplate(
        region.astype(np.float32),
        template.astype(np.float32),
        cv2.TM_CCOEFF_NORMED,
        mask=mask.astype(np.float32),
    )
    scores = np.nan_to_num(scores, nan=-1.0, posinf=-1.0, neginf=-1.0)
    here = float(scores[reach, reach])
    near, tight = int(marks.SEARCH * unit), int(3 * unit)
    window = np.full_like(scores, -1.0)
    columns = (dx - tight, dx + tight + 1) if dx is not None else (-near, near + 1)
    rows = (dy - tight, dy + tight + 1) if dy is not None else (-near, near + 1)
    left, right = (max(0, reach + c) for c in columns)
    top, bottom = (max(0, reach + r) for r in rows)
    window[top:bottom, left:right] = scores[top:bottom, left:right]
    _low, best, _at, (bx, by) = cv2.minMaxLoc(window)
    if best - here < BETTER_MATCH:
        return None
    return bx - reach, by - reach


def far(shift: tuple[int, int] | None, unit: float) -> bool:
    """Whether a field moved by ``shift`` (``None``: its border in the zone, found nowhere better)
    goes to a person: moved farther than ``marks.SEARCH`` pixels, a page aligned badly there."""
    return shift is None or max(abs(shift[0]), abs(shift[1])) > marks.SEARCH * unit


def moved(box: tuple[int, int, int, int], shift: tuple[int, int]) -> tuple[int, int, int, int]:
    x, y, w, h = box
    return x + shift[0], y + shift[1], w, h


MARGIN = 6  # pixels shown around a field's zone


def field_crop(
    aligned: np.ndarray, box: tuple[int, int, int, int], margin: int = MARGIN
) -> np.ndarray:
    """The field's zone as the person sees it on the verification screen."""
    height, width = aligned.shape[:2]
    x, y, w, h = box
    x0, y0, x1, y1 = clamp_box(
        (x - margin, y - margin, w + 2 * margin, h + 2 * margin), width, height
    )
    return aligned[y0:y1, x0:x1]


# Of the blank form's printing in a zone (its box's border, guide words), the share the page must
# show as ink for the zone to be where the form is. Measured on blank tuning pages in every scan
# condition: 0.25 and more, also on faint scans and photos from afar; a zone the alignment left
# off the photographed page (the warp's grey border) or far off its box shows none.
PRINTING_SEEN = 0.05


def printing_missing(gray: np.ndarray, erase: np.ndarray) -> bool:
    """Whether the blank form's printing in a zone (``erase``: where it is, grown by a few pixels)
    is missing from the page there: what was written cannot be read from this zone either."""
    if erase.shape != gray.shape or not erase.any():
        return False
    # Against the paper around it rather than a fixed grey: a faint scan prints the form pale too.
    contrast = marks.paper_level(gray, 1.0).astype(np.int16) - gray.astype(np.int16)
    return float((contrast > marks.FAINT_CONTRAST)[erase].mean()) < PRINTING_SEEN


def misplaced(result, shift: tuple[int, int] | None) -> None:
    """A field (its ``FieldResult``) whose box's border ran through its zone: read where its
    printing is (``shift``), or where it was (``None``: found nowhere better)."""
    if SHIFTED not in result.reasons:
        result.reasons = sorted({*result.reasons, SHIFTED}, key=REASONS.index)
    if shift:
        result.notes.append(f"枠が{shift[0]:+d}, {shift[1]:+d} px ずれた所で読みました。")
    result.confidence = min(result.confidence, 0.5)
