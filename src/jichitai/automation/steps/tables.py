"""Steps on tables (lists of rows) and the row helpers the file steps share: numbers written
with thousands separators, required columns, a header from the rows' keys."""

from collections import OrderedDict
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_noop

from jichitai.automation.errors import BusinessError, Skip
from jichitai.automation.registry import ANY, STRING, STRINGS, step


def as_number(value, *, where: str):
    if value is None or value == "":
        return None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    try:
        return Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise BusinessError(f"{where}: 「{value}」は数値ではありません。") from None


def check_columns(found: list, wanted: list, *, where: str) -> None:
    missing = [column for column in wanted if column not in found]
    if missing:
        raise BusinessError(
            f"{where}: 列「{'」「'.join(missing)}」がありません(見出し: {'、'.join(str(f) for f in found if f)})。"
        )
    # Which of two columns of one heading holds the values is not for the step to guess.
    twice = [column for column in wanted if found.count(column) > 1]
    if twice:
        raise BusinessError(
            f"{where}: 列「{'」「'.join(twice)}」が2つあります。読み取る列の見出しは1つずつにしてください。"
        )


def header_and_rows(rows: list[dict], columns: list[str] | None):
    header = columns or [key for key in (rows[0] if rows else {}) if not str(key).startswith("_")]
    return header, [[row.get(column) for column in header] for row in rows]


@step(
    "table.filter",
    gettext_noop("表の絞り込み"),
    properties={"rows": {"type": "array"}, "equals": {"type": "object"}, "not_empty": STRINGS},
    required=["rows"],
)
def table_filter(ctx, rows, equals=None, not_empty=()):
    return [
        row
        for row in rows
        if all(str(row.get(k)) == str(v) for k, v in (equals or {}).items())
        and all(row.get(column) not in (None, "") for column in not_empty)
    ]


@step(
    "table.aggregate",
    gettext_noop("表の集計"),
    properties={
        "rows": {"type": "array"},
        "group_by": STRINGS,
        "sum": STRINGS,
        "count": STRING,
    },
    required=["rows", "group_by"],
)
def table_aggregate(ctx, rows, group_by, sum=(), count=None):
    groups: OrderedDict = OrderedDict()
    for row in sorted(rows, key=lambda r: tuple(str(r.get(c, "")) for c in group_by)):
        key = tuple(row.get(column) for column in group_by)
        group = groups.setdefault(
            key, {**dict(zip(group_by, key, strict=True)), **dict.fromkeys(sum, 0)}
        )
        for column in sum:
            value = row.get(column)
            group[column] += as_number(value, where=f"{row.get('_file', '')} 列「{column}」") or 0
        if count:
            group[count] = group.get(count, 0) + 1
    return list(groups.values())


@step(
    "check.equals",
    gettext_noop("値の確認"),
    properties={"actual": ANY, "expected": ANY, "what": STRING},
    required=["actual", "expected"],
    describe=lambda p: f"確認: {p.get('what') or '値'}が「{p.get('expected')}」であること",
)
def check_equals(ctx, actual, expected, what="値"):
    """Stops the item (業務エラー) when what the target shows differs from what was entered, e.g.
    characters a Shift_JIS system cannot store."""
    if str(actual).strip() != str(expected).strip():
        raise BusinessError(f"{what}が入力と違います(入力「{expected}」、表示「{actual}」)。")
    return True


@step(
    "item.skip_if",
    gettext_noop("条件に合う対象を処理しない"),
    properties={
        "value": ANY,
        "equals": ANY,
        "in": {"type": "array"},
        "empty": {"type": "boolean"},
        "reason": STRING,
    },
    required=["value"],
    describe=lambda p: (
        "条件: "
        + (
            f"値が「{p.get('equals')}」なら"
            if "equals" in p
            else f"値が「{'」「'.join(str(v) for v in p.get('in') or [])}」のいずれかなら"
            if "in" in p
            else "値が空なら"
        )
        + "この対象を処理しない"
    ),
)
def item_skip_if(ctx, value, equals=None, empty=False, reason="", **options):
    """A condition on the item: when ``value`` equals ``equals``, is one of ``in`` or (with
    ``empty``) is blank, the rest of the item's steps are not run and the item is marked 対象外."""
    text = "" if value is None else str(value).strip()
    choices = [str(choice).strip() for choice in options.get("in") or []]
    matched = (
        (equals is not None and text == str(equals).strip())
        or text in choices
        or (empty and not text)
    )
    if matched:
        raise Skip(f"条件に合うため処理しませんでした({reason or f'値「{text}」'})。")
    return False
