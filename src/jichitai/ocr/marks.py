"""Ink on a scanned page compared with the blank form, and the marks people make with it.

Ink is what is darker than the paper around it by a margin (the paper's level is taken locally, so
the uneven light of a phone photo and faint writing at grey 150–190 both work), minus what the blank
form prints there (its border, guide text, printed options), minus specks of scan noise.

A check box is decided by the strokes added inside it: the number of added ink pixels per pixel of
the box's side, which a ✓, ✗, ○, a line through or a filled square all give whatever the pen's
width, and an empty box on a noisy scan does not; one connected stroke across the box
(``longest_stroke``) makes a thin, short or pale mark as sure as a thick one, and a little ink in
a box read as empty sends it to a person (``unclear``). "○ around one of the printed options"
compares the same measure between the options' zones (``circled``). Pale ink is told from the
paper by the scan's own grain around it (``pale_contrast``), not a fixed level; a check box whose ink reaches its side is looked
for where the blank form's printing matches the page (``local_offset``) and read there too; one
whose printing the page's alignment left far off is read where its printing is, and goes to a
person. A box read as empty whose inside is darker than the paper around it on the same page
(``darker_than_around``: a fine pencil mark the grain broke into specks, or a pale tick darker than
the paper by a share of the page's own ink contrast, ``PALE_BAND``) is doubted, never a sure
"unchecked"."""

from dataclasses import dataclass

import numpy as np

from jichitai.core.extras import require
from jichitai.ocr import printing
from jichitai.ocr.align import ink_mask

INK_CONTRAST = 50  # grey levels below the local paper that count as ink
FAINT_CONTRAST = 22  # … that count as a pale mark, to be confirmed by a person
# … that count as a trace on a clean scan (pencil drawn thin, then blurred by the scanner); on a noisy
# scan the bar is raised above the paper's own grain (``trace_contrast``).
TRACE_CONTRAST = 12
MIN_SPECK = 6  # connected ink smaller than this (pixels at 200 dpi) is scan noise
CHECKED = 0.45  # stroke evidence (ink pixels per pixel of the box's side) of a mark
TRACE = 0.1  # pale ink in an unchecked box beyond this goes to a person
SURE = 2.5  # factor around CHECKED outside which a mark is not in doubt
# A connected stroke across this share of the box's inside makes thin or pale ink a mark (measured
# on the tuning forms: the marks people make span 0.21–1.0 of it at the scan's lowest contrast, a
# short tick 0.36 and more, the grain of an empty box nothing; a pale dash across a fifth of the
# box, 0.3, is left to a person).
STROKE = 0.35
STROKE_CONFIDENCE = 0.9


def paper_level(gray: np.ndarray, unit: float) -> np.ndarray:
    """The paper's grey level around each pixel: the lightest nearby, so strokes disappear."""
    cv2 = require("cv2", extra="ocr")
    size = max(15, int(31 * unit)) | 1
    light = cv2.dilate(gray, np.ones((size, size), np.uint8))
    return cv2.blur(light, (size, size))


def added_ink(
    gray: np.ndarray,
    erase: np.ndarray,
    unit: float,
    contrast_above: int = INK_CONTRAST,
    paper: np.ndarray | None = None,
):
    """(mask of ink not printed on the blank form, how dark that ink is: the median contrast).
    ``paper``: ``paper_level(gray, unit)`` where the caller has it already."""
    cv2 = require("cv2", extra="ocr")
    paper = paper_level(gray, unit) if paper is None else paper
    contrast = paper.astype(np.int16) - gray.astype(np.int16)
    ink = (contrast > contrast_above).astype(np.uint8)
    if erase.shape == ink.shape:
        ink[erase] = 0
    _count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    # Fainter ink must come in bigger pieces to be told from the paper's grain and noise.
    smallest = MIN_SPECK * unit * (1 if contrast_above >= INK_CONTRAST else 4)
    keep = stats[:, cv2.CC_STAT_AREA] >= smallest
    keep[0] = False
    keep &= ~_border_remnants(stats, ink.shape, unit)
    ink = keep[labels].astype(np.uint8)
    darkness = float(np.median(contrast[ink > 0])) if ink.any() else 0.0
    return ink, darkness


