"""Paper-form templates: the blank page and the zones of its fields, as the shareable JSON file
``{"name", "reference", "dpi", "fields": [{"name", "label", "type", "box", "allowed", "critical"}]}``
(``reference`` is a path relative to the JSON file; ``box`` is ``[x, y, width, height]`` in pixels of
the reference image).

Two field types carry more: a ``choice`` (○ around one of the printed options, はい・いいえ) lists
``"options": [{"value": "はい", "box": [...]}, ...]``, and a ``date`` whose box prints its guides
(令和　年　月　日) gives ``"era": "令和"`` and ``"parts": {"year": [...], "month": [...], "day": [...]}``,
the sub-zones the numbers are written in.

A JSON file is checked as a whole before anything is taken from it: its size and nesting depth
before it is parsed, then its structure and that every number is finite and within range."""

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

FIELD_TYPES = ("text", "kana", "digits", "amount", "date", "postal", "phone", "checkbox", "choice")
DATE_PARTS = ("year", "month", "day")
ERAS = ("令和", "平成", "昭和", "大正", "明治")
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,39}$")
MAX_JSON_BYTES = 1024 * 1024  # a template of a hundred fields is about 25 KB
# A template nests six deep (the template, fields, a field, its options, an option, its box);
# the rest is room for notes kept beside the fields.
MAX_JSON_DEPTH = 10
# Far beyond an A3 page at 1200 dpi (14,000 × 19,800 pixels).
MAX_BOX_PIXELS = 100_000
# What nesting is measured by: a bracket, or a string (whose brackets do not count). A string left
# open runs to the end, so that every quote starts at most one scan of the text.
_BRACKET_OR_STRING = re.compile(r'[\[\]{}]|"(?:[^"\\]|\\.)*"?', re.DOTALL)


class TemplateError(ValueError):
    """A template that cannot be used; the message says why, in Japanese."""


@dataclass
class TemplateField:
    name: str
    type: str
    box: tuple[int, int, int, int]
    label: str = ""
    allowed: str = ""
    critical: bool = False
    options: list[tuple[str, tuple[int, int, int, int]]] = field(default_factory=list)
    era: str = ""
    parts: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["box"] = list(self.box)
        data = {key: data[key] for key in ("name", "label", "type", "box", "allowed", "critical")}
        if self.options:
            data["options"] = [{"value": value, "box": list(box)} for value, box in self.options]
        if self.era:
            data["era"] = self.era
        if self.parts:
            data["parts"] = {part: list(box) for part, box in self.parts.items()}
        return data


@dataclass
class Template:
    name: str
    dpi: int
    fields: list[TemplateField]
    reference: str = "blank.png"
    base_dir: Path | None = field(default=None, repr=False)

    @property
    def reference_path(self) -> Path:
        return (self.base_dir or Path(".")) / self.reference

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "reference": self.reference,
            "dpi": self.dpi,
            "fields": [f.to_dict() for f in self.fields],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def check_boxes(self, width: int, height: int) -> None:
        for f in self.fields:
            boxes = [f.box, *(box for _value, box in f.options), *f.parts.values()]
            for x, y, w, h in boxes:
                if x < 0 or y < 0 or x + w > width or y + h > height:
                    raise TemplateError(
                        f"項目「{f.label or f.name}」の枠が白紙の画像({width}×{height})からはみ出しています。"
                    )


def parse_field(data: dict) -> TemplateField:
    if not isinstance(data, dict):
        raise TemplateError("項目の定義が正しくありません。")
    name = str(data.get("name", ""))
    if not NAME.match(name):
        raise TemplateError(f"項目名「{name}」は英字で始まる英数字と _ で指定してください。")
    kind = data.get("type", "text")
    if kind not in FIELD_TYPES:
        raise TemplateError(f"項目「{name}」の種類「{kind}」は使えません。")
    options = _parse_options(name, data.get("options")) if kind == "choice" else []
    era = str(data.get("era") or "") if kind == "date" else ""
    if era and era not in ERAS:
        raise TemplateError(f"項目「{name}」の元号「{era}」は使えません({'・'.join(ERAS)})。")
    parts = _parse_parts(name, data.get("parts")) if kind == "date" and data.get("parts") else {}
    return TemplateField(
        name=name,
        type=kind,
        box=_parse_box(name, data.get("box")),
        label=str(data.get("label") or "")[:100],
        allowed=str(data.get("allowed") or "")[:500],
        critical=bool(data.get("critical", False)),
        options=options,
        era=era,
        parts=parts,
    )


