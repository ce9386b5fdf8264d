"""Reading a template's fields off a scanned page: align, crop, clean, read, normalise, score.

The printed content of the blank page inside a field's box (its border, a 〒 or 円 sign, guide text)
is erased from the crop before reading, with what a page a few pixels off leaves of it
(``printing``), so only what the person wrote remains; writing spaced out (one digit a printed box)
is read closed up (``spacing``); check boxes and circled options are decided by the strokes added
to the blank form (``marks``), and a ring drawn around a box (``rings``) checks it.

Every field says whether a person should look at it and why (``reasons``): the recogniser's least
sure character is below its kind's threshold (``calibration``); two reads of the field (the cleaned
crop, and a binarised crop with other margins) disagree; writing that reaches its zone's side reads
otherwise from a crop with that side moved out, or its box's border ran through its zone and it was
read far from there (``shifted_crop``, ``placement``); nothing was read where the page does not
show the blank form's printing of the zone (``off_form``: off the photographed page), or many
fields of the page were so (``page_misaligned``); the value has a wrong format, a small kana where
Japanese spelling has none (``small_kana``, made the large one it almost always is) or a date no
form can hold (``date_range``); the dictionary does not know the place or postal code, the postal
code and the address name different 市区町村, a reading differs from the name's only in 濁点/半濁点
(``furigana``), or a name holds an old or a confusable kanji; there is ink, judged against the
scan's grain, but nothing was read (faint writing), or no ink at all in a field of a page whose
other writing was found only at a pale contrast; a name or a reading has fewer characters than its
ink's gaps show (``glyph_count``, a dropped character); a mark is in doubt. Every written zone is
read twice (``DISAGREE`` when the two differ). What the dictionary corrected is in ``notes``. All
of a page's crops go to the recogniser in one call."""

import time
from dataclasses import asdict, dataclass, field

import numpy as np

from jichitai.core import japanese
from jichitai.core.extras import require
from jichitai.ocr import (
    calibration,
    checks,
    circled,
    furigana,
    marks,
    measures,
    pale_writing,
    placement,
    postprocess,
    printing,
    rings,
    spacing,
)
from jichitai.ocr.align import Alignment, Reference, align, ink_mask
from jichitai.ocr.engines import DEFAULT_ENGINE
from jichitai.ocr.reasons import (
    CHARACTERS,
    DATE_RANGE,
    DICTIONARY,
    DISAGREE,
    FAINT,
    FORMAT,
    GLYPHS,
    LENGTH,
    LOW,
    MARK,
    MISALIGNED,
    OFF_FORM,
    POOR_SCAN,
    REASONS,
    SHIFTED,
    SMALL_KANA,
    UNCERTAIN_MARK,
    UNCLEAR_MARK,
)
from jichitai.ocr.registry import engines
from jichitai.ocr.template import DATE_PARTS, Template, TemplateField

# Kept for stored results that predate ``reasons``: below this a field was shown to a person.
REVIEW_BELOW = 0.95
MIN_INK = 12  # added ink pixels (at 200 dpi) below which a field is empty
# How sharp the writing is: the steepest grey-level steps at the strokes' edges (90th percentile of
# the gradient, per pixel) ÷ the strokes' contrast. Measured on the tuning forms: 0.36–0.5 on scans
# at 150–300 dpi, 0.24–0.31 on blurred 150 dpi scans and photos at 150 dpi or taken from afar, where
# a 濁点 or a stroke that tells 奥 from 臭 is a pixel or two. Below ``SOFT`` a name or kana is
# flagged unless the recogniser is surer than ``SOFT_LOW_SCORE``.
SOFT = 0.33
SOFT_LOW_SCORE = 0.97
SOFT_KINDS = ("text", "kana")
# Ink within ``marks.EDGE`` of a zone's side may run over it, out of the crop: the zone is read
# again with that side moved out by ``SHIFT`` pixels (at 200 dpi) and a different value goes to a
# person.
SHIFT = 12


