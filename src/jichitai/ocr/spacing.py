"""Writing spaced out across its box closed up before it is read: one digit a printed box (a
団体コード or a postal code in boxes, whose dividers are erased as the blank form's printing), or
a name written with a wide gap. The recogniser, trained on lines of text, drops or merges
characters set far apart (247598 in six boxes read as 27598), and the ink's width no longer says
how many characters it holds."""

import itertools

import numpy as np

# The widest blank between two characters kept, in units of the writing's height: wider than the
# gap between the characters of a line, narrower than one character.
WIDEST_GAP = 0.4


def kept_columns(ink: np.ndarray, height: float) -> np.ndarray:
    """The columns of a zone to keep so that no blank run between inked columns is wider than
    ``WIDEST_GAP`` times ``height`` (the writing's height); runs before and after the writing are
    kept whole (the crops' margins are taken from the ink)."""
    inked = ink.any(axis=0)
    widest = max(2, int(WIDEST_GAP * height))
    keep = np.ones(len(inked), bool)
    columns = np.flatnonzero(inked)
    if len(columns) < 2:
        return np.flatnonzero(keep)
    for before, after in itertools.pairwise(columns):
        blank = after - before - 1
        if blank > widest:
            cut = blank - widest
            start = before + 1 + widest // 2
            keep[start : start + cut] = False
    return np.flatnonzero(keep)
