from jichitai.pdca.models import ImportBatch, ReportSnapshot
from jichitai.pdca.tests.factories import plan_with_action
from jichitai.tenancy.tests.isolation import object_kwargs


def _plan(organization):
    return plan_with_action(organization).pk


object_kwargs.register("plan_id", _plan)
object_kwargs.register(
    "indicator_id", lambda organization: plan_with_action(organization).indicators.first().pk
)
object_kwargs.register(
    "action_id", lambda organization: plan_with_action(organization).actions.first().pk
)
object_kwargs.register(
    "snapshot_id",
    lambda organization: (
        ReportSnapshot.objects.create(
            plan=plan_with_action(organization), kind="evaluation", fiscal_year=2026, data={}
        ).pk
    ),
)
object_kwargs.register(
    "import_id",
    lambda organization: (
        ImportBatch.objects.create(
            organization=organization, plan=plan_with_action(organization), file_name="x.xlsx"
        ).pk
    ),
)
object_kwargs.register("fiscal_year", lambda organization: 2026)
object_kwargs.register("fmt", lambda organization: "pdf")
object_kwargs.register("part", lambda organization: "indicator")
object_kwargs.register(
    "element_id", lambda organization: plan_with_action(organization).indicators.first().pk
)
