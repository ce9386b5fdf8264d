"""The national standard datasets (自治体標準オープンデータセット) and their validation.

Each standard dataset has one or two layouts: the current one and the older 推奨データセット layout.
Their Frictionless Table Schemas are kept in ``data/standards/`` (see the README there for where each
comes from and what was checked). A table is matched to a layout by its header names, validated with
``frictionless`` against the columns it has, and then by the checks a Table Schema cannot express
(全国地方公共団体コード check digit, latitude and longitude given together …). Every issue names the row
of the uploaded file, the column, the value and the rule, in Japanese."""

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext, gettext_noop
from frictionless import Resource, Schema

from jichitai.core.japanese import local_government_code_check_digit
from jichitai.core.kept_texts import KeptText, kept
from jichitai.opendata import addresses, cell_messages, diagnoses
from jichitai.opendata.addresses import PARTS_COLUMNS as PARTS
from jichitai.opendata.registry import standard_datasets
from jichitai.opendata.tabular import Table

STANDARDS_DIR = Path(__file__).resolve().parent / "data" / "standards"

LAYOUT_LABELS = {
    "current": gettext_noop("自治体標準オープンデータセット(現行)"),
    "legacy": gettext_noop("推奨データセット(旧)"),
}
# Stable identifiers for the standard datasets, used in URLs, the API and dct:conformsTo.
KEYS = {
    "AED設置箇所一覧": "aed",
    "介護サービス事業所一覧": "care-services",
    "医療機関一覧": "medical-institutions",
    "文化財一覧": "cultural-properties",
    "観光施設一覧": "tourist-facilities",
    "イベント一覧": "events",
    "公衆無線LANアクセスポイント一覧": "public-wifi",
    "公衆トイレ一覧": "public-toilets",
    "消防水利施設一覧": "fire-water-supply",
    "指定緊急避難場所一覧": "evacuation-sites",
    "地域・年齢別人口": "population-by-area-and-age",
    "公共施設一覧": "public-facilities",
    "子育て施設一覧": "childcare-facilities",
    "オープンデータ一覧": "open-data-list",
}
# A table is taken to follow a layout when at least this share of its columns are defined there,
# or it has at least this share of the layout's columns.
MIN_OVERLAP = 0.5
# Columns nearly every list of places has, whatever it lists: sharing them with a layout says nothing
# about following it (a list of 施設名, 住所, FAX, E-MAIL, 緯度, 経度 is not an AED設置箇所一覧).
COMMON_COLUMNS = {"緯度", "経度", "電話番号", "内線番号", "FAX番号", "郵便番号", "URL", "備考"}
# A dash or minus written after katakana where the long vowel mark 「ー」 belongs (コ―ド for コード).
DASH_FOR_LONG_VOWEL = re.compile(r"(?<=[\u30a1-\u30fa\u30fc])[\u002d\u2010-\u2015\u2212\u2500]")


def plain_name(name: str) -> str:
    """Header names compare after NFKC (全角括弧 = 半角括弧) and without spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))


def normalize_name(name: str) -> str:
    """``plain_name`` with a dash after katakana read as 「ー」, so a column whose name has that slip
    is still the standard's column (its values checked, the slip told once)."""
    return DASH_FOR_LONG_VOWEL.sub("ー", plain_name(name))


@dataclass(frozen=True)
class Layout:
    name: str
    schema: dict
    source: str

    @property
    def label(self) -> str:
        return gettext(LAYOUT_LABELS[self.name])

    @property
    def fields(self) -> list[dict]:
        return self.schema["fields"]

    def field_class(self, field: dict) -> str:
        """必須 / 推奨 / 任意. The older layout's source marks only required columns; the others were
        all recommended columns of a 推奨データセット, so they count as 推奨."""
        if "x-class" in field:
            return field["x-class"]
        return "必須" if field.get("constraints", {}).get("required") else "推奨"


@dataclass(frozen=True)
class StandardDataset:
    key: str
    title: str
    layouts: dict[str, Layout]

    @property
    def preferred_layout(self) -> Layout:
        return self.layouts.get("current") or self.layouts["legacy"]


