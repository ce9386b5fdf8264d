"""make bench-ocr: a corpus of synthetic scanned forms with ground truth, generated now, read through
the same Extractor the CLI and the background job use, on the CPU, with nothing downloaded.

Three sets, reported separately:

- **tuning**: the nine layouts of ``jichitai.ocr.samples`` (printed fonts IPAex/Noto CJK and
  handwriting-style fonts Seto/Kiloji/YOzFont from Debian; clean, ±3° rotation, noise with specks,
  blur, heavy JPEG, rotation and heavy JPEG together, shifted and scaled pages, phone photos,
  photos taken from afar, pale writing on a grainy scan; 150/200/300 dpi in turn, so each layout
  meets each condition at 150 dpi; pale pencil and heavy felt pen; check boxes down to 6 mm (eight
  on the 添付書類確認票) marked with ✓ ✗ ○, fills and lines, short thin ticks, fine-pen rings and
  crosses, small rings and crosses, pale ticks, ticks over the box's border or out of it, one
  diagonal stroke, scribbles, small boxes in a column; names with 濁点/半濁点 kana, kanji a stroke
  away from another, old and rare kanji; 昭和 and 令和 guided dates, two to four options to circle;
  digits one a printed box, 円 and 人 printed in the box, round and flat check boxes);
- **held-out**: the two 申請書 of ``benchmarks/ocr_heldout.py`` (guided dates, circled options, ✓ ✗ ○
  and filled check boxes, faint and heavy ink, addresses across Mie), which nothing is tuned on;
- **validation** (not read by default: ``--sets validation``): two more 申請書 of
  ``benchmarks/ocr_validation.py`` (印鑑登録申請書 with a 昭和 birth date, 犬の登録申請書 with a
  平成 one), drawn by the held-out forms' code with layouts and names of their own, under the
  held-out set's conditions: the forms whose misreads may be looked at (``--show-errors``,
  ``--dump``) to find the reader's weaknesses on forms it was not tuned on, before the held-out
  set, whose misreads are never shown field by field, is measured.

``--dump FILE`` writes every field read of the tuning and validation sets, for
``benchmarks/ocr_loo.py`` (thresholds set on all tuning layouts but one, tried on the one left
out).

For each: exact-value field accuracy by field type, scan condition and font class, the character
error rate, pages not aligned, the share of wrong fields flagged for review and of right fields
flagged (the review load), the reasons given; then pages per minute over all pages, read by one
worker process per core (corpus generation is not timed) and the load average.
"""

import argparse
import os
import pickle
import random
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jichitai.settings.test")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402

from benchmarks import ocr_heldout, ocr_validation  # noqa: E402
from jichitai.ocr import furigana, samples  # noqa: E402
from jichitai.ocr import template as templates  # noqa: E402
from jichitai.ocr.extract import Extractor  # noqa: E402

HELDOUT_CONDITIONS = ("clean", "rotated", "noisy", "photo", "jpeg")
# The sets drawn by ``benchmarks/ocr_heldout.py``'s code: their forms, and the option giving the
# pages per layout × condition × font class.
DRAWN_SETS = {
    "held-out": (ocr_heldout.HELDOUT, "heldout_pages"),
    "validation": (ocr_validation.VALIDATION, "validation_pages"),
}
# Sets whose reads may be shown or dumped field by field (never the held-out set's).
INSPECTABLE = ("tuning", "validation")


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


def drawn_template(key: str, forms: ocr_heldout.FormSet) -> templates.Template:
    return templates.from_dict(ocr_heldout.template_dict(key, 200, forms))


_extractors: dict = {}


def _start_worker(engine: str) -> None:
    furigana.name_parts("山田")  # the reading dictionary loads once per process, as the models do
    for layout in samples.LAYOUTS:
        _extractors[("tuning", layout)] = Extractor(
            samples.template_for(layout, 200), np.asarray(samples.blank_form(layout, 200)), engine
        )
    for name, (forms, _pages) in DRAWN_SETS.items():
        for key in forms.layouts:
            _extractors[(name, key)] = Extractor(
                drawn_template(key, forms),
                np.asarray(ocr_heldout.blank_form(key, 200, forms)),
                engine,
            )


def _read(job):
    corpus, layout, page = job
    started = time.perf_counter()
    cpu = time.process_time()
    result = _extractors[(corpus, layout)].extract(page)
    return (
        result.aligned,
        {
            name: (field.value, field.flagged, list(field.reasons), field.measures)
            for name, field in result.fields.items()
        },
        time.perf_counter() - started,
        time.process_time() - cpu,
    )


