"""Whether the review flags of the OCR carry over to a layout they were not set on: leave one
tuning layout out.

Reads a dump of the tuning set written by ``benchmarks/ocr.py --sets tuning --dump FILE`` (every
field: truth, value, flag, reasons and the ``measures`` the reasons were judged from), then, for
each of the tuning layouts in turn:

- **as set**: the flags as the extractor gave them, on that layout alone (its thresholds were set
  on all the tuning layouts, this one included: an upper bound);
- **general reasons only**: as set, counting only the reasons that do not depend on what was
  written (``GENERAL``: scores, the two reads, format, faint ink, marks, placement), leaving out
  the dictionary's and spelling's, which were written for the errors the tuning values invite
  (髙 read 高) and may meet other errors on another form;
- **recalibrated**: the reasons that are a threshold on a measure (``RULES``: the least sure
  character's score, per group of kinds) set again on the other layouts alone, at the share of
  their right reads that ``calibration.SHARES`` gives, and tried on the left-out layout, with
  the other reasons as given (and with the general reasons only).

It reports wrong fields flagged and right fields flagged per left-out layout, and for each reason
the wrong fields it alone flags, layout by layout (a reason that alone catches wrong reads on one
layout only is fitted to it), and its share of right reads flagged on each layout (a reason whose
review load swings from layout to layout has an absolute threshold that does not carry over).

    .venv/bin/python benchmarks/ocr.py --sets tuning --workers 1 --dump /tmp/tuning.pkl
    .venv/bin/python benchmarks/ocr_loo.py /tmp/tuning.pkl [--rules before]

``--rules before``: the threshold as it was (0.9 for every kind), at the shares of right reads it
flagged on the eight tuning layouts of then.
"""

import argparse
import pickle
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from jichitai.ocr import calibration, reasons

NAMES = calibration.NAME_KINDS
NUMBERS = calibration.NUMBER_KINDS


def first_score(row) -> float | None:
    return (row["measures"] or {}).get("score")


# Reasons that are a threshold on one measure, per group of kinds: (reason, kinds, measure); the
# threshold is the measure's quantile over the right reads of those kinds on the other layouts at
# the share of ``calibration.SHARES`` (a field below it is flagged).
RULES = {
    # what the extractor did before: the first read's least sure character below one score
    # (0.9 for every kind: the shares of right reads below it on the tuning layouts)
    "before": (
        (reasons.LOW, NAMES, first_score, "names", 0.095),
        (reasons.LOW, NUMBERS, first_score, "numbers", 0.02),
    ),
    # now: the same measure, its threshold per group at the share of ``calibration.SHARES``
    "after": (
        (reasons.LOW, NAMES, first_score, "names", calibration.SHARES["names"]),
        (reasons.LOW, NUMBERS, first_score, "numbers", calibration.SHARES["numbers"]),
    ),
}


def right_values(rows, kinds, measure) -> list[float]:
    return [
        value
        for row in rows
        if row["type"] in kinds
        and row["value"] == row["expected"]
        and (value := measure(row)) is not None
    ]


def recalibrated_flags(train, test, rules, kept=None):
    """The left-out layout's flags with the thresholds of ``rules`` set on ``train``: a field is
    flagged by a reason not set by ``rules`` as given, or by a measure below its threshold."""
    names = {reason for reason, *_ in rules}
    limits = [
        (kinds, measure, float(np.quantile(values, share)) if values else -1.0)
        for _reason, kinds, measure, _group, share in rules
        for values in [right_values(train, kinds, measure)]
    ]
    flags = []
    for row in test:
        flag = bool((set(row["reasons"]) & (kept or set(row["reasons"]))) - names)
        for kinds, measure, limit in limits:
            value = measure(row) if row["type"] in kinds else None
            flag = flag or (value is not None and value < limit)
        flags.append(flag)
    return flags, limits