def load() -> None:
    found: dict[str, dict[str, Layout]] = {}
    titles: dict[str, str] = {}
    for path in sorted(STANDARDS_DIR.glob("*/*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        key = KEYS[schema["title"]]
        titles[key] = schema["title"]
        found.setdefault(key, {})[path.parent.name] = Layout(
            name=path.parent.name,
            schema=schema,
            source=schema.get("$comment", "")
            or "tsunagu-bosai/open-infra-japan, dx-junkyard/opendata-bridge",
        )
    for key, layouts in sorted(found.items()):
        standard_datasets.register(
            key, StandardDataset(key=key, title=titles[key], layouts=layouts)
        )


load()


def choices() -> list[tuple[str, str]]:
    return [(key, standard.title) for key, standard in standard_datasets.items()]


@dataclass
class Issue:
    severity: str  # "error" or "warning"
    rule: str
    # Kept as its Japanese source and values, so that a stored report is told in the language
    # of whoever reads it, not of whoever uploaded the file.
    said: KeptText
    row: int | None = None
    column: str = ""
    value: str = ""

    @property
    def message(self) -> str:
        return str(self.said)

    def as_kept(self) -> dict:
        place = {"row": self.row, "column": self.column, "value": self.value}
        return {"severity": self.severity, "rule": self.rule, **self.said.as_kept(), **place}


@dataclass
class Report:
    standard: str
    layout: str
    issues: list[Issue] = field(default_factory=list)
    rows_checked: int = 0

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity == "warning"]

    def as_dict(self) -> dict:
        return {
            "standard": self.standard,
            "layout": self.layout,
            "layout_label": kept(LAYOUT_LABELS[self.layout]),
            "rows_checked": self.rows_checked,
            "issues": [issue.as_kept() for issue in self.issues],
        }


def detect_layout(standard: StandardDataset, header: list[str]) -> tuple[Layout, float]:
    """The layout whose column names the header shares most of, and how far they overlap: the
    share of the header's columns that layout defines, or of the layout's columns the header has,
    whichever is larger. A list keeps only some of a standard's columns, or all of them beside
    columns of its own; the columns every list has are left out of both."""
    names = {normalize_name(name) for name in header if name}
    distinctive = names - COMMON_COLUMNS
    best, best_matches, best_defined = standard.preferred_layout, -1, 0
    for layout in standard.layouts.values():
        defined = {normalize_name(f["name"]) for f in layout.fields} - COMMON_COLUMNS
        matches = len(defined & distinctive)
        if matches > best_matches:
            best, best_matches, best_defined = layout, matches, len(defined)
    if not distinctive:
        return best, 0.0
    return best, max(best_matches / len(distinctive), best_matches / max(best_defined, 1))


def validate(table: Table, standard_key: str) -> Report:
    standard = standard_datasets.get(standard_key)
    layout, share = detect_layout(standard, table.header)
    report = Report(
        standard=standard.key,
        layout=layout.name,
        rows_checked=len(table.rows),
    )
    if diagnoses.looks_like_mojibake(table.header):
        report.issues.append(
            Issue(
                "error",
                "mojibake",
                KeptText(
                    gettext_noop(
                        "このファイルは Shift_JIS の文字を別の文字コードとして読み、UTF-8 で保存し直したもの(文字化け)のようです。元のファイルをそのまま、または Excel で「CSV UTF-8」として保存し直してアップロードしてください。"
                    )
                ),
                value="".join(table.header)[:80],
            )
        )
        return report
    if share < MIN_OVERLAP:
        report.issues.append(
            Issue(
                "error",
                "layout",
                KeptText(
                    gettext_noop(
                        "見出しが「%(title)s」の項目名とほとんど一致しません。項目名は標準の定義どおりに入力してください(例: %(examples)s)。"
                    ),
                    {
                        "title": standard.title,
                        "examples": "、".join(f["name"] for f in layout.fields[:5]),
                    },
                ),
                row=None,
            )
        )
        return report

    if layout.name == "legacy" and "current" in standard.layouts:
        report.issues.append(
            diagnoses.legacy_mapping_issue(Issue, table.header, standard.layouts["current"].fields)
        )
    by_name = {normalize_name(f["name"]): f for f in layout.fields}
    matched: list[tuple[int, dict]] = []
    for index, name in enumerate(table.header):
        schema_field = by_name.get(normalize_name(name))
        if schema_field is None:
            report.issues.append(
                Issue(
                    "warning",
                    "extra-column",
                    KeptText(
                        gettext_noop(
                            "「%(title)s」(%(layout)s)にない列です。標準の項目名の書き間違いでないか確認してください。"
                        ),
                        {"title": standard.title, "layout": kept(LAYOUT_LABELS[layout.name])},
                    ),
                    column=name,
                )
            )
        elif any(f is schema_field for _index, f in matched):
            # Which of the two holds the standard's values is the author's call: the first is
            # checked, the second named.
            report.issues.append(
                Issue(
                    "error",
                    "duplicate-column",
                    KeptText(
                        gettext_noop(
                            "「%(name)s」の列が2つあります。1列にまとめ、もう一方は削除するか別の見出しにしてください。"
                        ),
                        {"name": schema_field["name"]},
                    ),
                    value=name,
                    column=schema_field["name"],
                )
            )
        else:
            matched.append((index, schema_field))
            if plain_name(name) != plain_name(schema_field["name"]):
                report.issues.append(
                    Issue(
                        "warning",
                        "header-spelling",
                        KeptText(
                            gettext_noop(
                                "項目名「%(name)s」は「%(standard)s」の書き誤りとみなして検査しました。長音は「ー」で書きます(「―」「-」などのダッシュやハイフンではありません)。"
                            ),
                            {"name": name, "standard": schema_field["name"]},
                        ),
                        column=name,
                    )
                )
    present = {normalize_name(f["name"]) for _, f in matched}
    for schema_field in layout.fields:
        if normalize_name(schema_field["name"]) in present:
            continue
        field_class = layout.field_class(schema_field)
        if field_class == "任意":
            continue
        report.issues.append(
            Issue(
                "error" if field_class == "必須" else "warning",
                "missing-column",
                (
                    KeptText(gettext_noop("必須項目の列がありません。"))
                    if field_class == "必須"
                    else KeptText(gettext_noop("推奨項目の列がありません。"))
                ),
                column=schema_field["name"],
            )
        )
    if not matched:
        return report

    descriptor = {
        "fields": [{**f, "name": table.header[index]} for index, f in matched],
        "missingValues": [""],
    }
    data = [[table.header[index] for index, _f in matched]]
    data += [[row[index] for index, _f in matched] for row in table.rows]
    resource = Resource(data=data, schema=Schema.from_descriptor(descriptor))
    frictionless_report = resource.validate(limit_errors=10_000)
    fields_by_header = {table.header[index]: f for index, f in matched}
    for error in frictionless_report.tasks[0].errors:
        field_name = getattr(error, "field_name", "")
        row_number = getattr(error, "row_number", None)
        if field_name not in fields_by_header or row_number is None:
            report.issues.append(
                Issue(
                    "error",
                    error.type,
                    cell_messages.row_message(error.type),
                    row=table.source_rows[row_number - 2] if row_number else None,
                )
            )
            continue
        schema_field = fields_by_header[field_name]
        if error.type == "constraint-error":
            rule, message = cell_messages.constraint_message(
                schema_field, error.note, str(getattr(error, "cell", ""))
            )
        else:
            rule, message = cell_messages.type_message(
                schema_field, str(getattr(error, "cell", ""))
            )
        report.issues.append(
            Issue(
                "error",
                rule,
                message,
                row=table.source_rows[row_number - 2],
                column=field_name,
                value=str(getattr(error, "cell", "")),
            )
        )
    report.issues.extend(_custom_checks(table, matched))
    shift = diagnoses.shifted_from(table, matched)
    if shift is not None:
        # The column before the first shifted one lost its value (or gained a part of it).
        shifted = {table.header[index] for index, _f in matched[shift - 1 :]}
        report.issues = [i for i in report.issues if i.row is None or i.column not in shifted]
        report.issues.append(diagnoses.shift_issue(Issue, table, matched, shift))
    swapped = {i.row for i in report.issues if i.rule == "coordinates-swapped"}
    report.issues = [
        i
        for i in report.issues
        if not (i.rule == "range" and i.row in swapped and i.column in ("緯度", "経度"))
    ]
    report.issues.sort(key=lambda issue: (issue.row or 0, issue.column, issue.rule))
    report.issues = diagnoses.collapse(Issue, report.issues)
    return report


def _custom_checks(table: Table, matched: list[tuple[int, dict]]) -> list[Issue]:
    issues = []
    code_columns = [(index, f) for index, f in matched if f["name"] in cell_messages.CODE_COLUMNS]
    lat = next((index for index, f in matched if f["name"] == "緯度"), None)
    lon = next((index for index, f in matched if f["name"] == "経度"), None)
    # hh:mm takes two digits for the hour; the time type's "%H" also reads "7:00", which a reader
    # expecting the standard's form (09:00) does not.
    time_columns = [index for index, f in matched if f.get("format") == "%H:%M"]
    by_name = {f["name"]: index for index, f in matched}
    address_columns = (
        [by_name.get(name) for name in PARTS]
        if {"所在地_連結表記", "所在地_町字", "所在地_番地以下"} <= set(by_name)
        else None
    )
    for row, number in zip(table.rows, table.source_rows, strict=True):
        for index in time_columns:
            if re.fullmatch(r"[0-9]:[0-5][0-9]", row[index]):
                rule, message = cell_messages.type_message({"type": "time"})
                issues.append(
                    Issue(
                        "error",
                        rule,
                        message,
                        row=number,
                        column=table.header[index],
                        value=row[index],
                    )
                )
        for index, code_field in code_columns:
            value = row[index]
            if (
                re.fullmatch(r"[0-9]{6}", value)
                and local_government_code_check_digit(value[:5]) != value[5]
            ):
                issues.append(
                    Issue(
                        "error",
                        "check-digit",
                        KeptText(
                            gettext_noop(
                                "全国地方公共団体コードの検査数字(6桁目)が合いません(%(expected)s になるはずです)。"
                            ),
                            {"expected": local_government_code_check_digit(value[:5])},
                        ),
                        row=number,
                        column=table.header[index],
                        value=value,
                    )
                )
            elif (
                value
                and not re.fullmatch(r"[0-9]{6}", value)
                # A pattern in the schema already reports the format.
                and "pattern" not in code_field.get("constraints", {})
            ):
                issues.append(
                    Issue(
                        "error",
                        "code",
                        cell_messages.code_format_message(value),
                        row=number,
                        column=table.header[index],
                        value=value,
                    )
                )
        if address_columns is not None:
            joined, *parts = (row[i] if i is not None else "" for i in address_columns)
            made = addresses.disagreeing_parts(joined, parts)
            if made is not None:
                rule, message = "address-parts", addresses.disagreement_message(made)
                issues.append(
                    Issue("warning", rule, message, row=number, column=PARTS[0], value=joined)
                )
        if lat is not None and lon is not None and _swapped(row[lat], row[lon]):
            issues.append(
                Issue(
                    "error",
                    "coordinates-swapped",
                    KeptText(
                        gettext_noop(
                            "緯度と経度が入れ替わっています(緯度は20〜46、経度は122〜154の範囲です)。"
                        )
                    ),
                    row=number,
                    column=table.header[lat],
                    value=row[lat],
                )
            )
        if lat is not None and lon is not None and bool(row[lat]) != bool(row[lon]):
            missing = table.header[lon] if row[lat] else table.header[lat]
            issues.append(
                Issue(
                    "error",
                    "coordinates",
                    KeptText(gettext_noop("緯度と経度は両方入力するか、両方空欄にしてください。")),
                    row=number,
                    column=missing,
                )
            )
    return issues


def _swapped(latitude: str, longitude: str) -> bool:
    try:
        lat, lon = float(latitude), float(longitude)
    except ValueError:
        return False
    return 122 <= lat <= 154 and 20 <= lon <= 46
