"""Figures across the prefecture's 市町, computed from the platform through the live metrics each
module registers (``core.registry.metrics``), never from a person or an answer. Each figure is read
for every 市町 at once (``core.metrics.compute_for_each``), so the table costs a fixed number of
queries whatever the number of 市町.

Counts of residents' applications (and of the paper pages read for them) under
``SUPPRESSION_THRESHOLD`` are shown as 「秘匿」 as in the statistics datasets, and so are the figures
taken from such a count (the median days of three completed applications). Where published counts
add up to a published total — the channels to the year's applications, the months to the channel's
year — a total with exactly one hidden count would give it away, so one more count of that sum is
hidden (complementary suppression). The median and the range are taken over the figures shown
only, and no total across the 市町 is given. A figure whose module is not installed is 「－」."""

import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from jichitai.collaboration.models import Measure
from jichitai.collaboration.selectors import municipalities_of
from jichitai.core.exports import in_the_platforms_language
from jichitai.core.japanese import fiscal_year
from jichitai.core.metrics import compute_for_each
from jichitai.core.registry import metrics
from jichitai.procedures import figures as procedure_figures
from jichitai.tenancy.models import Organization

SUPPRESSION_THRESHOLD = 5
SUPPRESSED = "秘匿"
NO_FIGURE = "－"
CHANNELS = (
    ("online", _("オンライン")),
    ("paper", _("紙(AI-OCR)")),
    ("api", _("API連携")),
)
# April to March: the months of a 年度 in order.
MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)


@dataclass(frozen=True)
class PeerFigure:
    key: str
    label: str
    unit: str
    metric: str
    parameters: dict = field(default_factory=dict)
    # Counts of residents' applications: small ones are hidden.
    suppress_small: bool = False
    # A figure computed from the applications counted by another figure (its key) is hidden when
    # that count is.
    basis: str = ""


PEER_FIGURES = (
    PeerFigure("applications", _("申請件数"), "件", "procedures.applications", {}, True),
    *(
        PeerFigure(
            f"{channel}_applications",
            label,
            "件",
            "procedures.applications",
            {"channel": channel},
            True,
        )
        for channel, label in (
            ("online", _("うちオンライン")),
            ("paper", _("うち紙(AI-OCR)")),
            ("api", _("うちAPI連携")),
        )
    ),
    PeerFigure("procedures", _("手続一覧に登録された手続"), "件", "procedures.catalog_procedures"),
    PeerFigure("online_share", _("オンライン化された手続の割合"), "%", "procedures.online_share"),
    PeerFigure("completed", _("完了した申請"), "件", "procedures.completed_applications", {}, True),
    PeerFigure(
        "processing_days",
        _("受付から完了までの日数(中央値)"),
        "日",
        "procedures.processing_days_median",
        basis="completed",
    ),
    PeerFigure(
        "within_period",
        _("標準処理期間内に完了した割合"),
        "%",
        "procedures.within_period_share",
        basis="completed",
    ),
    PeerFigure("datasets", _("公開データセット数"), "件", "opendata.published_datasets"),
    PeerFigure(
        "datasets_3stars",
        _("うち★3以上(機械判読できるオープンな形式)"),
        "件",
        "opendata.datasets_rated",
        {"stars": "3"},
    ),
    PeerFigure("mean_stars", _("データセットの5つ星評価(平均)"), "★", "opendata.mean_stars"),
    PeerFigure("ocr_pages", _("AI-OCRで読み取った紙のページ数"), "枚", "ocr.pages_read", {}, True),
    PeerFigure("hours_saved", _("RPAによる削減時間"), "時間", "automation.hours_saved"),
)
# Published sums: (total, its parts), each by figure key.
FIGURE_SUMS = (("applications", tuple(f"{channel}_applications" for channel, _label in CHANNELS)),)

Value = Decimal | str | None
# A unit as pages show it beside a figure's name; the published table keeps the unit as written.
UNIT_LABELS = {
    "件": pgettext_lazy("unit of a figure", "件"),
    "日": pgettext_lazy("unit of a figure", "日"),
    "枚": pgettext_lazy("unit of a figure", "枚"),
    "時間": pgettext_lazy("unit of a figure", "時間"),
}


