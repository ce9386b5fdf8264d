"""Live metrics: figures the platform computes for an organization and a 年度 (applications
received, procedures online, datasets published, hours saved …). Each module registers the metrics
it can compute; the plan/KPI module binds indicators to them. A metric whose module is not
installed is simply not registered, so it is not offered."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise

# A label or description: a lazily translated text, shown in the language of the page.
Text = str | Promise


@dataclass(frozen=True)
class MetricParameter:
    name: str
    label: Text
    # Returns [(value, label), …] for an organization, e.g. its procedures; None for free input.
    choices: Callable[..., list[tuple[str, str]]] | None = None
    required: bool = False


@dataclass(frozen=True)
class Metric:
    name: str
    label: Text
    unit: str
    # compute(organization, fiscal_year, **parameters) -> number, or None when not measurable; a
    # before/after metric (hours saved by automation) returns {"before", "after", …} instead.
    compute: Callable[..., Decimal | int | float | dict[str, Any] | None]
    parameters: tuple[MetricParameter, ...] = field(default_factory=tuple)
    description: Text = ""
    # since(organization, **parameters) -> the first day the platform holds data for the figure
    # (the first application, the first dataset published …), or None when it holds none yet. A
    # 年度 that ended before that day has no figure: "no data" is never reported as 0.
    since: Callable[..., date | None] | None = None
    # compute_many(organizations, fiscal_year, **parameters) -> {organization id: value} for many
    # organizations at once in a fixed number of queries (figures across a prefecture's 市町); an
    # organization left out has no figure. Without it, ``compute`` runs once per organization.
    compute_many: Callable[..., dict[int, Any]] | None = None


def compute_for_each(
    metric: Metric, organizations: Iterable[Any], fiscal_year: int, **parameters: Any
) -> dict[int, Any]:
    """``{organization id: value}`` of the metric for each organization, in one call of
    ``compute_many`` where the metric has it."""
    organizations = list(organizations)
    if metric.compute_many is not None:
        values = metric.compute_many(organizations, fiscal_year, **parameters)
        return {organization.pk: values.get(organization.pk) for organization in organizations}
    return {
        organization.pk: metric.compute(organization, fiscal_year, **parameters)
        for organization in organizations
    }
