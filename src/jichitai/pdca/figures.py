"""Numbers as the plan's documents show them: 22,400件, 10.0%, 17,300千円, and achievement."""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext

from jichitai.core.registry import metrics

NONE_MARK = "—"
NO_DATA = "－"  # no figure: no data for the year, no budget


def number_text(value, decimals: int = 0) -> str:
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-decimals) if decimals else Decimal(1)
    rounded = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    return f"{rounded:,.{decimals}f}"


def with_unit(value, unit: str, decimals: int = 0) -> str:
    text = number_text(value, decimals)
    if not text:
        return ""
    return f"{text}{unit}"


def excel_number_format(unit: str, decimals: int = 0) -> str:
    """The number format of a spreadsheet cell holding a figure: 22,400件, 10.0%."""
    digits = "#,##0" + ("." + "0" * decimals if decimals else "")
    return f'{digits}"{unit}"' if unit else digits


def budget_text(value) -> str:
    """千円 as the evaluation sheets write it (64,370); 「－」 where there was no budget."""
    return NO_DATA if value is None else f"{value:,}"


@dataclass(frozen=True)
class Achievement:
    rate: Decimal | None
    status: str  # "achieved", "missed" or ""
    overridden: bool = False

    @property
    def label(self) -> str:
        if self.status == "achieved":
            return gettext("達成")
        return gettext("未達成") if self.status == "missed" else ""

    @property
    def rate_text(self) -> str:
        return "" if self.rate is None else f"{self.rate:.1f}%"


def achievement(
    target, actual, *, higher_is_better: bool, threshold: Decimal, override: str = ""
) -> Achievement:
    rate = None
    if target not in (None, 0) and actual is not None:
        ratio = (
            Decimal(actual) / Decimal(target)
            if higher_is_better
            else Decimal(target) / Decimal(actual or 1)
        )
        rate = (ratio * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if override:
        return Achievement(rate, override, overridden=True)
    if rate is None:
        return Achievement(None, "")
    return Achievement(rate, "achieved" if rate >= threshold else "missed")


def reduction(before, after) -> tuple[Decimal, Decimal]:
    """(reduction, percent of before) — e.g. 2,681 h → 1,479 h is 1,202 h, 44.8%."""
    before, after = Decimal(before), Decimal(after)
    cut = before - after
    return cut, (cut * 100 / before) if before else Decimal(0)


# A figure written into a text as {{metric.name parameter=value …}}: the report shows the
# metric's value for the plan's organization and the report's 年度, so the sentence 「全29市町が
# 参加」 keeps its words and takes its number from the records.
FIGURE_IN_TEXT = re.compile(r"\{\{\s*([\w.]+)((?:\s+\w+=[^\s{}]+)*)\s*\}\}")


def expand_figures(text: str, organization, fiscal_year: int) -> str:
    if "{{" not in text:
        return text

    def figure(match: re.Match) -> str:
        name, parameters = (
            match.group(1),
            dict(pair.split("=", 1) for pair in match.group(2).split()),
        )
        if name not in metrics:
            return NONE_MARK
        try:
            value = metrics.get(name).compute(organization, fiscal_year, **parameters)
        except TypeError:  # parameters the metric does not take
            return NONE_MARK
        if value is None or isinstance(value, dict):
            return NONE_MARK
        decimals = 0 if Decimal(value) == Decimal(value).to_integral_value() else 1
        return number_text(value, decimals)

    return FIGURE_IN_TEXT.sub(figure, text)