def _numbers(figure: PeerFigure, municipalities: list[Organization], year: int) -> dict:
    """``{organization id: Decimal | None}``; None for every 市町 when no module computes it."""
    if figure.metric not in metrics:
        return {}
    computed = compute_for_each(
        metrics.get(figure.metric), municipalities, year, **figure.parameters
    )
    return {
        organization_id: None if value is None or isinstance(value, dict) else Decimal(value)
        for organization_id, value in computed.items()
    }


def protect(counts: dict, sums: list[tuple], threshold: int = SUPPRESSION_THRESHOLD) -> set:
    """The cells of ``counts`` ({cell: count}) to hide: each count from 1 to under ``threshold``,
    and then, in every sum (``(total cell, [part cells])``, all published) with exactly one hidden
    cell, the smallest other count (a non-zero one first) until none has exactly one."""
    hidden = {cell for cell, count in counts.items() if count is not None and 0 < count < threshold}
    changed = True
    while changed:
        changed = False
        for total, parts in sums:
            cells = [cell for cell in (total, *parts) if cell in counts]
            if len(hidden.intersection(cells)) != 1:
                continue
            others = [cell for cell in cells if cell not in hidden and counts[cell] is not None]
            if not others:
                continue
            hidden.add(min(others, key=lambda cell: (counts[cell] == 0, counts[cell], cell)))
            changed = True
    return hidden


def _month_label(year: int, month: int) -> str:
    return f"{year + (month < 4):04d}-{month:02d}"


def peer_table(prefecture: Organization, year: int) -> dict:
    """Every 市町's figures (already suppressed), its applications per month and channel, and,
    per figure, the median and range of those shown."""
    return _table_and_numbers(prefecture, year)[0]


def _table_and_numbers(prefecture: Organization, year: int) -> tuple[dict, dict]:
    """``peer_table`` and the figures it was made from before suppression ({figure key:
    {organization id: value}}), for the one page where a 市町 reads its own."""
    municipalities = list(municipalities_of(prefecture))
    present = {figure.key: figure.metric in metrics for figure in PEER_FIGURES}
    numbers = {figure.key: _numbers(figure, municipalities, year) for figure in PEER_FIGURES}
    monthly = procedure_figures.monthly_counts(municipalities, year)
    rows = []
    for municipality in municipalities:
        values: dict[str, Value] = {
            key: found.get(municipality.pk) for key, found in numbers.items()
        }
        months = monthly[municipality.pk]
        counts = {
            ("figure", figure.key): values[figure.key]
            for figure in PEER_FIGURES
            if figure.suppress_small and present[figure.key]
        }
        counts.update(
            {
                ("month", channel, month): Decimal(months.get((month, channel), 0))
                for channel, _label in CHANNELS
                for month in MONTHS
            }
        )
        sums = [
            (("figure", total), [("figure", part) for part in parts])
            for total, parts in FIGURE_SUMS
        ] + [
            (
                ("figure", f"{channel}_applications"),
                [("month", channel, month) for month in MONTHS],
            )
            for channel, _label in CHANNELS
        ]
        hidden = protect(counts, sums)
        for figure in PEER_FIGURES:
            if ("figure", figure.key) in hidden or ("figure", figure.basis) in hidden:
                values[figure.key] = SUPPRESSED
        rows.append(
            {
                "code": municipality.code,
                "name": municipality.name,
                "values": [values[figure.key] for figure in PEER_FIGURES],
                "months": [
                    {
                        "channel": channel,
                        "label": str(label),
                        "values": [
                            SUPPRESSED
                            if ("month", channel, month) in hidden
                            else counts[("month", channel, month)]
                            for month in MONTHS
                        ],
                    }
                    for channel, label in CHANNELS
                ],
            }
        )
    summary = []
    for index, figure in enumerate(PEER_FIGURES):
        shown = [value for row in rows if isinstance(value := row["values"][index], Decimal)]
        summary.append(
            {
                "key": figure.key,
                "label": str(figure.label),
                "unit": figure.unit,
                "unit_label": str(UNIT_LABELS.get(figure.unit, figure.unit)),
                "median": Decimal(statistics.median(shown)) if shown else None,
                "min": min(shown) if shown else None,
                "max": max(shown) if shown else None,
                "reported": len(shown),
            }
        )
    table = {
        "fiscal_year": year,
        "figures": summary,
        "months": [_month_label(year, month) for month in MONTHS],
        "rows": [
            {
                **row,
                "texts": [text(value) for value in row["values"]],
                "month_texts": [
                    {**line, "texts": [text(value) for value in line["values"]]}
                    for line in row["months"]
                ],
            }
            for row in rows
        ],
        "summary_texts": [
            {
                **item,
                "median_text": text(item["median"]),
                "range_text": gettext("%(low)s〜%(high)s")
                % {"low": text(item["min"]), "high": text(item["max"])}
                if item["reported"]
                else NO_FIGURE,
            }
            for item in summary
        ],
    }
    return table, numbers


