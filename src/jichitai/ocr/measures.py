"""The measures a field's reasons are judged from, kept with its ``FieldResult`` (``measures``)
so that thresholds on them can be calibrated on some layouts and tried on others
(``benchmarks/ocr_loo.py``): the recogniser's scores of the first and the second read, whether the
two reads agree, the read's width against its ink's, the writing's sharpness and its ink's
gaps."""

import unicodedata

from jichitai.ocr import checks


def of_reads(kind: str, crop, readings: list, score: float, agree: bool) -> dict[str, float]:
    """``crop``: the zone's ``_Crop``; ``readings``: its reads; ``score``: the first read's least
    sure character (``checks.least_sure``); ``agree``: whether the reads' values are the same."""
    first = readings[0]
    text = first.text
    characters = first.characters or (first.confidence,)
    ratio = checks.length_ratio(text, crop.extent)
    count = sum(1 for ch in unicodedata.normalize("NFKC", text) if not ch.isspace())
    return {
        "score": float(score),
        "mean": float(sum(characters) / len(characters)),
        "second": float(readings[1].confidence),
        "agree": float(agree),
        "ratio": float(ratio) if ratio is not None else 1.0,
        "sharp": float(crop.sharpness),
        "faint": float(crop.faint),
        "gap": float(checks.fewest_characters(crop.ink) - count) if crop.ink.any() else 0.0,
        "characters": float(count),
    }


def combined(parts: list[dict[str, float]]) -> dict[str, float]:
    """The measures of a field read in parts (a guided date): the worst part's."""
    parts = [p for p in parts if p]
    if not parts:
        return {}
    worst_high = ("gap", "faint")
    return {
        key: (max if key in worst_high else min)(p[key] for p in parts if key in p)
        for key in parts[0]
    }