def evaluate(rows, flags) -> np.ndarray:
    wrong = [flag for row, flag in zip(rows, flags, strict=True) if row["value"] != row["expected"]]
    right = [flag for row, flag in zip(rows, flags, strict=True) if row["value"] == row["expected"]]
    return np.array([sum(wrong), len(wrong), sum(right), len(right)])


GENERAL = {
    reasons.LOW,
    reasons.POOR_SCAN,
    reasons.DISAGREE,
    reasons.FORMAT,
    reasons.FAINT,
    reasons.MARK,
    reasons.UNCERTAIN_MARK,
    reasons.UNCLEAR_MARK,
    reasons.OFF_FORM,
    reasons.MISALIGNED,
    reasons.SHIFTED,
}


def line(label, wrong_flagged, wrong, right_flagged, right) -> str:
    return (
        f"{label:<22} wrong flagged {wrong_flagged:3d}/{wrong:<3d} "
        f"({100 * wrong_flagged / max(wrong, 1):5.1f}%)   right flagged {right_flagged:4d}/{right:<5d}"
        f" ({100 * right_flagged / max(right, 1):4.1f}%)"
    )


def reasons_by_layout(rows, layouts) -> None:
    """Per reason: wrong fields it alone flags per layout, and its right-read share per layout."""
    alone = defaultdict(Counter)
    load = defaultdict(Counter)
    counts = Counter(row["layout"] for row in rows if row["value"] == row["expected"])
    for row in rows:
        if row["value"] != row["expected"] and len(row["reasons"]) == 1:
            alone[row["reasons"][0]][row["layout"]] += 1
        if row["value"] == row["expected"]:
            for reason in row["reasons"]:
                load[reason][row["layout"]] += 1
    print("\nper reason: wrong fields it alone flags / right reads it flags (%) per layout")
    print(f"{'':<16}" + "".join(f"{layout[:10]:>13}" for layout in layouts))
    for reason in sorted(set(alone) | set(load)):
        cells = [
            f"{alone[reason][layout]:>3} /{100 * load[reason][layout] / max(counts[layout], 1):5.1f}%"
            for layout in layouts
        ]
        print(f"{reason:<16}" + "".join(f"{cell:>13}" for cell in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dump", type=Path)
    parser.add_argument("--rules", choices=tuple(RULES), default="after")
    args = parser.parse_args()
    # The tuning set only: the held-out layouts are never looked at field by field.
    rows = [
        row
        for row in pickle.loads(args.dump.read_bytes())  # noqa: S301  (written by benchmarks/ocr.py)
        if row["set"] == "tuning" and row["aligned"]
    ]
    layouts = sorted({row["layout"] for row in rows})
    rules = RULES[args.rules]
    totals = defaultdict(lambda: np.zeros(4, int))
    print(f"leave one layout out: {len(layouts)} layouts, {len(rows)} fields, rules {args.rules}")
    for layout in layouts:
        test = [row for row in rows if row["layout"] == layout]
        train = [row for row in rows if row["layout"] != layout]
        results = {
            "as set": evaluate(test, [row["flagged"] for row in test]),
            "general reasons only": evaluate(
                test, [bool(set(row["reasons"]) & GENERAL) for row in test]
            ),
            "recalibrated": evaluate(test, recalibrated_flags(train, test, rules)[0]),
            "general, recalibrated": evaluate(
                test, recalibrated_flags(train, test, rules, GENERAL)[0]
            ),
        }
        print(f"\n{layout}")
        for label, result in results.items():
            print(line(f"  {label}", *result))
            totals[label] += result
    print("\nall left-out layouts")
    for label, total in totals.items():
        print(line(f"  {label}", *total))
    _flags, limits = recalibrated_flags(rows, [], rules)
    print("\nthresholds set on all layouts")
    for (_reason, _kinds, measure, group, share), (*_, limit) in zip(rules, limits, strict=True):
        print(f"  {group:<10} {measure.__name__:<16} {limit:.3f} (share {share})")
    reasons_by_layout(rows, layouts)


if __name__ == "__main__":
    main()
