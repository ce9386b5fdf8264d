"""make bench-ocr: a corpus of synthetic scanned forms with ground truth, generated now (three A4
layouts; printed fonts IPAex/Noto CJK and handwriting-style fonts Seto/Kiloji/YOzFont from Debian;
clean, ±3° rotation, noise with specks, blur, heavy JPEG, shifted and scaled pages, phone photos with
perspective and uneven light; 150/200/300 dpi),
read through the same Extractor the CLI and the background job use, on the CPU, with nothing
downloaded.

Prints exact-value field accuracy by field type, by scan condition and by font class, the
character error rate, pages that could not be aligned, the share of wrong fields flagged for review
and pages per minute (reading only; the corpus generation is not timed).
"""

import argparse
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jichitai.settings.test")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402

from jichitai.ocr import samples  # noqa: E402
from jichitai.ocr.extract import Extractor  # noqa: E402


def distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def text(value) -> str:
    return "" if value is None else str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--pages", type=int, default=3, help="pages per layout×condition×font class"
    )
    parser.add_argument("--engine", default="rapidocr")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    fonts = {
        "printed": samples.available(samples.PRINTED_FONTS),
        "handwriting": samples.available(samples.HANDWRITING_FONTS),
    }
    if not fonts["handwriting"]:
        print(
            "handwriting-style fonts missing: apt-get install fonts-seto fonts-kiloji fonts-yozvox-yozfont"
        )
        fonts.pop("handwriting")

    extractors = {}
    for layout in samples.LAYOUTS:
        template = samples.template_for(layout, 200)
        extractors[layout] = Extractor(
            template, np.asarray(samples.blank_form(layout, 200)), args.engine
        )

    totals = defaultdict(lambda: [0, 0])  # key -> [right, all]
    chars = [0, 0]  # [edits, characters]
    wrong, wrong_flagged, right_flagged, fields_all = 0, 0, 0, 0
    unaligned = 0
    pages = 0
    reading_seconds = 0.0
    errors = []
    for layout in samples.LAYOUTS:
        for condition in samples.CONDITIONS:
            for font_class, font_list in fonts.items():
                for _ in range(args.pages):
                    written, truth = samples.random_values(layout, rng)
                    dpi = rng.choice([150, 200, 300])
                    font = rng.choice(font_list)
                    image = samples.filled_form(
                        layout, written, dpi=dpi, font=font, seed=rng.randint(0, 10**6)
                    )
                    page = np.asarray(samples.degrade(image, condition, rng))
                    started = time.perf_counter()
                    result = extractors[layout].extract(page)
                    reading_seconds += time.perf_counter() - started
                    pages += 1
                    if not result.aligned:
                        unaligned += 1
                        errors.append((layout, condition, font, dpi, "(page)", "not aligned", ""))
                        continue
                    template = extractors[layout].template
                    for field in template.fields:
                        got = result.fields[field.name]
                        expected = truth[field.name]
                        ok = got.value == expected
                        fields_all += 1
                        for key in (
                            ("type", field.type),
                            ("condition", condition),
                            ("font", font_class),
                            ("all", "all"),
                        ):
                            totals[key][0] += ok
                            totals[key][1] += 1
                        if field.type != "checkbox":
                            chars[0] += distance(text(got.value), text(expected))
                            chars[1] += len(text(expected))
                        if not ok:
                            wrong += 1
                            wrong_flagged += got.flagged
                            errors.append(
                                (layout, condition, Path(font).name, dpi, field.name, expected, got)
                            )
                        elif got.flagged:
                            right_flagged += 1

    def table(title, kind):
        print(f"\n{title:<14} {'exact':>8} {'fields':>7}")
        for (group, name), (right, count) in sorted(totals.items()):
            if group == kind:
                print(f"{name:<14} {100 * right / count:7.2f}% {count:7d}")

    print(f"OCR benchmark: engine {args.engine}, {pages} pages, {fields_all} fields read")
    table("field type", "type")
    table("condition", "condition")
    table("font class", "font")
    right, count = totals[("all", "all")]
    print(f"\nall fields exact       {100 * right / max(count, 1):.2f}%")
    print(f"character error rate   {100 * chars[0] / max(chars[1], 1):.2f}%")
    print(f"pages not aligned      {unaligned} of {pages}")
    print(
        f"wrong fields flagged   {wrong_flagged} of {wrong}"
        + (f" ({100 * wrong_flagged / wrong:.1f}%)" if wrong else "")
    )
    print(f"right fields flagged   {right_flagged} of {fields_all - wrong} (review load)")
    print(
        f"pages per minute       {60 * pages / reading_seconds:.1f} "
        f"(one process, {reading_seconds / pages * 1000:.0f} ms/page incl. alignment; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f})"
    )
    if args.show_errors:
        for error in errors:
            print("  ", *error)


if __name__ == "__main__":
    main()