@dataclass
class FieldResult:
    value: object
    raw: str
    confidence: float
    valid: bool
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # The measures the reasons were judged from (``signals``), for calibrating them; not stored.
    measures: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)

    def to_dict(self) -> dict:
        data = asdict(self)
        data.pop("measures")
        return {**data, "flagged": self.flagged}


@dataclass
class PageResult:
    aligned: bool
    alignment_score: float
    fields: dict[str, FieldResult] = field(default_factory=dict)
    seconds: float = 0.0
    reason: str = ""
    image: np.ndarray | None = None  # the aligned page

    def to_dict(self) -> dict:
        return {
            "aligned": self.aligned,
            "alignment_score": round(self.alignment_score, 4),
            "fields": {name: result.to_dict() for name, result in self.fields.items()},
            "seconds": round(self.seconds, 4),
        }


@dataclass
class _Zone:
    """One place to look at: a field's box, an option of a choice or a part of a date."""

    box: tuple[int, int, int, int]
    erase: np.ndarray


@dataclass
class _Crop:
    ink: np.ndarray
    darkness: float
    images: list[np.ndarray] = field(default_factory=list)  # what the recogniser reads
    faint: bool = False  # only pale ink was found
    soft: bool = False  # the writing's edges are blurred (low resolution, photo): see ``SOFT``
    extent: tuple[int, int] = (0, 0)  # width and height of the ink, in pixels
    touches: str = ""  # the sides of the zone ("ltrb") the ink reaches: it may run over them
    shifted: object = None  # the read of the crop taken again with those sides moved out
    sharpness: float = 1.0  # ``checks.sharpness`` of the writing