def _border_remnants(stats: np.ndarray, shape: tuple[int, ...], unit: float) -> np.ndarray:
    """Pieces of the box's own border that a page a pixel or two off leaves inside the zone: thin
    straight lines along an edge, nearly as long as the zone."""
    cv2 = require("cv2", extra="ocr")
    height, width = shape[:2]
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    near, thin = 8 * unit, 5 * unit
    vertical = (h >= 0.8 * height) & (w <= thin) & ((x <= near) | (x + w >= width - near))
    horizontal = (w >= 0.8 * width) & (h <= thin) & ((y <= near) | (y + h >= height - near))
    return vertical | horizontal


def trace_contrast(gray: np.ndarray, unit: float) -> float:
    """The lowest contrast that is not the paper's grain: three times its noise (median absolute
    deviation from the paper's level), and never below ``TRACE_CONTRAST``."""
    return above_grain(paper_level(gray, unit).astype(np.float32) - gray.astype(np.float32))


def above_grain(contrast: np.ndarray) -> float:
    """The lowest of these contrasts that is not the paper's grain (``trace_contrast``)."""
    spread = float(np.median(np.abs(contrast - np.median(contrast)))) * 1.4826
    return max(float(TRACE_CONTRAST), 3 * spread)


# An unchecked read is doubted when the box holds more pixels darker than the paper's grain allows
# (ink pixels per pixel of the box's side, at 4 σ of the grain, no specks removed) than
# ``RAW_DOUBT + RAW_DOUBT_PER_SIGMA × σ``: a thin tick a soft or distant photo has spread below the
# ink contrast. Measured on the tuning forms: unchecked boxes give 0 on clean pages and up to 1.0 on
# noisy ones (σ ≈ 7.4), ticks lost at the ink contrast 0.38 and more (σ ≈ 1.5).
RAW_DOUBT = 0.15
RAW_DOUBT_PER_SIGMA = 0.12
# Grain beyond this (σ in grey levels) is not paper: the zone holds something else than a box on a
# page (a page a little off, a shadow), and whatever is read there is doubted.
NOT_PAPER = 20


def darker_than_grain(gray: np.ndarray, erase: np.ndarray, unit: float) -> tuple[float, float]:
    """(the pixels of the box's inside darker than the paper by 4 σ of its grain, per pixel of the
    side; σ), with nothing filtered out: evidence that a mark may be there when the inked strokes
    were too pale or too broken to count. σ is the paper's, taken where there is no ink: a box
    filled or scribbled over is not grain."""
    contrast = paper_level(gray, unit).astype(np.float32) - gray.astype(np.float32)
    added = contrast > INK_CONTRAST
    if erase.shape == added.shape:
        added &= ~erase
    paper = contrast[~added] if not added.all() else contrast.ravel()
    sigma = float(np.median(np.abs(paper - np.median(paper)))) * 1.4826
    dark = contrast > max(float(TRACE_CONTRAST), 4 * sigma)
    if erase.shape == dark.shape:
        dark[erase] = False
        # The edge of the printing (a round box's border in the inside's corners), which a JPEG or
        # a blur spreads beyond the erase mask, is not a mark.
        dark = printing.without_remnants(dark.astype(np.uint8), erase, unit).astype(bool)
    return stroke_evidence(inner(dark)), sigma


def inner(mask: np.ndarray, margin: float = 0.15) -> np.ndarray:
    """The box's inside, away from its printed border (which a slightly off alignment leaves)."""
    height, width = mask.shape[:2]
    return mask[
        int(height * margin) : int(height * (1 - margin)),
        int(width * margin) : int(width * (1 - margin)),
    ]


