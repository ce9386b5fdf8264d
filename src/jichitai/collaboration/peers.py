"""Figures across the prefecture's 市町, computed from the platform through the live metrics each
module registers (``core.registry.metrics``), never from a person or an answer. Counts of
residents' applications under ``SUPPRESSION_THRESHOLD`` are shown as 「秘匿」 as in the statistics
datasets; the median and the range are taken over the figures shown only, and no total is given,
so a hidden count cannot be worked out from the others."""

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from jichitai.core.registry import metrics
from jichitai.tenancy.models import Organization

SUPPRESSION_THRESHOLD = 5
SUPPRESSED = "秘匿"


@dataclass(frozen=True)
class PeerFigure:
    key: str
    label: str
    unit: str
    metric: str
    parameters: dict = field(default_factory=dict)
    # Counts of residents' applications: small ones are hidden.
    suppress_small: bool = False


PEER_FIGURES = (
    PeerFigure("applications", _("申請件数"), "件", "procedures.applications", {}, True),
    PeerFigure(
        "online_applications",
        _("うちオンライン"),
        "件",
        "procedures.applications",
        {"channel": "online"},
        True,
    ),
    PeerFigure(
        "paper_applications",
        _("うち紙(AI-OCR)"),
        "件",
        "procedures.applications",
        {"channel": "paper"},
        True,
    ),
    PeerFigure("online_share", _("オンライン化された手続の割合"), "%", "procedures.online_share"),
    PeerFigure("datasets", _("公開データセット数"), "件", "opendata.published_datasets"),
    PeerFigure("hours_saved", _("RPAによる削減時間"), "時間", "automation.hours_saved"),
)


def _figures() -> list[PeerFigure]:
    """Only what the installed modules can compute."""
    return [figure for figure in PEER_FIGURES if figure.metric in metrics]


def _value(figure: PeerFigure, organization: Organization, fiscal_year: int):
    value = metrics.get(figure.metric).compute(organization, fiscal_year, **figure.parameters)
    if value is None or isinstance(value, dict):
        return None
    return Decimal(value)


def _shown(figure: PeerFigure, value: Decimal | None) -> Decimal | str | None:
    if figure.suppress_small and value is not None and 0 < value < SUPPRESSION_THRESHOLD:
        return SUPPRESSED
    return value


def _text(value: Decimal | str | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.1f}"


def peer_table(prefecture: Organization, fiscal_year: int) -> dict:
    """Every 市町's figures (already suppressed) and, per figure, the median and range of those
    shown."""
    figures = _figures()
    municipalities = list(prefecture.municipalities.filter(is_active=True).order_by("code"))
    rows = []
    for municipality in municipalities:
        values = [_shown(figure, _value(figure, municipality, fiscal_year)) for figure in figures]
        rows.append({"code": municipality.code, "name": municipality.name, "values": values})
    summary = []
    for index, figure in enumerate(figures):
        shown = [row["values"][index] for row in rows]
        numbers = [value for value in shown if isinstance(value, Decimal)]
        summary.append(
            {
                "key": figure.key,
                "label": str(figure.label),
                "unit": figure.unit,
                "median": Decimal(statistics.median(numbers)) if numbers else None,
                "min": min(numbers) if numbers else None,
                "max": max(numbers) if numbers else None,
                "reported": len(numbers),
            }
        )
    return {
        "fiscal_year": fiscal_year,
        "figures": summary,
        "rows": [{**row, "texts": [_text(value) for value in row["values"]]} for row in rows],
        "summary_texts": [
            {
                **item,
                "median_text": _text(item["median"]),
                "range_text": f"{_text(item['min'])}〜{_text(item['max'])}"
                if item["reported"]
                else "—",
            }
            for item in summary
        ],
    }


def own_beside_peers(municipality: Organization, fiscal_year: int) -> list[dict]:
    """A 市町's own figures beside the prefecture's median and range."""
    table = peer_table(municipality.parent, fiscal_year)
    own = next(row for row in table["rows"] if row["code"] == municipality.code)
    return [
        {**item, "own_text": own["texts"][index]}
        for index, item in enumerate(table["summary_texts"])
    ]


def open_data_rows(prefecture: Organization, fiscal_year: int) -> tuple[list[str], list[list]]:
    """The table as open data: one row per 市町 and figure (団体コード, 団体名, 年度, 項目, 値, 単位)."""
    table = peer_table(prefecture, fiscal_year)
    header = ["全国地方公共団体コード", "団体名", "年度", "項目", "値", "単位"]
    rows = [
        [row["code"], row["name"], fiscal_year, item["label"], _open_value(value), item["unit"]]
        for row in table["rows"]
        for item, value in zip(table["figures"], row["values"], strict=True)
    ]
    return header, rows


def _open_value(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return int(value) if value == value.to_integral_value() else float(value)