def corpus(args, fonts):
    """(set, layout, condition, font class, font, dpi, page, truth) for every page. Each set draws
    from its own generator seeded alike, so the held-out pages stay the same pages whichever tuning
    or validation pages or conditions are added, and whichever other sets are read."""
    pages = []
    rng = random.Random(args.seed)
    for layout in args.layouts if "tuning" in args.sets else ():
        for condition in samples.CONDITIONS:
            for font_class, font_list in fonts.items():
                for index in range(args.pages):
                    written, truth = samples.random_values(layout, rng)
                    # In turn rather than drawn: every condition meets 150 dpi in each layout.
                    dpi = (150, 200, 300)[index % 3]
                    font = rng.choice(font_list)
                    image = samples.filled_form(
                        layout, written, dpi=dpi, font=font, seed=rng.randint(0, 10**6)
                    )
                    page = np.asarray(samples.degrade(image, condition, rng))
                    pages.append(("tuning", layout, condition, font_class, font, dpi, page, truth))
    for name, (forms, count) in DRAWN_SETS.items():
        if name not in args.sets:
            continue
        rng = random.Random(args.seed)
        for key in forms.layouts:
            for condition in HELDOUT_CONDITIONS:
                for font_class, font_list in fonts.items():
                    for _ in range(getattr(args, count)):
                        written, truth = ocr_heldout.random_values(key, rng, forms)
                        dpi = rng.choice([150, 200, 300])
                        font = rng.choice(font_list)
                        image = ocr_heldout.filled_form(
                            key,
                            written,
                            dpi=dpi,
                            font=font,
                            seed=rng.randint(0, 10**6),
                            forms=forms,
                        )
                        page = np.asarray(samples.degrade(image, condition, rng))
                        pages.append((name, key, condition, font_class, font, dpi, page, truth))
    return pages


def report(name, rows, fields_of):
    totals = defaultdict(lambda: [0, 0])
    chars = [0, 0]
    wrong = wrong_flagged = right_flagged = fields_all = unaligned = 0
    reasons = Counter()
    load = Counter()  # why right fields were flagged, by field type
    errors = []
    for (_set, layout, condition, font_class, font, dpi, _page, truth), (aligned, got) in rows:
        if not aligned:
            unaligned += 1
            errors.append(
                (layout, condition, font_class, Path(font).name, dpi, "(page)", "not aligned", "")
            )
            continue
        for field in fields_of[layout]:
            value, flagged, why, _measures = got[field.name]
            expected = truth[field.name]
            ok = value == expected
            fields_all += 1
            for key in (
                ("type", field.type),
                ("condition", condition),
                ("font", font_class),
                ("all", "all"),
            ):
                totals[key][0] += ok
                totals[key][1] += 1
            if field.type not in ("checkbox", "choice"):
                chars[0] += distance(text(value), text(expected))
                chars[1] += len(text(expected))
            reasons.update(why)
            if not ok:
                wrong += 1
                wrong_flagged += flagged
                errors.append(
                    (
                        layout,
                        condition,
                        font_class,
                        Path(font).name,
                        dpi,
                        field.name,
                        expected,
                        value,
                        flagged,
                        why,
                    )
                )
            elif flagged:
                right_flagged += 1
                load.update(f"{field.type}:{reason}" for reason in why)

    def table(title, kind):
        print(f"\n{title:<14} {'exact':>8} {'fields':>7}")
        for (group, key), (right, count) in sorted(totals.items()):
            if group == kind:
                print(f"{key:<14} {100 * right / count:7.2f}% {count:7d}")

    pages = len(rows)
    print(f"\n=== {name}: {pages} pages, {fields_all} fields read ===")
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
    right_all = fields_all - wrong
    print(
        f"right fields flagged   {right_flagged} of {right_all}"
        f" ({100 * right_flagged / max(right_all, 1):.1f}%, the review load)"
    )
    if reasons:
        print("reasons given          " + ", ".join(f"{k} {v}" for k, v in reasons.most_common()))
    if load:
        print("why right ones flagged " + ", ".join(f"{k} {v}" for k, v in load.most_common()))
    return errors