def stroke_evidence(ink: np.ndarray) -> float:
    """Added ink pixels per pixel of the zone's shorter side."""
    side = min(ink.shape[:2])
    return float(ink.sum()) / side if side else 0.0


def longest_stroke(ink: np.ndarray) -> float:
    """The span of the longest connected piece of ink (the longer side of its bounding box) per
    pixel of the zone's shorter side: a stroke, where scan grain is scattered specks."""
    cv2 = require("cv2", extra="ocr")
    side = min(ink.shape[:2])
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(
        ink.astype(np.uint8), connectivity=8
    )
    if count <= 1 or not side:
        return 0.0
    spans = np.maximum(stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT])
    return float(spans.max()) / side


# A box read as empty is doubted when its inside is darker than the paper around the box on the same
# page: more of its pixels than chance allows beyond the 99.5th percentile of the paper around it
# (the blank form's printing left out), as a z-score over ``AROUND_Z``, or over ``AROUND_Z_LINE``
# when, the grain smoothed away, a piece of them spans ``SMOOTH_STROKE`` of the box's inside. A thin
# mark in pencil on a faint or blurred scan is broken into specks no stroke measure joins, yet it
# is there: the paper around the box, with the same grain and JPEG, shows how much of the box's
# darkness chance explains. Measured on the tuning forms' 添付書類確認票: such rings give z 29–76,
# such ticks z 8–18 with spans 0.39–0.47; an empty box gives at most 12 (a 6 mm box on a rotated JPEG).
AROUND_Z = 20.0
AROUND_Z_LINE = 8.0
AROUND_TAIL = 0.5  # per cent of the paper around the box taken as its darkest grain
SMOOTH_STROKE = 0.3
NEAR_PRINTING = 41  # pixels at 200 dpi: the paper around within 20 px of the blank form's printing
SMOOTH_SIGMA = 1.5  # pixels at 200 dpi
SMOOTH_K = 2.5  # … and the smoothed grain's σ above its median that counts
# … and when the box's inside, smoothed (``BAND_SIGMA``), is darker at its ``BAND_TAIL``-th percentile
# than the paper around it by more than ``PALE_BAND`` of the page's own ink contrast there (the
# blank form's printing around the box, at its 75th percentile). The share, not the grey levels:
# on a faint page the printing is pale too, so the same faint tick is a larger share of it and
# doubted sooner. Measured on the tuning 添付書類確認票 drawn with pale thin ticks on faint scans:
# 15 of 19 ticks read as empty gave 0.012 or more, 3 of 843 empty boxes did (noisy or blurred 6–7
# mm boxes at 150–200 dpi), an empty box on a clean scan about 0.
PALE_BAND = 0.012
BAND_SIGMA = 1.2  # pixels at 200 dpi
BAND_TAIL = 95


