"""What a cell that breaks a standard's definition is told, in the words of the 標準 definitions:
a message (and its rule) for each of frictionless' error types and constraints, and for the
checks ``standards`` adds, naming what was probably meant where the value shows it (a figure with
its unit, an organization's name where its code belongs, an Excel serial date)."""

import re

from django.utils.translation import gettext_noop

from jichitai.core import japanese
from jichitai.core.kept_texts import KeptText
from jichitai.opendata import diagnoses

# Columns holding a 全国地方公共団体コード (6 digits, the last a check digit), in either layout.
CODE_COLUMNS = {
    "全国地方公共団体コード",
    "所在地_全国地方公共団体コード",
    "市区町村コード",
    "都道府県コード又は市区町村コード",
}
# A prefecture's or municipality's name where its code belongs (「山口県」, 「津市」, 「度会郡玉城町」).
GOVERNMENT_NAME = re.compile(r"\S+[都道府県市区町村]")
# Coordinates are decimal degrees: 「北緯34度43分」 is not a figure with a unit to drop.
COORDINATES = ("緯度", "経度")
# A figure in a cell that should hold only one (「50名」, 「ユニット型 20名」).
FIGURE = re.compile(r"\d+(?:\.\d+)?")


def code_format_message(value: str) -> str:
    """What to write in a column of 全国地方公共団体コード instead of ``value``."""
    if GOVERNMENT_NAME.fullmatch(value):
        return KeptText(
            gettext_noop(
                "「%(value)s」は団体名です。団体名ではなく、6桁の全国地方公共団体コード(検査数字を含む)を入力してください。"
            ),
            {"value": value},
        )
    return KeptText(gettext_noop("6桁の全国地方公共団体コード(検査数字を含む)で入力してください。"))


def row_message(error_type: str) -> str:
    """What a row that breaks the table's definition as a whole is told (frictionless' row
    errors; the rows handed to it hold only the standard's columns)."""
    if error_type == "blank-row":
        return KeptText(
            gettext_noop(
                "標準の項目がすべて空欄です(標準にない列にだけ値があります)。行を削除するか、標準の項目に入力してください。"
            )
        )
    return KeptText(
        gettext_noop("この行は標準の定義に合いません(%(rule)s)。"), {"rule": error_type}
    )


def constraint_message(field: dict, note: str, value: str = "") -> tuple[str, str]:
    """The rule and message for ``value`` breaking a constraint of ``field`` (frictionless'
    ``note`` names which)."""
    constraints = field.get("constraints", {})
    if '"required"' in note:
        return "required", KeptText(gettext_noop("必須項目が空欄です。"))
    if '"enum"' in note:
        allowed = constraints.get("enum", [])
        if allowed == ["1"]:
            return "flag", KeptText(gettext_noop("「1」か空欄で入力してください。"))
        return "enum", KeptText(
            gettext_noop("「%(allowed)s」のいずれかで入力してください。"),
            {"allowed": "」「".join(allowed)},
        )
    if '"minimum"' in note or '"maximum"' in note:
        name = field["name"]
        if name in ("緯度", "経度"):
            return "range", KeptText(
                gettext_noop(
                    "日本の%(name)sの範囲(%(min)s〜%(max)s)を外れています。緯度と経度が入れ替わっていないか確認してください。"
                ),
                {
                    "name": name,
                    "min": constraints.get("minimum"),
                    "max": constraints.get("maximum"),
                },
            )
        if "maximum" in constraints:
            return "range", KeptText(
                gettext_noop("%(min)s以上%(max)s以下で入力してください。"),
                {
                    "min": constraints.get("minimum"),
                    "max": constraints.get("maximum"),
                },
            )
        return "range", KeptText(
            gettext_noop("%(min)s以上の数で入力してください。"), {"min": constraints.get("minimum")}
        )
    if '"pattern"' in note:
        if field["name"] in CODE_COLUMNS:
            return "code", code_format_message(value)
        if field["name"].endswith("カナ"):
            return "kana", KeptText(
                gettext_noop(
                    "全角カタカナで入力してください(半角カナ・ひらがな・英字は使えません)。"
                )
            )
        if field["name"] in ("電話番号", "FAX番号"):
            return "phone", KeptText(
                gettext_noop(
                    "番号は半角の数字・ハイフン・括弧で入力してください。番号がなければ「なし」などと書かずに空欄にします。"
                )
            )
        return "pattern", KeptText(
            gettext_noop("決められた書式(%(pattern)s)に合いません。"),
            {"pattern": constraints.get("pattern")},
        )
    return "constraint", KeptText(gettext_noop("値が定義に合いません。"))


def type_message(field: dict, value: str = "") -> tuple[str, str]:
    """The rule and message for ``value`` not being of ``field``'s type."""
    kind = field.get("type")
    serial = diagnoses.excel_serial_date(value) if kind in ("date", "datetime") else None
    if serial is not None:
        return "excel-serial-date", KeptText(
            gettext_noop(
                "Excel の日付のシリアル値のようです(%(value)s は %(date)s)。日付は「YYYY-MM-DD」の形で入力してください。"
            ),
            {"value": value, "date": serial.isoformat()},
        )
    if kind == "date":
        return "date", KeptText(
            gettext_noop("日付は「YYYY-MM-DD」(例: 2026-04-01)の形で入力してください。")
        )
    if kind == "time":
        return "time", KeptText(gettext_noop("時刻は「hh:mm」(例: 09:00)の形で入力してください。"))
    figures = FIGURE.findall(japanese.normalize_width(value))
    if kind in ("number", "integer") and len(figures) == 1 and field.get("name") not in COORDINATES:
        return kind, KeptText(
            gettext_noop(
                "単位や説明を付けずに、数値だけを半角で入力してください(「%(value)s」なら %(figure)s)。"
            ),
            {"value": value, "figure": figures[0]},
        )
    if kind == "number":
        return "number", KeptText(gettext_noop("数値(半角、例: 34.7185)で入力してください。"))
    if kind == "integer":
        return "integer", KeptText(gettext_noop("整数(半角)で入力してください。"))
    if field.get("format") == "uri":
        return "uri", KeptText(
            gettext_noop("URL(http:// または https:// で始まる形)で入力してください。")
        )
    if field.get("format") == "email":
        return "email", KeptText(gettext_noop("メールアドレスの形で入力してください。"))
    return "type", KeptText(gettext_noop("値の形式が定義に合いません。"))
