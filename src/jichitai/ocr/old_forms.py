"""Old forms of kanji in names (髙 for 高, 邉 for 邊, 冨 for 富, 凛 for 凜): which of the two the
recogniser saw.

PP-OCR's recogniser learnt from text where the common form is the rule, and it reads a plainly
printed 髙橋 as 高橋: its best guess at that position is 高, yet it gives 髙 a share of the
probability that it does not give 髙 where 高 is written (names rendered in every shipped font,
size and blur: p(髙)/p(高) is at most 0.0008 where 高 is written, 0.04 at the median where 髙 is).
So where the recogniser's best is the common form, the old form is read when its share of the
common form's probability reaches the pair's threshold. The thresholds are measured by
``benchmarks/ocr_old_forms.py`` on names rendered in every shipped font, size and blur, never on the
benchmark's scans: a pair whose two forms the recogniser does not tell apart (奥 and 奧) keeps the
recogniser's own choice and is left to the review (``postprocess``'s variant glyphs).
"""

import numpy as np

# (common form, old form) → the share p(old) / p(common) from which the old form is read.
THRESHOLDS: dict[tuple[str, str], float] = {
    ("高", "髙"): 0.0011,
    ("邊", "邉"): 0.0054,
    ("富", "冨"): 0.024,
    ("瀬", "瀨"): 0.33,
}


def prefer_old_forms(
    probabilities: np.ndarray, index: dict[str, int], thresholds=None
) -> np.ndarray:
    """``probabilities`` (crops × positions × characters, the recogniser's softmax) with the old
    form made the best at each position where the common form is best and the old form's share
    reaches its threshold; the common form's probability is what the decoding then reports for
    it. Returns the array unchanged when no position changes."""
    thresholds = THRESHOLDS if thresholds is None else thresholds
    best = None
    changed = probabilities
    for (common, old), threshold in thresholds.items():
        common_index, old_index = index.get(common), index.get(old)
        if common_index is None or old_index is None:
            continue
        if best is None:
            best = probabilities.argmax(axis=2)
        common_p = probabilities[:, :, common_index]
        taken = (best == common_index) & (probabilities[:, :, old_index] >= threshold * common_p)
        if not taken.any():
            continue
        if changed is probabilities:
            changed = probabilities.copy()
        changed[:, :, old_index][taken] = common_p[taken]
        changed[:, :, common_index][taken] = common_p[taken] * 0.999
    return changed