def darker_than_around(
    aligned: np.ndarray, blank: np.ndarray, box: tuple[int, int, int, int], unit: float
) -> tuple[float, float, float]:
    """(how many more of the box's inside pixels than chance are darker than the paper around the
    box, as a z-score; the span of the longest piece of them once smoothed, per pixel of the
    side; how much darker the smoothed inside is, as a share of the page's ink contrast, see
    ``PALE_BAND``). ``box``: x0, y0, x1, y1 on the aligned page; ``blank``: the blank page, whose
    printing is left out on both sides of the comparison."""
    cv2 = require("cv2", extra="ocr")
    x0, y0, x1, y1 = box
    reach = max(x1 - x0, y1 - y0)
    height, width = aligned.shape[:2]
    left, top = max(0, x0 - reach), max(0, y0 - reach)
    right, bottom = min(width, x1 + reach), min(height, y1 + reach)
    gray = aligned[top:bottom, left:right]
    contrast = paper_level(gray, unit).astype(np.float32) - gray.astype(np.float32)
    # The paper compared is as near the printing as the box's inside is to its border: JPEG rings
    # and blurs the grain near a printed line, and a small box's inside is all near its border.
    ink = ink_mask(blank[top:bottom, left:right])
    printed = cv2.dilate(ink, np.ones((7, 7), np.uint8)).astype(bool)
    near = int(NEAR_PRINTING * unit) | 1
    around = cv2.dilate(ink, np.ones((near, near), np.uint8)).astype(bool) & ~printed
    margin = int(6 * unit)
    around[y0 - top - margin : y1 - top + margin, x0 - left - margin : x1 - left + margin] = False
    inside = inner(contrast[y0 - top : y1 - top, x0 - left : x1 - left])
    erase = inner(printed[y0 - top : y1 - top, x0 - left : x1 - left])
    if around.sum() < 100 or (~erase).sum() < 100:
        return 0.0, 0.0, 0.0
    darkest = float(np.percentile(contrast[around], 100 - AROUND_TAIL))
    expected = (~erase).sum() * AROUND_TAIL / 100
    count = float((inside[~erase] > darkest).sum())
    z = (count - expected) / np.sqrt(expected)
    smooth = cv2.GaussianBlur(inside, (0, 0), SMOOTH_SIGMA * unit)
    middle = float(np.median(smooth))
    sigma = max(1.0, float(np.median(np.abs(smooth - middle))) * 1.4826)
    dark = (smooth > middle + SMOOTH_K * sigma) & ~erase
    return (
        float(z),
        longest_stroke(dark),
        _share_darker(contrast, ink, around, box, (left, top), unit),
    )


def _share_darker(contrast, ink, around, box, corner, unit) -> float:
    """The box's inside, smoothed, darker than the paper around it, per grey level of the page's
    printing there (see ``PALE_BAND``)."""
    cv2 = require("cv2", extra="ocr")
    x0, y0, x1, y1 = box
    left, top = corner
    printing = float(np.percentile(contrast[ink.astype(bool)], 75)) if ink.any() else 0.0
    smooth = cv2.GaussianBlur(contrast, (0, 0), BAND_SIGMA * unit)
    printed = cv2.dilate(ink, np.ones((7, 7), np.uint8)).astype(bool)
    inside = inner(smooth[y0 - top : y1 - top, x0 - left : x1 - left])
    erase = inner(printed[y0 - top : y1 - top, x0 - left : x1 - left])
    darker = float(np.percentile(inside[~erase], BAND_TAIL)) - float(
        np.percentile(smooth[around], BAND_TAIL)
    )
    return darker / max(printing, 1.0)


@dataclass
class Mark:
    value: object
    confidence: float
    evidence: str
    ambiguous: bool
    faint: bool = False
    uncertain: bool = False  # little evidence either way: the scan may have lost or invented a mark
    shifted: bool = False  # the box taken where the blank form's printing is reads otherwise
    unclear: bool = False  # read as empty, yet a little ink was added: a small or pale mark?
    ink: np.ndarray | None = None  # the box's added ink


def certainty(evidence: float) -> float:
    """How far the evidence is from the threshold, on a log scale: 0.5 at it, 0.99 beyond SURE."""
    if evidence <= 0:
        return 0.99
    ratio = abs(np.log(evidence / CHECKED)) / np.log(SURE)
    return float(min(0.99, 0.5 + 0.49 * ratio))


