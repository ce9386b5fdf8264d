"""The thresholds of ``jichitai.ocr.old_forms``, measured: names with a common form (高橋) and with
its old form (髙橋) rendered in every shipped font (printed and handwriting-style), at four sizes,
sharp and blurred, read by the recogniser; for each pair, the share p(old) / p(common) at the
position where the recogniser's best is either form, over the names written with each form.
A pair's threshold is the geometric middle between the 95th percentile of the written-common shares
and the 5th percentile of the written-old ones, when at most 5% of each side falls on the wrong
side of it and fewer names are misread with it than with the recogniser's own choice (a threshold
of 1); otherwise the recogniser's own choice is kept (no threshold). Prints the table and the
thresholds, and which differ from the shipped ones. Nothing here reads the benchmark's scans."""

import math
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from jichitai.ocr import old_forms
from jichitai.ocr.engines import recogniser_probabilities
from jichitai.ocr.samples import HANDWRITING_FONTS, PRINTED_FONTS, available

# Each pair with names that carry it ({} is the kanji), common and old forms alike.
PAIRS = {
    ("高", "髙"): ("{}橋健一", "{}田優子", "{}木翼"),
    ("邊", "邉"): ("渡{}恵美", "渡{}大輔", "田{}誠"),
    ("富", "冨"): ("{}田悠斗", "{}永花子", "{}山潤"),
    ("凜", "凛"): ("橋爪{}", "櫻井{}", "佐藤{}子"),
    ("奥", "奧"): ("{}田舞", "{}山菜々子", "{}村誠"),
    ("瀬", "瀨"): ("{}古翔", "{}川由美", "広{}誠"),
    ("穂", "穗"): ("千{}", "{}乃香", "真{}"),
    ("聡", "聰"): ("{}美", "{}一郎", "和{}"),
    ("沢", "澤"): ("{}田健", "小{}舞", "{}井翼"),
    ("広", "廣"): ("{}瀬誠", "{}田優子", "秀{}"),
    ("恵", "惠"): ("{}子", "千{}", "{}理"),
    ("浜", "濱"): ("{}田翔", "長{}恵", "{}口潤"),
    ("斉", "齊"): ("{}藤舞", "{}木誠", "{}田翼"),
    ("桜", "櫻"): ("{}井翔", "{}子", "{}田誠"),
}
SIZES = (20, 28, 40, 56)


def render(text: str, font: str, size: int, blurred: bool) -> np.ndarray:
    face = ImageFont.truetype(font, size)
    image = Image.new("L", (int(size * (len(text) + 1.5)), int(size * 1.6)), 255)
    ImageDraw.Draw(image).text((size // 2, size // 4), text, font=face, fill=0)
    if blurred:
        image = image.filter(ImageFilter.GaussianBlur(1.2))
    return np.array(image)


def shares(common: str, old: str, written: str) -> list[float]:
    """p(old) / p(common) where the recogniser's best is either form, for each rendering of the
    pair's names written with ``written``; a name where neither form is best counts as 0 when
    the common form is written and as infinite when the old one is (it is not the pair's case)."""
    names = PAIRS[(common, old)]
    crops = [
        render(name.format(written), font, size, blurred)
        for name in names
        for font in available(PRINTED_FONTS + HANDWRITING_FONTS)
        for size in SIZES
        for blurred in (False, True)
    ]
    probabilities, index = recogniser_probabilities(crops)
    found = []
    for row in probabilities:
        best = row.argmax(axis=1)
        at = [t for t in range(len(best)) if best[t] in (index[common], index[old])]
        found.append(
            max(row[t, index[old]] / max(row[t, index[common]], 1e-12) for t in at)
            if at
            else (0.0 if written == common else math.inf)
        )
    return found


def threshold(written_common: list[float], written_old: list[float]) -> float | None:
    high = float(np.percentile(written_common, 95))
    low = float(np.percentile(written_old, 5))
    if not 0 < high < low:
        return None
    middle = math.sqrt(high * low)
    wrong_common, wrong_old = misread(middle, written_common, written_old)
    if max(wrong_common / len(written_common), wrong_old / len(written_old)) > 0.05:
        return None
    own_choice = misread(1.0, written_common, written_old)
    return middle if wrong_common + wrong_old < sum(own_choice) else None


def misread(taken: float, written_common: list[float], written_old: list[float]) -> tuple[int, int]:
    """How many names written with each form the threshold ``taken`` reads with the other."""
    return (
        sum(share >= taken for share in written_common),
        sum(share < taken for share in written_old),
    )


def main() -> None:
    print(
        "| pair | written | names | share min | median | max | threshold | read as old"
        " | as old by the recogniser's choice |"
    )
    print("|------|---------|------:|----------:|-------:|----:|----------:|------------:|----:|")
    measured = {}
    for common, old in PAIRS:
        written_common = shares(common, old, common)
        written_old = shares(common, old, old)
        found = threshold(written_common, written_old)
        measured[(common, old)] = found
        for written, values in ((common, written_common), (old, written_old)):
            taken = found if found is not None else 1.0
            as_old = sum(share >= taken for share in values)
            print(
                f"| {common}→{old} | {written} | {len(values)} | {min(values):.2g} |"
                f" {float(np.median(values)):.2g} | {max(values):.2g} |"
                f" {'-' if found is None else f'{found:.2g}'} | {as_old} |"
                f" {sum(share >= 1.0 for share in values)} |"
            )
    print()
    for pair, found in measured.items():
        shipped = old_forms.THRESHOLDS.get(pair)
        same = (
            shipped is None
            if found is None
            else shipped is not None and math.isclose(shipped, found, rel_tol=0.5)
        )
        print(
            f"{pair[0]}→{pair[1]}: measured {'-' if found is None else f'{found:.2g}'},"
            f" shipped {'-' if shipped is None else f'{shipped:.2g}'}{'' if same else '  (differs)'}"
        )


if __name__ == "__main__":
    main()
