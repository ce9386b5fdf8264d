"""Per-year figures of an indicator: the ones people entered, and the ones measured live from the
platform's own data through a bound metric (``core.registry.metrics``); a 年度 the platform held no
data for has no figure, never a made-up 0."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jichitai.core import japanese
from jichitai.core.metrics import Metric, MetricParameter
from jichitai.core.registry import metrics
from jichitai.pdca import figures
from jichitai.pdca.models import Indicator, Plan
from jichitai.tenancy.models import Organization

STALE_AFTER = timedelta(days=90)
# A condition left unset.
EMPTY = (None, "", [])
UNKNOWN = object()  # "not looked up yet", as opposed to None ("no data")


def chosen_metric(indicator: Indicator) -> Metric | None:
    """The metric the indicator names, if it is registered in this installation."""
    if not indicator.metric_name or indicator.metric_name not in metrics:
        return None
    return metrics.get(indicator.metric_name)


def missing_conditions(metric: Metric, parameters: dict[str, Any]) -> list[MetricParameter]:
    """The conditions ``metric`` needs that ``parameters`` leave unset."""
    return [
        parameter
        for parameter in metric.parameters
        if parameter.required and parameters.get(parameter.name) in EMPTY
    ]


def unset_conditions(indicator: Indicator) -> list[str]:
    """The names of the conditions the indicator's metric needs and it lacks: a plan copied from
    the prefecture's leaves the prefecture's survey out, for the 市町 to choose its own."""
    metric = chosen_metric(indicator)
    if metric is None:
        return []
    return [
        str(parameter.label)
        for parameter in missing_conditions(metric, indicator.metric_parameters)
    ]


def bound_metric(indicator: Indicator) -> Metric | None:
    """The live metric the indicator is measured from: registered in this installation, with
    every condition it needs."""
    metric = chosen_metric(indicator)
    if metric is None or missing_conditions(metric, indicator.metric_parameters):
        return None
    return metric


def conditions_of(
    organization: Organization, metric: Metric, parameters: dict[str, Any]
) -> tuple[dict[str, Any], list[MetricParameter]]:
    """``parameters`` as they can apply to ``organization``, and the conditions that named
    something not its own (another organization's procedure), which are left out of them: of a
    list, only the items not its own."""
    kept, foreign = {}, []
    for parameter in metric.parameters:
        value = parameters.get(parameter.name)
        if value in EMPTY:
            continue
        if parameter.choices is None:
            kept[parameter.name] = value
            continue
        own = {str(choice) for choice, _label in parameter.choices(organization)}
        items = value if isinstance(value, list) else [value]
        owned = [item for item in items if str(item) in own]
        if len(owned) < len(items):
            foreign.append(parameter)
        if owned:
            kept[parameter.name] = owned if isinstance(value, list) else value
    return kept, foreign


def live_since(indicator: Indicator) -> date | None:
    """The first day the platform holds data for the indicator's metric (None: none yet)."""
    metric = bound_metric(indicator)
    if metric is None or metric.since is None:
        return None
    return metric.since(indicator.plan.organization, **indicator.metric_parameters)


def live_value(indicator: Indicator, fiscal_year: int, *, since=UNKNOWN) -> Decimal | None:
    """The bound metric's value for a 年度, or None when unbound, not registered here, not
    measurable, or the 年度 ended before the platform held any data for it (never a made-up 0)."""
    metric = bound_metric(indicator)
    if metric is None:
        return None
    if metric.since is not None:
        first_day = live_since(indicator) if since is UNKNOWN else since
        if first_day is None or japanese.fiscal_year_bounds(fiscal_year)[1] < first_day:
            return None
    value = metric.compute(indicator.plan.organization, fiscal_year, **indicator.metric_parameters)
    if isinstance(value, dict):
        raise TypeError(f"{indicator.metric_name} gives a before/after pair, not one value")
    return None if value is None else Decimal(value)


def indicator_rows(indicator: Indicator, *, live: bool = True) -> list[dict]:
    """Per 年度 of the plan: target, actual (the live value where bound), achievement."""
    by_year = {row.fiscal_year: row for row in indicator.years.all()}
    rows = []
    today = timezone.localdate()
    current = japanese.fiscal_year(today)
    bound = live and bound_metric(indicator) is not None
    since = live_since(indicator) if bound else None
    for year in indicator.plan.fiscal_years:
        row = by_year.get(year)
        target = row.target if row else None
        actual = row.actual if row else None
        measured = False
        # A figure somebody entered (e.g. a year before the platform existed) is kept; the others
        # come from the platform's own data.
        if bound and year <= current and actual is None:
            value = live_value(indicator, year, since=since)
            if value is not None:
                actual, measured = value, True
        # A live indicator with no figure for a 年度 already begun: the platform held no data.
        no_data = bound and year <= current and actual is None
        result = figures.achievement(
            target,
            actual,
            higher_is_better=indicator.direction == Indicator.Direction.HIGHER,
            threshold=indicator.plan.achieved_rate,
            override=row.override if row else "",
        )
        _start, end = japanese.fiscal_year_bounds(year)
        stale = bool(
            target is not None
            and actual is None
            and not indicator.metric_name
            and today - end > STALE_AFTER
        )
        rows.append(
            {
                "fiscal_year": year,
                "label": japanese.fiscal_year_label(year),
                "target": target,
                "actual": actual,
                "target_text": figures.with_unit(target, indicator.unit, indicator.decimals),
                "actual_text": figures.with_unit(actual, indicator.unit, indicator.decimals),
                "measured": measured,
                "no_data": no_data,
                "achievement": result,
                "rationale": row.rationale if row else "",
                "override_comment": row.override_comment if row else "",
                "entered_by": row.entered_by if row else None,
                "entered_at": row.entered_at if row else None,
                "stale": stale,
            }
        )
    return rows


def chart_points(
    rows: list[dict], *, until: int | None = None, for_page: bool = False
) -> list[dict]:
    """Target and actual per 年度 of ``indicator_rows``, as the charts take them; with ``until``
    (a report's 年度) the actuals of later years are left out, as the report's table leaves them.
    The years are named as a report prints them (R3年度), or ``for_page`` as the page's language
    reads them."""
    label = japanese.fiscal_year_display if for_page else japanese.fiscal_year_label
    return [
        {
            "label": label(row["fiscal_year"], style="short"),
            "target": float(row["target"]) if row["target"] is not None else None,
            "actual": float(row["actual"])
            if row["actual"] is not None and (until is None or row["fiscal_year"] <= until)
            else None,
        }
        for row in rows
    ]


def indicator_summaries(plan: Plan) -> list[dict]:
    """Per indicator of the plan: its rows per 年度, whether a figure is due, the conditions its
    metric still needs, its chart points."""
    summaries = []
    for indicator in plan.indicators.prefetch_related("years"):
        rows = indicator_rows(indicator)
        summaries.append(
            {
                "indicator": indicator,
                "rows": rows,
                "stale": any(row["stale"] for row in rows),
                "unset": unset_conditions(indicator),
                "points": chart_points(rows, for_page=True),
            }
        )
    return summaries
