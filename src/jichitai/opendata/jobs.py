"""The background job kinds of the open data catalog: regenerating the statistics datasets every
night (``opendata.refresh_statistics``) and the datasets of the tables other modules offer
(``opendata.refresh_published_tables``)."""

from jichitai.core.registry import published_tables
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


@job_kind("opendata.refresh_published_tables")
def refresh_published_tables(context, **arguments) -> dict:
    """Regenerates the dataset of every registered table for every organization it is published
    for; each in its own transaction, so an interrupted run continues with the rest."""
    work = [
        (table, organization)
        for _name, table in published_tables.items()
        for organization in table.organizations()
    ]
    context.progress(0, len(work), "公開用の表のデータセットを更新しています")
    for number, (table, organization) in enumerate(work, start=1):
        services.refresh_published_table(table=table, organization=organization)
        context.progress(number, len(work))
    return {"refreshed": len(work)}


schedules.register(
    "opendata.refresh_published_tables",
    Schedule(
        "opendata.refresh_published_tables",
        "30 4 * * *",
        "opendata.refresh_published_tables",
        "公開用の表(県内市町の指標など)のデータセットの更新",
    ),
)
