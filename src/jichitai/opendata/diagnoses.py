"""Findings about a whole file, named by their cause, instead of thousands of cell errors: text that
is mojibake, columns shifted by one, the older 推奨データセット layout (with its mapping to the
current one), and many cells failing one rule in one column."""

import re
from collections import Counter, defaultdict
from datetime import date, timedelta

from django.utils.translation import gettext_noop

from jichitai.core.kept_texts import KeptText, kept

# Excel counts days from 1899-12-30 (its 1900 leap-year bug included).
EXCEL_EPOCH = date(1899, 12, 30)
# Cell errors shown per column and rule; the rest are counted in one finding.
EXAMPLES_PER_RULE = 20
# Share of a column's filled cells that must fit the neighbouring column's rule for a shift.
SHIFT_SHARE = 0.6
# A shift is told from a column's values only when it has at least this many filled cells.
SHIFT_MIN_VALUES = 5

# The older layout's column names and the current layout's names for the same item.
LEGACY_TO_CURRENT = {
    "都道府県コード又は市区町村コード": "全国地方公共団体コード",
    "市区町村コード": "全国地方公共団体コード",
    "NO": "ID",
    "都道府県名": "所在地_都道府県",
    "市区町村名": "所在地_市区町村",
    "住所": "所在地_連結表記",
    "方書": "建物名等(方書)",
    "名称_英語": "名称_英字",
}


def excel_serial_date(value: str) -> date | None:
    """The date an Excel serial number (e.g. 45016) stands for, when it is one of a plausible date."""
    if not re.fullmatch(r"[0-9]{5}(\.0+)?", value or ""):
        return None
    number = int(float(value))
    if not 20000 <= number <= 80000:  # 1954 … 2119
        return None
    return EXCEL_EPOCH + timedelta(days=number)


def looks_like_mojibake(header: list[str]) -> bool:
    """Whether the header is Shift_JIS text that was read as another encoding and saved as UTF-8:
    replacement characters, or Latin letters that turn into Japanese when taken back to bytes."""
    text = "".join(header)
    if "\ufffd" in text:
        return True
    if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text):
        return False
    for encoding in ("cp1252", "latin-1"):
        try:
            recovered = text.encode(encoding).decode("cp932")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if len(re.findall(r"[\u3040-\u30ff\u4e00-\u9fff]", recovered)) >= 2:
            return True
    return False


def _fits(field: dict, value: str) -> bool:
    """Whether ``value`` satisfies ``field``'s type and constraints (what a shift check needs)."""
    constraints = field.get("constraints", {})
    kind = field.get("type", "string")
    try:
        if kind == "number":
            number = float(value)
        elif kind == "integer":
            number = int(value)
        else:
            number = None
    except ValueError:
        return False
    if kind == "time" and not re.fullmatch(r"[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?", value):
        return False
    if kind == "date" and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return False
    if number is not None:
        if "minimum" in constraints and number < constraints["minimum"]:
            return False
        if "maximum" in constraints and number > constraints["maximum"]:
            return False
    if "enum" in constraints and value not in constraints["enum"]:
        return False
    return not ("pattern" in constraints and not re.fullmatch(constraints["pattern"], value))


def _is_checkable(field: dict) -> bool:
    constraints = field.get("constraints", {})
    return field.get("type", "string") != "string" or any(
        key in constraints for key in ("pattern", "enum")
    )


def shifted_from(table, matched: list[tuple[int, dict]]) -> int | None:
    """The position in ``matched`` from which values sit one column right of their own (a column
    inserted or a comma in a value), when at least two consecutive checkable columns show it."""
    streak_start, streak = None, 0
    for position in range(1, len(matched)):
        index, field = matched[position]
        previous_field = matched[position - 1][1]
        if not (_is_checkable(field) or _is_checkable(previous_field)):
            continue
        values = [row[index] for row in table.rows if row[index]]
        if len(values) < SHIFT_MIN_VALUES:
            continue
        own = sum(_fits(field, value) for value in values)
        neighbour = sum(_fits(previous_field, value) for value in values)
        if neighbour / len(values) >= SHIFT_SHARE and own / len(values) < 1 - SHIFT_SHARE:
            if streak == 0:
                streak_start = position
            streak += 1
            if streak >= 2:
                return streak_start
        else:
            streak_start, streak = None, 0
    return None


def shift_issue(issue_class, table, matched, start: int):
    name = table.header[matched[start][0]]
    return issue_class(
        "error",
        "shifted-columns",
        KeptText(
            gettext_noop(
                "「%(name)s」列から後ろの値が1列右にずれているようです(列の追加や、値の中のカンマが原因のことがあります)。ずれを直してから、もう一度アップロードしてください。"
            ),
            {"name": name},
        ),
        column=name,
    )


def legacy_mapping_issue(issue_class, header: list[str], current_fields: list[dict]):
    """The older layout's columns and their names in the current layout."""
    current_names = {field["name"] for field in current_fields}
    pairs = []
    for name in header:
        target = LEGACY_TO_CURRENT.get(name, name)
        if target in current_names and target != name:
            pairs.append(f"{name}→{target}")
    return issue_class(
        "warning",
        "legacy-layout",
        KeptText(
            gettext_noop(
                "旧形式(推奨データセット)の項目名です。現行の自治体標準オープンデータセットでは次の名前になります: %(pairs)s"
            ),
            {"pairs": "、".join(pairs) or kept(gettext_noop("(対応する列なし)"))},
        ),
    )


def collapse(issue_class, issues: list) -> list:
    """Keeps the first cell errors of each (column, rule) and counts the rest in one finding."""
    counts = Counter((i.column, i.rule) for i in issues if i.row is not None)
    kept, shown = [], defaultdict(int)
    for issue in issues:
        key = (issue.column, issue.rule)
        if issue.row is None or counts[key] <= EXAMPLES_PER_RULE:
            kept.append(issue)
            continue
        shown[key] += 1
        if shown[key] <= EXAMPLES_PER_RULE:
            kept.append(issue)
        elif shown[key] == EXAMPLES_PER_RULE + 1:
            kept.append(
                issue_class(
                    issue.severity,
                    issue.rule,
                    KeptText(
                        gettext_noop(
                            "「%(column)s」列の同じ誤りは全部で %(count)s 件あります(最初の %(shown)s 件を示しました)。"
                        ),
                        {
                            "column": issue.column,
                            "count": f"{counts[key]:,}",
                            "shown": EXAMPLES_PER_RULE,
                        },
                    ),
                    column=issue.column,
                )
            )
    return kept
