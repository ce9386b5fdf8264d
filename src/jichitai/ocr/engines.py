"""OCR engines, registered by name: ``rapidocr`` (default; PP-OCR recognition weights shipped in the
wheel, run with onnxruntime; recognition only, on field crops) and ``tesseract`` (Debian's
tesseract-ocr with the jpn data, where installed). Nothing is downloaded at run time.

A page's crops go to the recogniser in one call (batches of similar width). onnxruntime runs with
one intra-op thread: on a busy machine its default pool was slower than one thread, and the work is
spread by running one worker process per core instead (``OCR_THREADS`` changes it)."""

import os
import shutil
import subprocess
import threading
from dataclasses import dataclass

import numpy as np

from jichitai.core.extras import require
from jichitai.ocr import old_forms
from jichitai.ocr.registry import engines


@dataclass(frozen=True)
class Reading:
    text: str
    confidence: float  # 0..1: the recogniser's least sure character
    characters: tuple[float, ...] = ()  # each character's score, where the engine gives them


class Engine:
    name = ""

    def available(self) -> bool:
        return True

    def read(self, crops: list[np.ndarray]) -> list[Reading]:
        raise NotImplementedError


class RapidOCREngine(Engine):
    name = "rapidocr"

    def __init__(self):
        self._engine = None
        self._lock = threading.Lock()

    def _get(self):
        with self._lock:
            if self._engine is None:
                rapidocr = require("rapidocr", extra="ocr")
                threads = int(os.environ.get("OCR_THREADS", "1"))
                self._engine = rapidocr.RapidOCR(
                    params={
                        "Global.log_level": "error",
                        "Global.use_det": False,
                        "Global.use_cls": False,
                        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                        "Rec.rec_batch_num": 8,
                    }
                )
                recogniser = self._engine._load_rec_model()
                recogniser.postprocess_op = _OldFormDecoding(recogniser.postprocess_op)
            return self._engine

    def recogniser(self):
        return self._get()._load_rec_model()

    def read(self, crops):
        if not crops:
            return []
        from rapidocr.ch_ppocr_rec import TextRecInput

        recogniser = self.recogniser()
        result = recogniser(TextRecInput(img=[_bgr(crop) for crop in crops], return_word_box=True))
        readings = []
        for text, score, words in zip(result.txts, result.scores, result.word_results, strict=True):
            # The least sure character says more about a misread than the line's average.
            characters = [float(c) for c in getattr(words, "confs", None) or ()]
            confidence = min([float(score), *characters]) if text else 0.0
            each = tuple(characters) if len(characters) == len(text) else ()
            readings.append(Reading(text, confidence, each))
        return readings


class _OldFormDecoding:
    """The recogniser's CTC decoding, after ``old_forms.choose_forms`` has had its say on the
    probabilities (髙 where the recogniser's best was 高 but it saw 髙)."""

    def __init__(self, decode):
        self._decode = decode
        self._index = {character: i for i, character in enumerate(decode.character)}

    def __call__(self, preds, return_word_box=False, **kwargs):
        preds = old_forms.choose_forms(preds, self._index)
        return self._decode(preds, return_word_box, **kwargs)


def recogniser_probabilities(crops: list[np.ndarray]) -> tuple[list[np.ndarray], dict[str, int]]:
    """The recogniser's probabilities (positions × characters) for each crop, before any decoding,
    and the index of each character: what ``old_forms``' thresholds are measured on."""
    engine = engines.get("rapidocr")
    recogniser = engine.recogniser()
    rows = []
    for crop in crops:
        image = _bgr(crop)
        normalised = recogniser.resize_norm_img(image, image.shape[1] / image.shape[0])
        rows.append(recogniser.session(normalised[np.newaxis].astype(np.float32))[0])
    return rows, recogniser.postprocess_op._index


def _bgr(crop: np.ndarray) -> np.ndarray:
    if crop.ndim == 2:
        return np.repeat(crop[:, :, None], 3, axis=2)
    return crop


class TesseractEngine(Engine):
    name = "tesseract"

    def _binary(self) -> str | None:
        return shutil.which("tesseract")

    def available(self) -> bool:
        binary = self._binary()
        if not binary:
            return False
        languages = subprocess.run(  # noqa: S603
            [binary, "--list-langs"], capture_output=True, text=True, check=False
        ).stdout.split()
        return "jpn" in languages

    def read(self, crops):
        cv2 = require("cv2", extra="ocr")
        binary = self._binary() or "tesseract"
        readings = []
        for crop in crops:
            _ok, png = cv2.imencode(".png", crop)
            output = subprocess.run(  # noqa: S603  (a fixed binary; the image goes to stdin)
                [binary, "stdin", "stdout", "-l", "jpn", "--psm", "7", "tsv"],
                input=png.tobytes(),
                capture_output=True,
                check=False,
                timeout=60,
                env={**os.environ, "OMP_THREAD_LIMIT": "1"},
            ).stdout.decode("utf-8", "replace")
            words, confidences = [], []
            for line in output.splitlines()[1:]:
                parts = line.split("\t")
                if len(parts) == 12 and parts[11].strip():
                    words.append(parts[11].strip())
                    confidences.append(max(0.0, float(parts[10])) / 100)
            readings.append(Reading("".join(words), min(confidences) if confidences else 0.0))
        return readings


engines.register("rapidocr", RapidOCREngine())
engines.register("tesseract", TesseractEngine())
DEFAULT_ENGINE = "rapidocr"