def checkbox(
    ink: np.ndarray,
    faint: np.ndarray,
    trace: np.ndarray | None = None,
    grain: tuple[float, float] = (0.0, 0.0),
    around: tuple[float, ...] = (0.0, 0.0, 0.0),
) -> Mark:
    """``ink``, ``faint`` and ``trace``: the box's added ink at the normal, a low and the lowest
    contrast the scan's grain allows; ``grain``: ``darker_than_grain`` of the box; ``around``:
    ``darker_than_around`` of the box.

    Ink holding one connected stroke across ``STROKE`` of the box's inside is a mark, not a
    doubt, however little or pale it is: a short thin tick, one diagonal line or a tick in pencil
    is as clear as a thick one. Less ink than a mark's, anywhere in the box, is ``unclear``: a
    box is never silently "unchecked" over ink that someone added."""
    evidence = stroke_evidence(inner(ink))
    raw, sigma = grain
    if sigma > NOT_PAPER:
        return Mark(evidence > CHECKED, 0.5, f"{evidence:.2f}", True, uncertain=True)
    confidence = certainty(evidence)
    lowest = trace if trace is not None else faint
    stroke = max(longest_stroke(inner(ink)), longest_stroke(inner(lowest)))
    if evidence > CHECKED:
        if stroke >= STROKE:
            confidence = max(confidence, STROKE_CONFIDENCE)
        return Mark(True, round(confidence, 4), f"{evidence:.2f}", confidence < STROKE_CONFIDENCE)
    pale = max(stroke_evidence(inner(faint)), stroke_evidence(inner(lowest)))
    if stroke >= STROKE:
        return Mark(True, STROKE_CONFIDENCE, f"{pale:.2f}", False)
    if pale > CHECKED:
        # Pale strokes in the box but no stroke across it: probably a faint mark; a person confirms.
        return Mark(True, 0.5, f"{evidence:.2f}", True, faint=True)
    added = inner(ink).any() or inner(lowest).any()
    if pale > TRACE or added or longest_stroke(ink) >= STROKE / 2:
        # Some ink in a box read as empty: in its middle (a small or pale mark), or a stroke near
        # its border (a mark over the border; specks of noise there are not strokes). Never
        # silently unchecked.
        return Mark(False, 0.5, f"{evidence:.2f}", True, unclear=True)
    if raw > RAW_DOUBT + RAW_DOUBT_PER_SIGMA * sigma:
        # Read as empty, yet darker pixels than the grain explains: maybe a mark the scan spread.
        return Mark(False, 0.5, f"{evidence:.2f}", True, uncertain=True)
    z, span, *share = around
    if z > AROUND_Z or (z > AROUND_Z_LINE and span >= SMOOTH_STROKE):
        # Read as empty, yet darker than the paper around it, along a line: a pale mark in grain.
        return Mark(False, 0.5, f"{evidence:.2f}", True, uncertain=True)
    if share and share[0] > PALE_BAND:
        # Read as empty, yet darker than the paper around it by more than a faint page's own ink
        # contrast lets chance explain: a pale tick on a faint scan.
        return Mark(False, 0.5, f"{evidence:.2f}", True, uncertain=True)
    return Mark(False, round(confidence, 4), f"{evidence:.2f}", confidence < 0.9)


def pale_contrast(gray: np.ndarray, unit: float, paper: np.ndarray | None = None) -> int:
    """The contrast from which pale ink counts, from the scan's grain around it rather than a
    fixed level: 4 σ of the grain above its middle (the paper's level is its lightest nearby, so
    on a grainy scan most paper is already a few levels "darker" than it), at least
    ``TRACE_CONTRAST`` (flat paper, where pencil drawn thin is still told from it), below the ink
    contrast. Measured on the tuning forms' blank zones: 12 on clean scans and photos, about 32
    on noisy ones (where the fixed ``FAINT_CONTRAST`` turned grain into writing). ``paper``: as
    for ``added_ink``."""
    paper = paper_level(gray, unit) if paper is None else paper
    contrast = paper.astype(np.float32) - gray.astype(np.float32)
    middle = float(np.median(contrast))
    sigma = float(np.median(np.abs(contrast - middle))) * 1.4826
    return int(min(INK_CONTRAST - 1, max(TRACE_CONTRAST, middle + 4 * sigma)))