class Extractor:
    """Reads pages against one template; build once per template and reuse for every page."""

    def __init__(self, template: Template, reference_image: np.ndarray, engine: str = ""):
        self.template = template
        self.reference = Reference(reference_image)
        self.engine = engines.get(engine or DEFAULT_ENGINE)
        self.unit = max(1.0, reference_image.shape[1] / 1654)  # 1.0 at A4 200 dpi
        self._reference_image = reference_image
        self._zones: dict[tuple[str, str], _Zone] = {}
        self._moved: dict[tuple[str, str, str], _Zone] = {}  # zones with sides moved out
        for f in template.fields:
            self._zones[(f.name, "")] = self._zone(reference_image, f.box)
            for value, box in f.options:
                self._zones[(f.name, value)] = self._zone(reference_image, box)
            for part, box in f.parts.items():
                self._zones[(f.name, part)] = self._zone(reference_image, box)

    def _zone(self, reference_image: np.ndarray, box) -> _Zone:
        cv2 = require("cv2", extra="ocr")
        x0, y0, x1, y1 = placement.clamp_box(box, self.reference.width, self.reference.height)
        # Blank-form ink, grown so a slightly off alignment still erases it; taken with a margin
        # because a border drawn just outside the zone comes inside it when the page is a pixel off.
        margin = 4
        top, left = max(0, y0 - margin), max(0, x0 - margin)
        blank = reference_image[top : y1 + margin, left : x1 + margin]
        grown = cv2.dilate(ink_mask(blank), np.ones((7, 7), np.uint8), iterations=1)
        return _Zone(box, grown[y0 - top : y1 - top, x0 - left : x1 - left].astype(bool))

    def extract(self, page: np.ndarray) -> PageResult:
        started = time.perf_counter()
        alignment: Alignment = align(page, self.reference)
        if not alignment.aligned:
            return PageResult(
                False,
                alignment.score,
                seconds=time.perf_counter() - started,
                reason=alignment.reason,
            )
        results = self.read_fields(alignment.image)
        return PageResult(
            True,
            alignment.score,
            results,
            time.perf_counter() - started,
            image=alignment.image,
        )

    def read_fields(self, aligned: np.ndarray) -> dict[str, FieldResult]:
        results: dict[str, FieldResult] = {}
        pending: list[tuple[TemplateField, str, _Crop]] = []
        # Where each field's printing is: far from where the page's alignment put it, read there.
        shifts: dict[str, tuple[int, int] | None] = {}
        for f in self.template.fields:
            if f.type == "checkbox":
                results[f.name] = self._checkbox(aligned, f.name)
                continue
            whole = self.crop(aligned, f.name, "")
            shifts[f.name] = self._placement(aligned, f, whole.ink)
            shift = shifts[f.name] or (0, 0)
            if f.type == "choice":
                results[f.name] = self._choice(aligned, f, shift)
            elif f.type == "date" and f.parts:
                pending += [
                    (f, part, self.crop(aligned, f.name, part, shift=shift)) for part in DATE_PARTS
                ]
            else:
                moved = self.crop(aligned, f.name, "", shift=shift) if shift != (0, 0) else None
                pending.append((f, "", moved or whole))
        # First read: every written zone's cleaned crop, in one recogniser call.
        written = [(f, part, crop) for f, part, crop in pending if crop.images]
        firsts = iter(self._read([crop.images[0] for _f, _p, crop in written]))
        readings: dict[tuple[str, str], list] = {
            (f.name, p): [next(firsts)] for f, p, _c in written
        }
        # Second read of every written zone, from the binarised crop with other margins: one more
        # call. A recogniser is as sure of a dropped character or a digit read as its neighbour
        # (マツモトツサ at 0.996, 令和2年 as 1年) as of a right read, and the two images of a zone do
        # not mislead it alike; whatever its score, a field whose reads differ goes to a person.
        seconds = iter(self._read([crop.images[1] for _f, _p, crop in written]))
        for f, part, _crop in written:
            readings[(f.name, part)].append(next(seconds))
        # Writing that reaches the zone's side may run over it: read again from a crop with that
        # side moved out (one more call, for the pages that have such writing).
        over = [
            (crop, self.crop(aligned, f.name, part, crop.touches, shifts[f.name] or (0, 0)))
            for f, part, crop in written
            if crop.touches
        ]
        over = [(crop, moved) for crop, moved in over if moved.images]
        for (crop, _moved), reading in zip(
            over, self._read([moved.images[0] for _c, moved in over]), strict=True
        ):
            crop.shifted = reading
        reads: dict[str, dict[str, tuple[_Crop, list]]] = {}
        for f, part, crop in pending:
            reads.setdefault(f.name, {})[part] = (crop, readings.get((f.name, part), []))
        for f in self.template.fields:
            if f.name in reads:
                results[f.name] = self._field(f, reads[f.name])
            if f.name in shifts and placement.far(shifts[f.name], self.unit):
                placement.misplaced(results[f.name], shifts[f.name])
        for f in self.template.fields:
            result = results[f.name]
            if result.value in (None, False) and not result.reasons:
                gray, erase = self._gray(aligned, f.name, "", shift=shifts.get(f.name) or (0, 0))
                if placement.printing_missing(gray, erase):
                    # Nothing read where the page does not show the form: off the photographed
                    # page, or far from the box. Nothing was read, not "left empty".
                    result.reasons = [OFF_FORM]
                    result.notes.append("読取範囲に様式の枠線・印刷が写っていません。")
                    result.confidence = 0.0
        checks.cross_check(self.template.fields, results, DICTIONARY)
        furigana.cross_check(self.template.fields, results, DICTIONARY)
        if any(crop.faint and checks.written_value(results[f.name]) for f, _p, crop in written):
            checks.doubt_empty_fields(self.template.fields, results, reads, FAINT)
        checks.doubt_page(results, (SHIFTED, OFF_FORM), MISALIGNED)
        for result in results.values():
            result.reasons = sorted(set(result.reasons), key=REASONS.index)
        return {f.name: results[f.name] for f in self.template.fields}

    def _placement(self, aligned: np.ndarray, f: TemplateField, ink) -> tuple[int, int] | None:
        """(0, 0) for a field where the alignment put it; where its box's border runs through the
        zone (``ink``: the zone's added ink), the offset to where its printing is, or ``None`` when
        it is found nowhere better."""
        lines = placement.border_lines(ink)
        if not any(lines):
            return 0, 0
        return placement.offset(aligned, self._reference_image, f.box, self.unit, lines)

    def _read(self, images: list[np.ndarray]) -> list:
        return self.engine.read(images) if images else []

    def crop(
        self, aligned: np.ndarray, name: str, part: str, moved: str = "", shift=(0, 0)
    ) -> _Crop:
        """The zone's added ink, and (when something was written) two images of it to read: the
        cleaned grey crop with the paper made white and the ink's contrast stretched, and a
        binarised one with other margins. ``moved``: the sides ("ltrb") of the zone to move out
        by ``SHIFT`` pixels; ``shift``: (dx, dy) from the zone to where its printing is on the page."""
        cv2 = require("cv2", extra="ocr")
        gray, erase = self._gray(aligned, name, part, moved, shift)
        paper = marks.paper_level(gray, self.unit)
        ink, darkness = marks.added_ink(gray, erase, self.unit, paper=paper)
        result = _Crop(ink, darkness)
        if not part and name not in self._read_names:
            return result
        ink = printing.without_remnants(ink, erase, self.unit)
        paler = pale_writing.paler_writing(gray, paper, erase, self.unit, ink, MIN_INK * self.unit)
        if paler is not None:
            # Pale writing, all of it or some characters, is read, and flagged, all the same.
            ink, darkness = paler
            result = _Crop(ink, darkness, faint=True)
        ys, xs = np.nonzero(ink)
        if len(xs) < MIN_INK * self.unit:
            return result
        result.touches = "" if moved else marks.sides_reached(ink, marks.EDGE * self.unit)
        top, bottom = np.percentile(ys, (0.5, 99.5))
        # Characters spaced out (one a printed box) are read, and measured, closed up.
        columns = spacing.kept_columns(ink, bottom - top + 1)
        gray, ink = gray[:, columns], ink[:, columns]
        ys, xs = np.nonzero(ink)
        # The extent of most of the ink: a speck of noise at a side does not widen the writing.
        left, right = np.percentile(xs, (0.5, 99.5))
        result.extent = (int(right - left + 1), int(bottom - top + 1))
        paper = marks.paper_level(gray, self.unit).astype(np.float32)
        contrast = np.clip(paper - gray.astype(np.float32), 0, 255)
        strong = float(np.percentile(contrast[ink > 0], 90))
        stretched = 255 - np.clip(contrast * (235 / max(strong, 1)), 0, 255)
        strokes = pale_writing.with_pale_strokes(contrast, ink, erase[:, columns])
        keep = cv2.dilate(strokes, np.ones((3, 3), np.uint8)).astype(bool)
        stretched[~keep] = 255
        cleaned = stretched.astype(np.uint8)
        result.sharpness = checks.sharpness(gray, keep, strong)
        result.soft = result.sharpness < SOFT
        for pad, binary in ((int(8 * self.unit), False), (int(14 * self.unit), True)):
            top, bottom = max(0, ys.min() - pad), min(ink.shape[0], ys.max() + pad + 1)
            left, right = max(0, xs.min() - pad), min(ink.shape[1], xs.max() + pad + 1)
            tight = cleaned[top:bottom, left:right]
            if binary:
                tight = np.where(strokes[top:bottom, left:right] > 0, 0, 255).astype(np.uint8)
                tight = cv2.GaussianBlur(tight, (3, 3), 0)
            result.images.append(cv2.cvtColor(tight, cv2.COLOR_GRAY2BGR))
        return result

    def _gray(self, aligned: np.ndarray, name: str, part: str, moved: str = "", shift=(0, 0)):
        """The zone's grey pixels on the aligned page and the blank form's ink to erase."""
        zone = self._zones[(name, part)]
        if moved:
            if (name, part, moved) not in self._moved:
                x, y, w, h = zone.box
                step = int(SHIFT * self.unit)
                left, top = step * ("l" in moved), step * ("t" in moved)
                right, bottom = step * ("r" in moved), step * ("b" in moved)
                box = (x - left, y - top, w + left + right, h + top + bottom)
                self._moved[(name, part, moved)] = self._zone(self._reference_image, box)
            zone = self._moved[(name, part, moved)]
        height, width = aligned.shape[:2]
        x0, y0, x1, y1 = placement.clamp_box(placement.moved(zone.box, shift), width, height)
        gray = aligned[y0:y1, x0:x1]
        return gray, zone.erase[: gray.shape[0], : gray.shape[1]]

    @property
    def _read_names(self) -> set[str]:  # fields read by the recogniser
        return {f.name for f in self.template.fields if f.type not in ("checkbox", "choice")}

    def _field(self, f: TemplateField, parts: dict[str, tuple[_Crop, list]]) -> FieldResult:
        if f.type == "date" and f.parts:
            return self._guided_date(f, parts)
        crop, readings = parts[""]
        return self._judge(f.type, f.allowed, crop, readings)

    def _signals(self, kind: str, crop: _Crop, text: str, read) -> list[str]:
        """What in one read, without a second one, says it may be wrong."""
        reasons = []
        if not read.valid:
            reasons.append(FORMAT)
        elif read.value is not None and (
            checks.foreign_characters(kind, str(read.value))
            or read.regrouped
            or read.dropped
            or read.doubled
        ):
            reasons.append(CHARACTERS)
        if read.small_kana or (
            read.value is not None and checks.implausible_small_kana(kind, str(read.value))
        ):
            reasons.append(SMALL_KANA)
        if kind == "date" and read.valid and not checks.plausible_date(read.value):
            reasons.append(DATE_RANGE)
        if read.unknown_place or read.variant_glyph or read.confusable:
            reasons.append(DICTIONARY)
        if read.value is None:
            reasons.append(FAINT)
        elif not checks.plausible_length(kind, text, crop.extent):
            reasons.append(LENGTH)
        if read.value is not None and checks.too_few_characters(kind, text, crop.ink):
            reasons.append(GLYPHS)
        return reasons

    def _judge(self, kind: str, allowed: str, crop: _Crop, readings: list) -> FieldResult:
        if not readings:
            return FieldResult(None, "", 0.99, True)
        first = readings[0]
        read = postprocess.read(kind, first.text, allowed)
        reasons, notes = [], [f"辞書で補正: {a} → {b}" for a, b in read.corrections]
        confidence = score = checks.least_sure(first.text, first.confidence, first.characters, kind)
        if calibration.low_score(kind, confidence):
            reasons.append(LOW)
        elif crop.soft and kind in SOFT_KINDS and confidence < SOFT_LOW_SCORE:
            reasons.append(POOR_SCAN)
        # Every written zone is read twice (``extract``'s second recogniser call).
        if postprocess.read(kind, readings[1].text, allowed).value != read.value:
            reasons.append(DISAGREE)
            confidence = min(confidence, 0.5)
        if (
            crop.shifted is not None
            and postprocess.read(kind, crop.shifted.text, allowed).value != read.value
        ):
            reasons.append(SHIFTED)
            notes.append(f"枠を広げて読むと: {crop.shifted.text}")
            confidence = min(confidence, 0.5)
        signals = self._signals(kind, crop, first.text, read)
        if read.small_kana:
            notes.append(f"小書きの仮名を大きく補正: {read.small_kana}")
        if read.variant_glyph:
            notes.append(f"異体字(髙・﨑など)の可能性: {read.variant_glyph}")
        if read.confusable:
            notes.append(f"形の似た字の読み違いの可能性: {read.confusable}")
        doubts = [r for r in (CHARACTERS, SMALL_KANA, DATE_RANGE, LENGTH, GLYPHS) if r in signals]
        if doubts:
            reasons += doubts
            confidence = min(confidence, 0.5)
        if not read.valid:
            reasons.append(FORMAT)
            confidence = min(confidence, 0.3)
        if read.unknown_place or read.variant_glyph or read.confusable:
            reasons.append(DICTIONARY)
            confidence = min(confidence, 0.6)
        if read.unknown_place:
            notes.append(f"辞書にない地名・番号: {read.unknown_place}")
        if read.value is None or crop.faint:
            # Ink was there but nothing was read, or only pale ink: a person confirms.
            reasons.append(FAINT)
            confidence = 0.0 if read.value is None else min(confidence, 0.5)
        reasons = sorted(set(reasons), key=REASONS.index)
        result = FieldResult(
            read.value, first.text, round(confidence, 4), read.valid, reasons, notes
        )
        result.measures = measures.of_reads(kind, crop, readings, score, DISAGREE not in reasons)
        return result

    def _guided_date(self, f: TemplateField, parts) -> FieldResult:
        numbers, results = [], []
        for part in DATE_PARTS:
            crop, readings = parts[part]
            result = self._judge("digits", "", crop, readings)
            results.append(result)
            numbers.append(result.value)
        reasons = sorted({r for result in results for r in result.reasons}, key=REASONS.index)
        confidence = min(result.confidence for result in results)
        measured = measures.combined([result.measures for result in results])
        raw = f"{f.era}{numbers[0] or ''}年{numbers[1] or ''}月{numbers[2] or ''}日"
        if not any(numbers):
            return FieldResult(None, "", confidence, True, reasons, measures=measured)
        try:
            value = japanese.parse_date(raw).isoformat()
        except ValueError:
            return FieldResult(
                raw, raw, min(confidence, 0.3), False, [*reasons, FORMAT], [], measured
            )
        if not checks.plausible_date(value):
            reasons.append(DATE_RANGE)
            confidence = min(confidence, 0.5)
        return FieldResult(value, raw, confidence, True, reasons, measures=measured)

    def _checkbox(self, aligned: np.ndarray, name: str) -> FieldResult:
        zone = self._zones[(name, "")]
        box = placement.clamp_box(zone.box, aligned.shape[1], aligned.shape[0])
        mark = marks.checkbox_on_page(aligned, box, zone.erase, self.unit, self._reference_image)
        mark, ring, notes = rings.with_ring(mark, aligned, self._reference_image, box, self.unit)
        reasons = []
        if mark.ambiguous:
            reasons = [
                FAINT
                if mark.faint
                else UNCERTAIN_MARK
                if mark.uncertain
                else UNCLEAR_MARK
                if mark.unclear
                else MARK
            ]
        elif mark.shifted:
            reasons = [SHIFTED]
        measured = {"evidence": float(mark.evidence), "mark": float(mark.confidence), "ring": ring}
        return FieldResult(
            mark.value, mark.evidence, mark.confidence, True, reasons, notes, measures=measured
        )

    def _choice(self, aligned: np.ndarray, f: TemplateField, shift=(0, 0)) -> FieldResult:
        options = [
            (value, *self._gray(aligned, f.name, value, shift=shift)) for value, _box in f.options
        ]
        mark = circled.choice_on_page(
            options, self._gray(aligned, f.name, "", shift=shift), self.unit
        )
        reasons = []
        if mark.ambiguous:
            reasons = [FAINT if mark.faint else UNCERTAIN_MARK if mark.uncertain else MARK]
        measured = {"mark": float(mark.confidence)}
        return FieldResult(mark.value, mark.evidence, mark.confidence, True, reasons, [], measured)
