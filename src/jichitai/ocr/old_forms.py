"""Old forms of kanji in names (髙 for 高, 邉 for 邊, 冨 for 富, 穗 for 穂): which of the two the
recogniser saw.

PP-OCR's recogniser learnt from text where one form is the rule, and its best guess does not always
follow the form on the paper. It reads a plainly printed 髙橋 as 高橋, yet gives 髙 a share of the
probability there that it does not give 髙 where 高 is written (names rendered in every shipped
font, size and blur: p(髙)/p(高) is at most 0.0008 where 高 is written, 0.04 at the median where 髙
is); and it reads 美穂 as 美穗 in four renderings of ten, with shares of 穗 far below those where 穗
is written. So at each position where the recogniser's best is one of a pair's forms, the old form
is read when p(old)/p(common) reaches the pair's threshold, and the common form otherwise: a
threshold below 1 lets the old form win from behind, one above 1 makes it lead by that much. The
thresholds are measured by ``benchmarks/ocr_old_forms.py`` on names rendered in every shipped font,
size and blur, never on the benchmark's scans: a pair whose two forms the recogniser does not tell
apart (奥 and 奧) keeps the recogniser's own choice and is left to the review (``postprocess``'s
variant glyphs).
"""

import numpy as np

# (common form, old form) → the share p(old) / p(common) from which the old form is read.
THRESHOLDS: dict[tuple[str, str], float] = {
    ("高", "髙"): 0.0011,
    ("邊", "邉"): 0.0054,
    ("富", "冨"): 0.024,
    ("瀬", "瀨"): 0.33,
    ("穂", "穗"): 31.0,
    ("恵", "惠"): 33.0,
}


def choose_forms(probabilities: np.ndarray, index: dict[str, int], thresholds=None) -> np.ndarray:
    """``probabilities`` (crops × positions × characters, the recogniser's softmax) with, at each
    position where one of a pair's forms is best, the form its threshold chooses made the best;
    a form made the best takes the probability the other had, which is what the decoding then
    reports for it. Returns the array unchanged when no position changes."""
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
        old_p = probabilities[:, :, old_index]
        old_chosen = old_p >= threshold * common_p
        for winner, loser, taken in (
            (old_index, common_index, (best == common_index) & old_chosen),
            (common_index, old_index, (best == old_index) & ~old_chosen),
        ):
            if not taken.any():
                continue
            if changed is probabilities:
                changed = probabilities.copy()
            leading_p = probabilities[:, :, loser][taken]
            changed[:, :, winner][taken] = leading_p
            changed[:, :, loser][taken] = leading_p * 0.999
    return changed