def sides_reached(ink: np.ndarray, edge: float) -> str:
    """The sides of a zone ("ltrb") that its ink comes within ``edge`` pixels of."""
    ys, xs = np.nonzero(ink)
    if not len(xs):
        return ""
    height, width = ink.shape[:2]
    near = (xs.min() < edge, ys.min() < edge, xs.max() >= width - edge, ys.max() >= height - edge)
    return "".join(side for side, reached in zip("ltrb", near, strict=True) if reached)


# How far (pixels at 200 dpi) the blank form's printing around a check box is looked for on the page
# when ink reaches the box's side: a photo's perspective leaves parts of a page aligned as a whole
# 10–20 px off, and the box's own border then reads as a mark.
SEARCH = 24
BETTER_MATCH = 0.05  # … and how much better a match elsewhere must be to move the box
# A page can be aligned badly in one corner (a photo's perspective left 30–70 px off there): the
# blank form's printing around a box is looked for within ``FAR`` pixels, and where it matches
# the page better by ``FAR_MATCH`` more than ``SEARCH`` pixels off than anywhere within
# ``SEARCH`` pixels (what is written in the box left out), the box is read there and
# goes to a person (``shifted``); where it matches worse than ``MISPLACED`` and is found nowhere
# near, the read is doubted. Measured on the tuning forms: boxes where the alignment put them
# match at 0.1–0.95 (median 0.6); below 0 the box's printing is not there.
MISPLACED = 0.0
FAR = 80
FAR_MATCH = 0.3
# Ink this close to a zone's side (pixels at 200 dpi; the blank form's border is erased some 5 px
# into the zone) may be that border, the page aligned a little off, or run out of the zone.
EDGE = 7
INSET = 4  # pixels (at 200 dpi) inside a box's border where what is written may start


def local_offset(
    aligned: np.ndarray,
    blank: np.ndarray,
    box: tuple[int, int, int, int],
    unit: float,
    search: int = SEARCH,
) -> tuple[int, int]:
    """(dx, dy) that puts the blank form's printing around ``box`` (x0, y0, x1, y1: its border,
    a few pixels beyond) where it best matches the aligned page, within ``search`` pixels; (0, 0)
    when the box is where it should be or nothing printed there can tell."""
    found = _printing_match(aligned, blank, box, unit, search)
    if found is None or found[1] - found[0] < BETTER_MATCH:
        return 0, 0
    return found[2], found[3]


def _printing_match(
    aligned: np.ndarray,
    blank: np.ndarray,
    box: tuple[int, int, int, int],
    unit: float,
    search: int,
    masked: bool = False,
) -> tuple[float, float, int, int, float] | None:
    """(how well the blank form's printing around ``box`` matches the page where the box should
    be, the best match within ``search`` pixels, its dx, dy, and the best match within ``SEARCH``
    pixels); ``None`` when the search would leave the page or nothing printed there can tell.
    ``masked``: what is written inside the box is left out of the match (three times slower)."""
    cv2 = require("cv2", extra="ocr")
    x0, y0, x1, y1 = box
    margin, reach = int(6 * unit), int(search * unit)
    height, width = aligned.shape[:2]
    if min(x0, y0) < margin + reach or x1 + margin + reach > width or y1 + margin + reach > height:
        return None
    template = blank[y0 - margin : y1 + margin, x0 - margin : x1 + margin]
    if float(template.std()) < 1.0:
        return None
    region = aligned[
        y0 - margin - reach : y1 + margin + reach, x0 - margin - reach : x1 + margin + reach
    ]
    inside = None
    if masked:
        inside = np.ones(template.shape, np.uint8)
        inset = margin + int(INSET * unit)
        if min(template.shape) > 2 * inset + 2:
            inside[inset:-inset, inset:-inset] = 0
    scores = cv2.matchTemplate(region, template, cv2.TM_CCOEFF_NORMED, mask=inside)
    scores = np.nan_to_num(scores, nan=-1.0, posinf=-1.0, neginf=-1.0)
    _low, best, _at, (bx, by) = cv2.minMaxLoc(scores)
    near = int(min(search, SEARCH) * unit)
    close = float(scores[reach - near : reach + near + 1, reach - near : reach + near + 1].max())
    return float(scores[reach, reach]), float(best), bx - reach, by - reach, close


