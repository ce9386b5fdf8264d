"""Reading a template's fields off a scanned page: align, crop, clean, read, normalise, score.

The printed content of the blank page inside a field's box (its border, a 〒 or 円 sign, guide text)
is erased from the crop before reading, so only what the person wrote remains; checkboxes are
decided by how much ink was added to the box compared with the blank form."""

import time
from dataclasses import asdict, dataclass, field

import numpy as np

from jichitai.core.extras import require
from jichitai.ocr import postprocess
from jichitai.ocr.align import Alignment, Reference, align, ink_mask
from jichitai.ocr.engines import DEFAULT_ENGINE
from jichitai.ocr.registry import engines
from jichitai.ocr.template import Template, TemplateField

# A field is shown to a person when it is invalid or its confidence is below this.
REVIEW_BELOW = 0.95
CHECKBOX_MARGIN = 0.03  # share of the box's middle inked beyond the blank form's own ink
MIN_SPECK = 6  # connected ink smaller than this (pixels at 200 dpi) is scan noise


@dataclass
class FieldResult:
    value: object
    raw: str
    confidence: float
    valid: bool

    @property
    def flagged(self) -> bool:
        return not self.valid or self.confidence < REVIEW_BELOW

    def to_dict(self) -> dict:
        return asdict(self)


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


def _clamp_box(box, width, height):
    x, y, w, h = box
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(width, x + w), min(height, y + h)
    return x0, y0, x1, y1


class Extractor:
    """Reads pages against one template; build once per template and reuse for every page."""

    def __init__(self, template: Template, reference_image: np.ndarray, engine: str = ""):
        cv2 = require("cv2", extra="ocr")
        self.template = template
        self.reference = Reference(reference_image)
        self.engine = engines.get(engine or DEFAULT_ENGINE)
        self.unit = max(1.0, reference_image.shape[1] / 1654)  # 1.0 at A4 200 dpi
        self._blank = {}
        for f in template.fields:
            x0, y0, x1, y1 = _clamp_box(f.box, self.reference.width, self.reference.height)
            blank = reference_image[y0:y1, x0:x1]
            self._blank[f.name] = {
                # Blank-form ink, grown so a slightly off alignment still erases it.
                "erase": cv2.dilate(
                    ink_mask(blank), np.ones((7, 7), np.uint8), iterations=1
                ).astype(bool),
                "density": _inner_density(ink_mask(blank)),
            }

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
        to_read: list[tuple[TemplateField, np.ndarray]] = []
        for f in self.template.fields:
            crop, ink = self.clean_crop(aligned, f)
            if f.type == "checkbox":
                results[f.name] = self._checkbox(f, ink)
            elif crop is None:
                results[f.name] = FieldResult(None, "", 0.99, True)
            else:
                to_read.append((f, crop))
        readings = self.engine.read([crop for _f, crop in to_read]) if to_read else []
        for (f, _crop), reading in zip(to_read, readings, strict=True):
            value, valid = postprocess.normalise(f.type, reading.text, f.allowed)
            confidence = reading.confidence if valid else min(reading.confidence, 0.3)
            if value is None and reading.text.strip():
                # Ink was there but nothing allowed was read: a person must look.
                valid, confidence = False, 0.0
            results[f.name] = FieldResult(value, reading.text, round(confidence, 4), valid)
        return {f.name: results[f.name] for f in self.template.fields}

    def clean_crop(self, aligned: np.ndarray, f: TemplateField):
        """The field's crop with the blank form's ink erased and tightened around what was written
        (``None`` when nothing was written), and the mask of added ink."""
        cv2 = require("cv2", extra="ocr")
        height, width = aligned.shape[:2]
        x0, y0, x1, y1 = _clamp_box(f.box, width, height)
        crop = aligned[y0:y1, x0:x1].copy()
        erase = self._blank[f.name]["erase"]
        if erase.shape != crop.shape:
            erase = erase[: crop.shape[0], : crop.shape[1]]
        crop[erase] = 255
        ink = ink_mask(crop)
        _count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
        keep = stats[:, cv2.CC_STAT_AREA] >= MIN_SPECK * self.unit
        keep[0] = False
        ink = keep[labels].astype(np.uint8)
        if f.type == "checkbox":
            return None, ink
        ys, xs = np.nonzero(ink)
        if len(xs) < 12 * self.unit:
            return None, ink
        pad = int(8 * self.unit)
        top, bottom = max(0, ys.min() - pad), min(crop.shape[0], ys.max() + pad + 1)
        left, right = max(0, xs.min() - pad), min(crop.shape[1], xs.max() + pad + 1)
        tight = crop[top:bottom, left:right].copy()
        # Specks that were dropped from the mask are whitened in the image too.
        tight[(ink[top:bottom, left:right] == 0) & (tight < 200)] = 255
        return cv2.cvtColor(tight, cv2.COLOR_GRAY2BGR), ink

    def _checkbox(self, f: TemplateField, ink: np.ndarray) -> FieldResult:
        # What the blank form itself has inside the box (guide marks) is the learned baseline.
        added = _inner_density(ink)
        threshold = CHECKBOX_MARGIN + self._blank[f.name]["density"]
        checked = added > threshold
        distance = abs(added - threshold) / threshold
        confidence = round(min(0.99, 0.5 + distance), 4)
        return FieldResult(checked, f"{added:.3f}", confidence, True)


def _inner_density(ink: np.ndarray) -> float:
    """Ink share of the middle of a box (15% in from each side, away from its border)."""
    height, width = ink.shape[:2]
    inner = ink[int(height * 0.15) : int(height * 0.85), int(width * 0.15) : int(width * 0.85)]
    return float(inner.mean()) if inner.size else 0.0


def field_crop(aligned: np.ndarray, f: TemplateField, margin: int = 6) -> np.ndarray:
    """The field's zone as the person sees it on the verification screen."""
    height, width = aligned.shape[:2]
    x, y, w, h = f.box
    x0, y0, x1, y1 = _clamp_box(
        (x - margin, y - margin, w + 2 * margin, h + 2 * margin), width, height
    )
    return aligned[y0:y1, x0:x1]
