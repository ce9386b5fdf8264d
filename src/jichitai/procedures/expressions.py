"""The XLSForm expressions a form may carry (``relevant``, ``constraint``, ``required``,
``calculation``, ``choice_filter``), evaluated on the server so every channel (resident pages with
or without JavaScript, the API, paper intake) decides the same way.

Expressions are split into tokens by pyxform's own lexer, so they are read as the XLSForm ecosystem
reads them; this module evaluates the XPath 1.0 subset forms use. Anything outside it raises
``ExpressionError`` when the form is imported or saved, never while a resident is waiting.
"""

import math
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.utils import timezone
from django.utils.translation import gettext
from pyxform.parsing.expression import parse_expression


class ExpressionError(ValueError):
    """An expression this platform cannot evaluate; the message says why, in Japanese."""


# A date or date-time as answers store it (2024-04-01, 2024-04-01T09:05) and ODK writes it
# (2024-04-01T09:05:00.000+09:00: the offset is left aside, answers being local time).
_DATE_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?")
_EPOCH = date(1970, 1, 1)


def _moment(value) -> datetime | None:
    """A date answer, or a number of days since 1970-01-01 (ODK's reading of a date as a
    number), as a date-time; None for anything else."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if math.isnan(value) or math.isinf(value):
            return None
        return datetime.combine(_EPOCH, time()) + timedelta(days=value)
    match = _DATE_TIME.match(_string(value).strip())
    if match is None:
        return None
    day, hour, minute, second = match.groups()
    try:
        return datetime.combine(
            date.fromisoformat(day), time(int(hour or 0), int(minute or 0), int(second or 0))
        )
    except ValueError:  # 2024-13-45 typed into a text question: not a date, so no value
        return None


def _number(value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    if value is None or value == "" or value == []:
        return math.nan
    try:
        return float(str(value).strip())
    except ValueError:
        moment = _moment(value)
        if moment is None:
            return math.nan
        # ODK: a date is the number of days since 1970-01-01, its time of day a fraction.
        return (moment - datetime.combine(_EPOCH, time())) / timedelta(days=1)


def _date(value) -> str:
    """``date()``: a date answer, or a number of days since 1970-01-01, as a date."""
    moment = _moment(value) or _moment(_number(value))
    if moment is None:
        raise ValueError(value)
    return moment.date().isoformat()


# ODK's format-date codes (https://getodk.github.io/xforms-spec/#fn:format-date).
_FORMAT_CODES = {
    "Y": lambda m: f"{m.year:04d}",
    "y": lambda m: f"{m.year % 100:02d}",
    "m": lambda m: f"{m.month:02d}",
    "n": lambda m: str(m.month),
    "b": lambda m: m.strftime("%b"),
    "d": lambda m: f"{m.day:02d}",
    "e": lambda m: str(m.day),
    "a": lambda m: m.strftime("%a"),
    "H": lambda m: f"{m.hour:02d}",
    "h": lambda m: str(m.hour),
    "M": lambda m: f"{m.minute:02d}",
    "S": lambda m: f"{m.second:02d}",
    "3": lambda m: "000",
}


def _format_date(value, pattern) -> str:
    moment = _moment(value)
    if moment is None:
        return ""
    return re.sub(
        r"%(.)",
        lambda code: (
            _FORMAT_CODES[code.group(1)](moment)
            if code.group(1) in _FORMAT_CODES
            else code.group(0)
        ),
        _string(pattern),
    )


def _string(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return not math.isnan(value) and value != 0
    if isinstance(value, list | dict):
        return bool(value)
    return value is not None and value != ""


def _compare(op: str, left, right) -> bool:
    if isinstance(left, list):
        return any(_compare(op, item, right) for item in left)
    if isinstance(right, list):
        return any(_compare(op, left, item) for item in right)
    if op in {"=", "!="}:
        if isinstance(left, bool) or isinstance(right, bool):
            equal = _boolean(left) == _boolean(right)
        elif isinstance(left, int | float) or isinstance(right, int | float):
            equal = _number(left) == _number(right)
        else:
            equal = _string(left) == _string(right)
        return equal if op == "=" else not equal
    a, b = _number(left), _number(right)
    if math.isnan(a) or math.isnan(b):
        # Dates compare as text (ISO format keeps the order).
        a, b = _string(left), _string(right)
        if not a or not b:
            return False
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _selected(values, choice) -> bool:
    items = values if isinstance(values, list) else _string(values).split()
    return _string(choice) in [_string(item) for item in items]


def _count_selected(values) -> int:
    return len(values) if isinstance(values, list) else len(_string(values).split())


def _if(condition, then, otherwise):
    return then if _boolean(condition) else otherwise


def _round(value, digits=0):
    factor = 10 ** int(_number(digits))
    return math.floor(_number(value) * factor + 0.5) / factor


def _numeric(function: Callable) -> Callable:
    """An ODK numeric function of numbers: its arguments read as numbers, its result a float."""
    return lambda *values: float(function(*(_number(value) for value in values)))


FUNCTIONS: dict[str, Callable] = {
    "selected": _selected,
    "count-selected": _count_selected,
    "string-length": lambda value: len(_string(value)),
    "regex": lambda value, pattern: re.search(_string(pattern), _string(value)) is not None,
    "not": lambda value: not _boolean(value),
    "if": _if,
    "concat": lambda *values: "".join(_string(value) for value in values),
    "coalesce": lambda a, b: a if _boolean(_string(a)) else b,
    "string": _string,
    "number": _number,
    "int": lambda value: int(_number(value)) if not math.isnan(_number(value)) else math.nan,
    "round": _round,
    "contains": lambda text, part: _string(part) in _string(text),
    "starts-with": lambda text, part: _string(text).startswith(_string(part)),
    "ends-with": lambda text, part: _string(text).endswith(_string(part)),
    "true": lambda: True,
    "false": lambda: False,
    "today": lambda: timezone.localdate().isoformat(),
    "date": _date,
    "decimal-date-time": _number,
    "format-date": _format_date,
    "format-date-time": _format_date,
    "count": lambda values: len(values) if isinstance(values, list) else 0,
    "sum": lambda values: sum(_number(v) for v in values) if isinstance(values, list) else 0,
    # ODK's numeric functions (a plot radius on a slope, an area from a side): outside a
    # function's domain (sqrt(-1), log(0)) the result is no value, as for any failed call.
    "abs": _numeric(abs),
    "floor": _numeric(math.floor),
    "ceiling": _numeric(math.ceil),
    "sqrt": _numeric(math.sqrt),
    "pow": _numeric(math.pow),
    "exp": _numeric(math.exp),
    "exp10": _numeric(lambda power: math.pow(10, power)),
    "log": _numeric(math.log),
    "log10": _numeric(math.log10),
    "sin": _numeric(math.sin),
    "cos": _numeric(math.cos),
    "tan": _numeric(math.tan),
    "asin": _numeric(math.asin),
    "acos": _numeric(math.acos),
    "atan": _numeric(math.atan),
    "atan2": _numeric(math.atan2),
    "pi": lambda: math.pi,
}

BINARY = {
    "or": 1,
    "and": 2,
    "=": 3,
    "!=": 3,
    "<": 4,
    "<=": 4,
    ">": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "div": 6,
    "mod": 6,
}


class Node:
    """A parsed expression: ``evaluate(values, current, choice)`` gives its value."""

    def __init__(self, evaluate: Callable, references: frozenset[str]):
        self.evaluate = evaluate
        self.references = references


# Tokens after which an expression may continue with an operator: XPath reads a name there as the
# operator ``and``, ``or``, ``div`` or ``mod`` and anywhere else as a name (XPath 1.0, 3.7).
ENDS_OPERAND = {
    "NAME",
    "NUMBER",
    "SYSTEM_LITERAL",
    "PYXFORM_REF",
    "SELF_REF",
    "CLOSE_PAREN",
    "DATE",
    "DATETIME",
    "TIME",
}
WORD_OPERATORS = {"and": "OPS_BOOL", "or": "OPS_BOOL", "div": "OPS_MATH", "mod": "OPS_MATH"}


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    for token in parse_expression(text):
        kind, value = token.type, str(token)
        if kind == "WHITESPACE":
            continue
        if kind in {"OPS_MATH", "OPS_BOOL", "OPS_COMP"}:
            value = value.strip()
        # The lexer gives "<=" and ">=" as two comparison tokens.
        if kind == "OPS_COMP" and value == "=" and tokens and tokens[-1][1] in {"<", ">"}:
            tokens[-1] = (kind, tokens[-1][1] + "=")
            continue
        # The lexer sees a call only when "(" follows the name at once; XPath and ODK allow
        # spaces between (``selected (${x}, 'a')``).
        if kind == "OPEN_PAREN" and tokens and tokens[-1][0] == "NAME":
            tokens[-1] = ("FUNC_CALL", tokens[-1][1] + "(")
            continue
        # ...and it reads ``and(`` as a call even after an operand (``${a} = 1 and(${b} = 2)``).
        word = value[:-1]
        if (
            kind == "FUNC_CALL"
            and word in WORD_OPERATORS
            and tokens
            and tokens[-1][0] in ENDS_OPERAND
        ):
            tokens += [(WORD_OPERATORS[word], word), ("OPEN_PAREN", "(")]
            continue
        tokens.append((kind, value))
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokens(text)
        self.position = 0

    def fail(self, why: str):
        raise ExpressionError(
            gettext("式「%(text)s」は読めません(%(why)s)。") % {"text": self.text, "why": why}
        )

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            self.fail(gettext("式が途中で終わっています"))
        self.position += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            self.fail(gettext("空です"))
        node = self.expression(0)
        if self.peek() is not None:
            self.fail(gettext("「%(token)s」の位置") % {"token": self.peek()[1]})
        return node

    def expression(self, least: int) -> Node:
        left = self.operand()
        while (token := self.peek()) is not None and BINARY.get(token[1], 0) > least:
            op = self.take()[1]
            right = self.expression(BINARY[op])
            left = _binary(op, left, right)
        return left

    def operand(self) -> Node:
        kind, value = self.take()
        if kind == "OPS_MATH" and value == "-":
            inner = self.operand()
            return Node(lambda *a: -_number(inner.evaluate(*a)), inner.references)
        if kind == "NUMBER":
            number = float(value)
            return Node(lambda *a: number, frozenset())
        if kind == "SYSTEM_LITERAL":
            literal = value[1:-1]
            return Node(lambda *a: literal, frozenset())
        if kind in {"DATE", "DATETIME", "TIME"}:
            return Node(lambda *a: value, frozenset())
        if kind == "PYXFORM_REF":
            name = value[2:-1]
            if name.startswith("last-saved#"):
                self.fail(gettext("last-saved には対応していません"))
            return Node(lambda values, current, choice: values.get(name), frozenset({name}))
        if kind == "PARENT_REF":
            # ``../name``: a sibling field, as pyxform writes the question or_other adds.
            if self.take()[0] != "PATH_SEP" or (token := self.take())[0] != "NAME":
                self.fail(gettext("../項目名 の形にしてください"))
            sibling = token[1]
            return Node(lambda values, current, choice: values.get(sibling), frozenset({sibling}))
        if kind == "SELF_REF":
            return Node(lambda values, current, choice: current, frozenset())
        if kind == "NAME":
            # In a choice_filter, a bare name is a column of the choices sheet.
            return Node(lambda values, current, choice: (choice or {}).get(value, ""), frozenset())
        if kind == "OPEN_PAREN":
            inner = self.expression(0)
            if self.take()[0] != "CLOSE_PAREN":
                self.fail(gettext("括弧が閉じていません"))
            return inner
        if kind == "FUNC_CALL":
            return self.call(value[:-1])
        return self.fail(gettext("「%(value)s」には対応していません") % {"value": value})

    def call(self, name: str) -> Node:
        function = FUNCTIONS.get(name)
        if function is None:
            self.fail(gettext("関数 %(name)s() には対応していません") % {"name": name})
        arguments: list[Node] = []
        if self.peek() and self.peek()[0] == "CLOSE_PAREN":
            self.take()
        else:
            while True:
                arguments.append(self.expression(0))
                kind, _ = self.take()
                if kind == "CLOSE_PAREN":
                    break
                if kind != "COMMA":
                    self.fail(gettext("関数の引数の区切りが正しくありません"))
        references = frozenset().union(*(node.references for node in arguments))

        def evaluate(values, current, choice):
            try:
                return function(*(node.evaluate(values, current, choice) for node in arguments))
            except (TypeError, ValueError, OverflowError, re.error):
                return math.nan

        return Node(evaluate, references)


def _binary(op: str, left: Node, right: Node) -> Node:
    references = left.references | right.references
    if op == "and":
        return Node(
            lambda *a: _boolean(left.evaluate(*a)) and _boolean(right.evaluate(*a)), references
        )
    if op == "or":
        return Node(
            lambda *a: _boolean(left.evaluate(*a)) or _boolean(right.evaluate(*a)), references
        )
    if op in {"=", "!=", "<", "<=", ">", ">="}:
        return Node(lambda *a: _compare(op, left.evaluate(*a), right.evaluate(*a)), references)
    arithmetic = {
        "+": lambda x, y: x + y,
        "-": lambda x, y: x - y,
        "*": lambda x, y: x * y,
        "div": lambda x, y: x / y if y else math.nan,
        "mod": lambda x, y: math.fmod(x, y) if y else math.nan,
    }[op]
    return Node(
        lambda *a: arithmetic(_number(left.evaluate(*a)), _number(right.evaluate(*a))),
        references,
    )


@lru_cache(maxsize=1024)
def parse(text: str) -> Node:
    """The parsed expression; raises ``ExpressionError`` naming what cannot be read."""
    return _Parser(text).parse()


def references(text: str) -> frozenset[str]:
    """The field names an expression reads (``${name}``)."""
    return parse(text).references


def holds(text: str, values: dict, *, current=None, choice: dict | None = None) -> bool:
    """Whether a condition holds for these answers (``current`` is ``.``, ``choice`` the row of
    the choices sheet a ``choice_filter`` is tested on)."""
    return _boolean(parse(text).evaluate(values, current, choice))


def value(text: str, values: dict):
    """A calculation's result: a whole number when it is one, else a number or text."""
    result = parse(text).evaluate(values, None, None)
    if isinstance(result, float):
        if math.isnan(result) or math.isinf(result):
            return None
        return int(result) if result.is_integer() else round(result, 10)
    if isinstance(result, bool | int):
        return result  # int(), count() and string-length() give whole numbers already
    return _string(result)
