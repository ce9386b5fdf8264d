"""Remnants of the blank form's printing that its erasure leaves in a zone: on a photo or a page
warped a few pixels more than the erase mask was grown for, the edge of a printed 円, 人 or a box's
divider stays as a short stroke that the recogniser reads as a 1 (2595938 read 25959381). A piece
of ink lying wholly within ``NEAR`` pixels of the printing is such a remnant; writing that crosses
the printing reaches further and is kept whole."""

import numpy as np

from jichitai.core.extras import require

NEAR = 4  # pixels at 200 dpi beyond the erase mask (which is grown 3 px around the printing)


def without_remnants(ink: np.ndarray, erase: np.ndarray, unit: float) -> np.ndarray:
    """``ink`` without the pieces that lie wholly next to the erased printing."""
    if erase.shape != ink.shape or not erase.any() or not ink.any():
        return ink
    cv2 = require("cv2", extra="ocr")
    side = 2 * max(1, round(NEAR * unit)) + 1
    near = cv2.dilate(erase.astype(np.uint8), np.ones((side, side), np.uint8)).astype(bool)
    count, labels = cv2.connectedComponents(ink, connectivity=8)
    reaching_out = np.bincount(labels[~near], minlength=count) > 0
    reaching_out[0] = False
    return reaching_out[labels].astype(np.uint8)