def dump(path: Path, pages, results, fields_of) -> None:
    """Every field read of the tuning and validation sets, without the images: one dict a field,
    for ``benchmarks/ocr_loo.py`` (which keeps the tuning set's). The held-out set's reads are never
    written field by field."""
    rows = []
    for (name, layout, condition, font_class, _f, dpi, _p, truth), (aligned, got, _s, _c) in zip(
        pages, results, strict=True
    ):
        if name not in INSPECTABLE:
            continue
        for field in fields_of[layout]:
            value, flagged, why, measures = got[field.name] if aligned else (None, True, [], {})
            rows.append(
                {
                    "set": name,
                    "layout": layout,
                    "condition": condition,
                    "font": font_class,
                    "dpi": dpi,
                    "field": field.name,
                    "type": field.type,
                    "expected": truth[field.name],
                    "value": value,
                    "flagged": flagged,
                    "reasons": why,
                    "measures": measures,
                    "aligned": aligned,
                }
            )
    path.write_bytes(pickle.dumps(rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--pages", type=int, default=3, help="tuning pages per layout×condition×font class"
    )
    parser.add_argument(
        "--heldout-pages", type=int, default=3, help="held-out pages per layout×condition×font"
    )
    parser.add_argument(
        "--validation-pages",
        type=int,
        default=3,
        help="validation pages per layout×condition×font",
    )
    parser.add_argument("--engine", default="rapidocr")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--show-errors",
        action="store_true",
        help="list the wrong fields of the tuning and validation sets (never the held-out set's)",
    )
    parser.add_argument(
        "--dump",
        type=Path,
        help="write every field read of the tuning and validation sets (value, truth, flag,"
        " reasons, measures) to this pickle, for benchmarks/ocr_loo.py",
    )
    parser.add_argument(
        "--sets",
        nargs="+",
        choices=("tuning", "held-out", "validation"),
        default=["tuning", "held-out"],
        help="which sets to read (tuning alone while changing the reader; validation to look at"
        " the misreads of forms the reader was not tuned on)",
    )
    parser.add_argument(
        "--layouts",
        nargs="+",
        choices=tuple(samples.LAYOUTS),
        default=list(samples.LAYOUTS),
        help="which tuning layouts to read",
    )
    args = parser.parse_args()

    fonts = {
        "printed": samples.available(samples.PRINTED_FONTS),
        "handwriting": samples.available(samples.HANDWRITING_FONTS),
    }
    if not fonts["handwriting"]:
        print(
            "handwriting-style fonts missing: apt-get install fonts-seto fonts-kiloji fonts-yozvox-yozfont"
        )
        fonts.pop("handwriting")
    pages = corpus(args, fonts)
    jobs = [(p[0], p[1], p[6]) for p in pages]
    with ProcessPoolExecutor(
        args.workers, initializer=_start_worker, initargs=(args.engine,)
    ) as pool:
        # Every worker loads its models before the clock starts.
        list(pool.map(_start_worker, [args.engine] * args.workers))
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        results = list(pool.map(_read, jobs, chunksize=2))
        wall = time.perf_counter() - started
    load_after = os.getloadavg()[0]

    fields_of = {layout: samples.template_for(layout, 200).fields for layout in samples.LAYOUTS}
    for forms, _pages in DRAWN_SETS.values():
        fields_of |= {key: drawn_template(key, forms).fields for key in forms.layouts}
    print(f"OCR benchmark: engine {args.engine}, {len(pages)} pages")
    errors = []
    for name in args.sets:
        rows = [
            (page, (aligned, got))
            for page, (aligned, got, _s, _cpu) in zip(pages, results, strict=True)
            if page[0] == name
        ]
        found = report(name, rows, fields_of)
        if name in INSPECTABLE:  # the held-out set's misreads are never shown field by field
            errors += found
    busy = sum(seconds for _a, _g, seconds, _cpu in results)
    cpu = sum(seconds for _a, _g, _s, seconds in results) / len(pages)
    print(
        f"\npages per minute       {60 * len(pages) / wall:.1f} "
        f"({args.workers} worker processes, {busy / len(pages) * 1000:.0f} ms/page each incl. "
        f"alignment; {os.cpu_count()} CPUs, load average {load_before:.1f} → {load_after:.1f})"
    )
    # CPU time does not depend on what else the machine runs: the rate of idle cores follows.
    print(
        f"CPU seconds per page   {cpu:.3f} (→ {60 * args.workers / cpu:.0f} pages/min on "
        f"{args.workers} idle cores)"
    )
    if args.dump:
        dump(args.dump, pages, results, fields_of)
    if args.show_errors:
        for error in errors:
            print("  ", *error)


if __name__ == "__main__":
    main()
