"""make bench-xlsform: the import table over the XLSForm corpus (real workbooks from pyxform's
test fixtures and xlsform.org, ``src/jichitai/procedures/tests/xlsform_corpus``): how many are
imported, imported with a warning the clerk accepts, or refused with the row and the reason, for
the tuning part and the held-out part, and the slowest read."""

import csv
import os
import sys
import time
import warnings
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jichitai.settings.test")

import django

django.setup()

from jichitai.procedures.xlsform import XLSFormError, read_xlsform  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "src/jichitai/procedures/tests/xlsform_corpus"


def main() -> int:
    with (CORPUS / "SOURCES.tsv").open(encoding="utf-8") as handle:
        rows = [row for row in csv.reader(handle, delimiter="\t") if row and row[0][0] != "#"]
    parts = {row[0]: row[1] for row in rows[1:]}
    table: dict[str, dict[str, int]] = {}
    slowest = (0.0, "")
    for name, part in sorted(parts.items()):
        started = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                outcome = (
                    "warned"
                    if read_xlsform((CORPUS / "files" / name).open("rb")).warnings
                    else "imported"
                )
            except XLSFormError:
                outcome = "refused"
        slowest = max(slowest, (time.perf_counter() - started, name))
        for key in (part, "all"):
            table.setdefault(key, {"imported": 0, "warned": 0, "refused": 0})[outcome] += 1
    print(f"{'part':<10}{'files':>7}{'imported':>10}{'warned':>8}{'refused':>9}")
    for part in ("tuning", "held_out", "all"):
        counts = table.get(part, {"imported": 0, "warned": 0, "refused": 0})
        print(
            f"{part:<10}{sum(counts.values()):>7}{counts['imported']:>10}"
            f"{counts['warned']:>8}{counts['refused']:>9}"
        )
    print(f"slowest read: {slowest[0] * 1000:.0f} ms ({slowest[1]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
