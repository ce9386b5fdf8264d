"""Reads about the plans of a prefecture's 市町: which plans a 市町 may copy, and the counts the
prefecture sees (kept apart from ``selectors`` only for its length)."""

from django.db.models import QuerySet

from jichitai.pdca import selectors
from jichitai.pdca.models import Plan


def copyable_plans(organization) -> QuerySet[Plan]:
    """Plans whose structure ``organization`` may copy: its own and its prefecture's."""
    own = selectors.plans_of(organization)
    if organization.parent_id is None:
        return own
    return own | selectors.plans_of(organization.parent)


def overview(prefecture, fiscal_year: int) -> list[dict]:
    """Per 市町 of the prefecture: how many plans it runs and, over their indicators, how many
    met or missed their target in ``fiscal_year``, how many have no result yet and how many have a
    result but no target to judge it by (a copied plan measuring live before its targets are set)."""
    rows = []
    for municipality in prefecture.municipalities.filter(is_active=True).order_by("code"):
        plans = list(selectors.plans_of(municipality).prefetch_related("indicators__years"))
        achieved = missed = no_actual = no_target = 0
        for plan in plans:
            for indicator in plan.indicators.all():
                row = next(
                    (
                        row
                        for row in selectors.indicator_rows(indicator)
                        if row["fiscal_year"] == fiscal_year
                    ),
                    None,
                )
                status = row["achievement"].status if row else ""
                achieved += status == "achieved"
                missed += status == "missed"
                if not status:
                    has_actual = row is not None and row["actual"] is not None
                    no_target += has_actual
                    no_actual += not has_actual
        rows.append(
            {
                "municipality": municipality.name,
                "plans": len(plans),
                "achieved": achieved,
                "missed": missed,
                "no_actual": no_actual,
                "no_target": no_target,
            }
        )
    return rows


def overview_totals(rows: list[dict]) -> dict:
    """The overview's 合計 row, and how many 市町 have registered a plan at all."""
    counted = ("plans", "achieved", "missed", "no_actual", "no_target")
    return {
        **{key: sum(row[key] for row in rows) for key in counted},
        "with_plans": sum(1 for row in rows if row["plans"]),
        "municipalities": len(rows),
    }
