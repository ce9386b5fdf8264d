"""The background job kinds of plans and KPIs: applying a checked workbook (``pdca.import``)."""

from django.db import transaction

from jichitai.audit import services as audit
from jichitai.jobs.registry import job_kind
from jichitai.pdca.models import Action, ActionYear, ImportBatch


@job_kind("pdca.import")
def apply_import(context, *, batch_id: int) -> dict:
    """Applies the confirmed rows, one action per transaction; a row already applied is applied
    again to the same result, so an interrupted import simply runs again."""
    batch = ImportBatch.objects.select_related("plan", "created_by").get(pk=batch_id)
    plan = batch.plan
    nodes = {node.number: node for node in plan.nodes.filter(parent__isnull=True)}
    total = len(batch.rows)
    context.progress(0, total, "取組を反映しています")
    created = updated = 0
    for done, row in enumerate(batch.rows, start=1):
        with transaction.atomic():
            action, was_created = Action.objects.update_or_create(
                plan=plan,
                number=row["number"],
                defaults={
                    "node": nodes[row["node"]],
                    "category": row["category"],
                    "policies": row["policies"],
                    "title": row["title"],
                    "division_name": row["division"],
                },
            )
            created += was_created
            updated += not was_created
            for year, value in row["years"].items():
                ActionYear.objects.update_or_create(
                    action=action,
                    fiscal_year=int(year),
                    defaults={
                        "schedule": value["schedule"],
                        "status_text": value["status"],
                        "updated_by": batch.created_by,
                    },
                )
        context.progress(done)
    batch.status = ImportBatch.Status.APPLIED
    batch.save(update_fields=["status"])
    audit.record(
        action="pdca.workbook.imported",
        actor=batch.created_by,
        organization=plan.organization,
        target=plan,
        summary=f"{batch.file_name}: 追加 {created} 件、更新 {updated} 件",
    )
    return {"created": created, "updated": updated}
