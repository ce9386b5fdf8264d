"""Writing paler than the ink contrast, kept and read rather than dropped: the thin strokes of a
character whose thicker ones are ink (``with_pale_strokes``), and characters written paler than
the rest of the field, or a field written all in pale ink (``paler_writing``, which the reader then
flags ``faint_ink``)."""

import numpy as np

from jichitai.core.extras import require
from jichitai.ocr import marks, printing


def paler_writing(
    gray: np.ndarray,
    paper: np.ndarray,
    erase: np.ndarray,
    unit: float,
    ink: np.ndarray,
    least: float,
) -> tuple[np.ndarray, float] | None:
    """The zone's writing down to the pale contrast (mask, darkness) where ``ink``, found at the
    ink contrast, holds fewer than ``least`` pixels, or where the pale contrast finds that many in
    pieces apart from it: characters written paler than the rest (16000 whose 1 and 6 are pale
    is read 600 from the ink contrast alone, and surely). ``None`` where ``ink`` is the writing.
    ``paper``: ``marks.paper_level(gray, unit)``, which the zone's ink was found from."""
    cv2 = require("cv2", extra="ocr")
    pale_above = marks.pale_contrast(gray, unit, paper)
    pale, darkness = marks.added_ink(gray, erase, unit, pale_above, paper)
    pale = printing.without_remnants(pale, erase, unit)
    if ink.sum() < least:
        return pale, darkness
    _count, labels = cv2.connectedComponents(pale, connectivity=8)
    apart = (labels > 0) & ~np.isin(labels, np.unique(labels[ink > 0]))
    return (pale, darkness) if apart.sum() >= least else None


def with_pale_strokes(contrast: np.ndarray, ink: np.ndarray, erase: np.ndarray) -> np.ndarray:
    """``ink`` (a mask) with the paler pixels joined to it, down to ``FAINT_CONTRAST`` or the
    paper's grain: a pale Mincho's thin horizontal strokes on a soft photo fall below the ink
    contrast while its verticals do not, and a 日 read without its strokes is a ロ. Pale pieces
    that touch no ink (the paper's grain, a smudge) stay out."""
    cv2 = require("cv2", extra="ocr")
    pale = (contrast > max(marks.FAINT_CONTRAST, marks.above_grain(contrast))).astype(np.uint8)
    if erase.shape == pale.shape:
        pale[erase] = 0
    _count, labels = cv2.connectedComponents(pale | ink, connectivity=8)
    joined = np.unique(labels[ink > 0])
    return np.isin(labels, joined[joined > 0]).astype(np.uint8)
