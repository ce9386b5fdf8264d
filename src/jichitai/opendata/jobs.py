"""The background job kind of the open data catalog: regenerating the statistics datasets every
night (``opendata.refresh_statistics``)."""

from jichitai.jobs.registry import Schedule, job_kind, schedules
from jichitai.opendata import selectors, services


@job_kind("opendata.refresh_statistics")
def refresh_statistics(context, **arguments) -> dict:
    """Regenerates every dataset of counts from procedures; each in its own transaction, so an
    interrupted run continues with the rest."""
    datasets = list(selectors.statistics_datasets().select_related("source_procedure"))
    context.progress(0, len(datasets), "集計データセットを更新しています")
    for number, dataset in enumerate(datasets, start=1):
        services.refresh_statistics(dataset)
        context.progress(number, len(datasets))
    return {"refreshed": len(datasets)}


schedules.register(
    "opendata.refresh_statistics",
    Schedule(
        "opendata.refresh_statistics",
        "15 4 * * *",
        "opendata.refresh_statistics",
        "手続の集計データセットの更新",
    ),
)
