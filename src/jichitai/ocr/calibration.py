"""Thresholds on a field's measures (``FieldResult.measures``) set from the right reads of the
tuning layouts, as the share of them each may flag, rather than as a score chosen by eye: a
threshold set that way on some layouts flags about that share on another
(``benchmarks/ocr_loo.py`` sets each on all tuning layouts but one and tries it on the one left
out).

``low_score``: the recogniser's least sure character of the first read. Names, addresses and
readings are read less surely than numbers, right or wrong, so each group has its threshold: the
score below which ``SHARES`` of the group's right reads fall. Both are 0.9 (a tenth of right
names and readings, a fortieth of right numbers): a higher one for names (0.95, a seventh) caught
one more wrong read in 137 left out one layout at a time, and flagged the right reading of a
clean printed page read at 0.91."""

NAME_KINDS = ("text", "kana")
NUMBER_KINDS = ("postal", "phone", "digits", "amount", "date")

# The share of right reads of the tuning layouts below each threshold …
SHARES = {"names": 0.1, "numbers": 0.025}
# … and the thresholds at those shares on all nine tuning layouts (``benchmarks/ocr_loo.py``).
LOW_SCORE = {"names": 0.9, "numbers": 0.9}


def low_score(kind: str, score: float) -> bool:
    """Whether the least sure character is below its kind's threshold."""
    return score < LOW_SCORE["names" if kind in NAME_KINDS else "numbers"]
