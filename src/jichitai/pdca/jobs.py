"""The background job kinds of plans and KPIs: applying a checked workbook (``pdca.import``)."""

from jichitai.jobs.registry import job_kind
from jichitai.pdca.models import ImportBatch
from jichitai.pdca.services.workbook import apply_workbook


@job_kind("pdca.import")
def apply_import(context, *, batch_id: int) -> dict:
    """Applies the previewed changes in one transaction; run again after an interruption, it
    finds the batch applied or applies it whole."""
    return apply_workbook(batch=ImportBatch.objects.get(pk=batch_id), progress=context.progress)