def _parse_box(name: str, box) -> tuple[int, int, int, int]:
    if (
        not isinstance(box, list | tuple)
        or len(box) != 4
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in box)
    ):
        raise TemplateError(f"項目「{name}」の枠は [x, y, 幅, 高さ] の4つの数で指定してください。")
    # Compared before rounding: NaN and ±Infinity (which is how JSON's 1e400 is read) fail it.
    if not all(0 <= v <= MAX_BOX_PIXELS for v in box):
        raise TemplateError(
            _("項目「%(name)s」の枠は 0〜%(limit)s ピクセルの数で指定してください。")
            % {"name": name, "limit": f"{MAX_BOX_PIXELS:,}"}
        )
    x, y, w, h = (round(v) for v in box)
    if w < 8 or h < 8:
        raise TemplateError(f"項目「{name}」の枠が小さすぎます(幅・高さは8ピクセル以上)。")
    return x, y, w, h


def _parse_options(name: str, options) -> list[tuple[str, tuple[int, int, int, int]]]:
    if not isinstance(options, list) or not 2 <= len(options) <= 10:
        raise TemplateError(
            f"項目「{name}」(○で囲む選択肢)には options を2〜10個指定してください。"
        )
    parsed = []
    for option in options:
        if not isinstance(option, dict) or not str(option.get("value") or "").strip():
            raise TemplateError(f"項目「{name}」の選択肢には value と box を指定してください。")
        parsed.append((str(option["value"]).strip()[:100], _parse_box(name, option.get("box"))))
    if len({value for value, _box in parsed}) != len(parsed):
        raise TemplateError(f"項目「{name}」の選択肢が重複しています。")
    return parsed


def _parse_parts(name: str, parts) -> dict[str, tuple[int, int, int, int]]:
    if not isinstance(parts, dict) or set(parts) != set(DATE_PARTS):
        raise TemplateError(
            f"項目「{name}」の parts には year・month・day の3つの枠を指定してください。"
        )
    return {part: _parse_box(name, parts[part]) for part in DATE_PARTS}


def _parse_dpi(value) -> int:
    message = _("dpi は 72〜1200 の整数で指定してください。")
    try:
        dpi = int(value)
    except (TypeError, ValueError, OverflowError):  # not a number, NaN, ±Infinity
        raise TemplateError(message) from None
    if not 72 <= dpi <= 1200:
        raise TemplateError(message)
    return dpi


def from_dict(data: dict, base_dir: Path | None = None) -> Template:
    if not isinstance(data, dict):
        raise TemplateError("テンプレートの JSON はオブジェクトにしてください。")
    dpi = _parse_dpi(data.get("dpi") or 200)
    items = data.get("fields") or []
    if not isinstance(items, list):
        raise TemplateError(_("fields は項目の配列([{…}, …])で指定してください。"))
    fields = [parse_field(item) for item in items]
    names = [f.name for f in fields]
    if len(names) != len(set(names)):
        raise TemplateError("項目名が重複しています。")
    reference = str(data.get("reference") or "blank.png")
    if Path(reference).is_absolute() or ".." in Path(reference).parts:
        raise TemplateError("reference は JSON と同じ場所からの相対パスで指定してください。")
    return Template(
        name=str(data.get("name") or "")[:200],
        dpi=dpi,
        fields=fields,
        reference=reference,
        base_dir=base_dir,
    )


def _nests_deeper_than(text: str, limit: int) -> bool:
    """Measured before parsing: Python's parser recurses into every array and object, and a file
    of 100,000 ``[`` exhausts its stack (RecursionError)."""
    depth = 0
    for token in _BRACKET_OR_STRING.finditer(text):
        if token.group() in ("[", "{"):
            depth += 1
            if depth > limit:
                return True
        elif token.group() in ("]", "}"):
            depth -= 1
    return False


def loads(text: str | bytes, base_dir: Path | None = None) -> Template:
    if len(text) > MAX_JSON_BYTES:
        raise TemplateError(_("テンプレートの JSON が大きすぎます(1 MB まで)。"))
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise TemplateError(
                _("テンプレートの JSON を読み取れません(文字コードは UTF-8 にしてください)。")
            ) from None
    if _nests_deeper_than(text, MAX_JSON_DEPTH):
        raise TemplateError(
            _("テンプレートの JSON の入れ子が深すぎます(%(depth)s 段まで)。")
            % {"depth": MAX_JSON_DEPTH}
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise TemplateError(
            _("テンプレートの JSON を読み取れません(%(line)s 行目、%(column)s 文字目)。")
            % {"line": error.lineno, "column": error.colno}
        ) from None
    except ValueError:  # an integer of more digits than Python converts (4,300)
        raise TemplateError(_("テンプレートの JSON を読み取れません(数が長すぎます)。")) from None
    return from_dict(data, base_dir)


def load(path: str | Path) -> Template:
    path = Path(path)
    return loads(path.read_bytes(), path.parent)