def text(value: Value) -> str:
    if value is None:
        return NO_FIGURE
    if isinstance(value, str):
        return value
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.1f}"


def own_beside_peers(municipality: Organization, year: int) -> list[dict]:
    """A 市町's own figures beside the prefecture's median and range. The 市町 sees its own counts
    even where the published table hides them (it holds those applications anyway), and is told
    so by ``hidden_in_table``; the median and range stay those of the published figures."""
    table, numbers = _table_and_numbers(municipality.parent, year)
    own = next(row for row in table["rows"] if row["code"] == municipality.code)
    return [
        {
            **item,
            "own_text": text(numbers[figure.key].get(municipality.pk)),
            "hidden_in_table": value == SUPPRESSED,
        }
        for figure, item, value in zip(
            PEER_FIGURES, table["summary_texts"], own["values"], strict=True
        )
    ]


# The measures whose use the platform records itself, and the figures that show it.
MEASURE_FIGURES = {
    Measure.ONLINE_PROCEDURES: ("procedures", "online_share"),
    Measure.AI_OCR: ("ocr_pages",),
    Measure.OPEN_DATA: ("datasets",),
    Measure.RPA: ("hours_saved",),
}


def recorded_use(own: list[dict]) -> dict[str, str]:
    """Per measure, one line of the 市町's own figures (``own_beside_peers``) that show its use
    of the platform, for the clerk who records the measure's state; a figure the platform does
    not have is left out, and a measure without any has no line."""
    by_key = {item["key"]: item for item in own}
    lines = {}
    for measure, keys in MEASURE_FIGURES.items():
        parts = [
            gettext("%(label)s %(value)s%(unit)s")
            % {"label": item["label"], "value": item["own_text"], "unit": item["unit_label"]}
            for key in keys
            if (item := by_key[key])["own_text"] != NO_FIGURE
        ]
        if parts:
            lines[measure] = gettext("この基盤の記録: %(figures)s") % {
                "figures": gettext("、").join(parts)
            }
    return lines


OPEN_DATA_HEADER = ["全国地方公共団体コード", "団体名", "年度", "月", "項目", "値", "単位"]


@in_the_platforms_language
def open_data_rows(prefecture: Organization, year: int) -> tuple[list[str], list[list]]:
    """The table as open data: one row per 市町 and figure, then per 市町, channel and month
    (団体コード, 団体名, 年度, 月 (YYYY-MM, blank for the year), 項目, 値, 単位)."""
    return OPEN_DATA_HEADER, list(_open_rows(peer_table(prefecture, year)))


def _open_rows(table: dict) -> Iterator[list]:
    year = table["fiscal_year"]
    for row in table["rows"]:
        for item, value in zip(table["figures"], row["values"], strict=True):
            yield [
                row["code"],
                row["name"],
                year,
                "",
                str(item["label"]),
                _open_value(value),
                str(item["unit"]),
            ]
        for line in row["months"]:
            label = _("申請件数(%(channel)s)") % {"channel": line["label"]}
            for month, value in zip(table["months"], line["values"], strict=True):
                yield [row["code"], row["name"], year, month, str(label), _open_value(value), "件"]


def published_rows(prefecture: Organization, today: date) -> tuple[list[str], list[list]]:
    """The catalog's daily table: the 年度 before today's and today's."""
    current = fiscal_year(today)
    rows = []
    for year in (current - 1, current):
        rows.extend(open_data_rows(prefecture, year)[1])
    return OPEN_DATA_HEADER, rows


def _open_value(value: Value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return int(value) if value == value.to_integral_value() else float(value)