def checkbox_on_page(
    aligned: np.ndarray,
    box: tuple[int, int, int, int],
    erase: np.ndarray,
    unit: float,
    blank: np.ndarray | None = None,
) -> Mark:
    """The check box at ``box`` (x0, y0, x1, y1) of an aligned page, with ``erase`` the blank
    form's ink there: its ink at the normal, pale and grain's contrast decide. When ink reaches
    the box's side and the blank form's printing around the box (``blank``: the blank page)
    matches the page better a few pixels off, the box is read again there; if that reads
    otherwise, that read is kept and the mark is ``shifted``: the ink was the border of a page
    aligned a little off, or a mark running out of the box."""
    x0, y0, x1, y1 = box
    around = darker_than_around(aligned, blank, box, unit) if blank is not None else (0.0,) * 3
    mark = _checkbox_at(aligned[y0:y1, x0:x1], erase, unit, around)
    if mark.ambiguous or blank is None:
        return mark
    found = _printing_match(aligned, blank, box, unit, FAR)
    if found is not None:
        _here, best, dx, dy, close = found
        far = max(abs(dx), abs(dy)) > SEARCH * unit
        # Against the best match near where the box should be, not the match exactly there: thin
        # borders a pixel or two off match far less well, and an empty box of the same size
        # further on would be taken for this one.
        if far and best - close >= FAR_MATCH:
            # Confirmed with what is written in the box left out: a marked box matches its own
            # empty printing less well than an empty neighbour of the same size does (a column of
            # boxes 10 mm apart, a heavy ✓ at 300 dpi), which is no reason to read it there.
            found = _printing_match(aligned, blank, box, unit, FAR, masked=True) or found
            _here, best, dx, dy, close = found
            far = max(abs(dx), abs(dy)) > SEARCH * unit
        if far and best - close >= FAR_MATCH:
            moved_box = (x0 + dx, y0 + dy, x1 + dx, y1 + dy)
            moved = _checkbox_at(
                aligned[y0 + dy : y1 + dy, x0 + dx : x1 + dx],
                erase,
                unit,
                darker_than_around(aligned, blank, moved_box, unit),
            )
            moved.shifted = True
            moved.confidence = min(moved.confidence, 0.5)
            return moved
        if close < MISPLACED:
            return Mark(mark.value, 0.5, mark.evidence, True, uncertain=True, ink=mark.ink)
    if not sides_reached(mark.ink, EDGE * unit):
        return mark
    dx, dy = local_offset(aligned, blank, box, unit)
    if (dx, dy) == (0, 0):
        return mark
    moved = _checkbox_at(aligned[y0 + dy : y1 + dy, x0 + dx : x1 + dx], erase, unit, around)
    if moved.value != mark.value:
        moved.shifted = True
        moved.confidence = min(moved.confidence, 0.5)
        return moved
    return mark


def _checkbox_at(
    gray: np.ndarray, erase: np.ndarray, unit: float, around: tuple[float, ...]
) -> Mark:
    erase = erase[: gray.shape[0], : gray.shape[1]]
    ink, _ = added_ink(gray, erase, unit)
    faint, _ = added_ink(gray, erase, unit, FAINT_CONTRAST)
    trace, _ = added_ink(gray, erase, unit, int(trace_contrast(gray, unit)))
    mark = checkbox(ink, faint, trace, darker_than_grain(gray, erase, unit), around)
    # The ink the read rests on: at the scan's lowest contrast when the usual one holds too little
    # (a blurred border a few pixels inside the box reads as a stroke only there).
    mark.ink = ink if stroke_evidence(inner(ink)) > CHECKED else np.maximum(ink, trace)
    return mark
