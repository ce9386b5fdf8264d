"""Paper-form templates: the blank page and the zones of its fields, as the shareable JSON file
``{"name", "reference", "dpi", "fields": [{"name", "label", "type", "box", "allowed", "critical"}]}``
(``reference`` is a path relative to the JSON file; ``box`` is ``[x, y, width, height]`` in pixels of
the reference image)."""

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

FIELD_TYPES = ("text", "kana", "digits", "amount", "date", "postal", "phone", "checkbox")
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,39}$")


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

    def to_dict(self) -> dict:
        data = asdict(self)
        data["box"] = list(self.box)
        return {key: data[key] for key in ("name", "label", "type", "box", "allowed", "critical")}


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
            x, y, w, h = f.box
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
    box = data.get("box")
    if (
        not isinstance(box, list | tuple)
        or len(box) != 4
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in box)
    ):
        raise TemplateError(f"項目「{name}」の枠は [x, y, 幅, 高さ] の4つの数で指定してください。")
    x, y, w, h = (round(v) for v in box)
    if w < 8 or h < 8:
        raise TemplateError(f"項目「{name}」の枠が小さすぎます(幅・高さは8ピクセル以上)。")
    return TemplateField(
        name=name,
        type=kind,
        box=(x, y, w, h),
        label=str(data.get("label") or "")[:100],
        allowed=str(data.get("allowed") or "")[:500],
        critical=bool(data.get("critical", False)),
    )


def from_dict(data: dict, base_dir: Path | None = None) -> Template:
    if not isinstance(data, dict):
        raise TemplateError("テンプレートの JSON はオブジェクトにしてください。")
    try:
        dpi = int(data.get("dpi") or 200)
    except (TypeError, ValueError):
        raise TemplateError("dpi は整数で指定してください。") from None
    if not 72 <= dpi <= 1200:
        raise TemplateError("dpi は 72〜1200 で指定してください。")
    fields = [parse_field(item) for item in data.get("fields") or []]
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


def loads(text: str | bytes, base_dir: Path | None = None) -> Template:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise TemplateError("テンプレートの JSON を読み取れません。") from None
    return from_dict(data, base_dir)


def load(path: str | Path) -> Template:
    path = Path(path)
    return loads(path.read_bytes(), path.parent)
