"""The catalog search's own time per kind of query, inside one process (no HTTP, no counts kept in
the cache): the median and p95 of ``selectors.search`` for each kind ``make bench-opendata`` sends,
with and without its 5 facets. On a shared machine the HTTP figures move with the load; run this
against two databases one after the other (two versions of the code, or before and after a change)
for figures that compare.

    .venv/bin/python benchmarks/opendata_queries.py --database NAME [--repeat 11]

NAME is a catalog loaded by ``benchmarks/opendata.py --database NAME``. With ``--after-write``
the counts are kept in an in-process cache and each query is timed just after one dataset's tags
were changed (the kept counts brought up to date from the change log) and counted afresh, whose
count must be the same. It writes to the catalog.
"""

import argparse
import os
import random
import statistics
import time

from loopback import environment
from opendata import FORMATS, TAGS, TOPICS, database_name

FACETS = ("organization", "tags", "res_format", "groups", "license_id")
KINDS = ("4-character word", "tag word + organization", "tag + format", "一覧, newest first")


def query(kind: str, rng: random.Random, codes: list[str]):
    """One query of ``kind``, read from CKAN's q and fq as package_search reads them."""
    from jichitai.opendata import ckan_query, selectors

    search = selectors.SearchQuery(rows=10)
    q = fq = None
    if kind == KINDS[0]:
        q = rng.choice(TOPICS)[:4]
    elif kind == KINDS[1]:
        q, fq = rng.choice(TAGS), f"organization:{rng.choice(codes)}"
    elif kind == KINDS[2]:
        fq = f"tags:{rng.choice(TAGS)} res_format:{rng.choice(FORMATS)}"
    else:
        q, search.sort, search.start = "一覧", "metadata_modified desc", rng.randrange(0, 200)
    words = ckan_query.read_query(q, parameter="q", query=search)
    ckan_query.read_query(fq, parameter="fq", query=search, ranks=False)
    search.text = " ".join(words)
    return search


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", type=database_name, required=True)
    parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument("--after-write", action="store_true")
    options = parser.parse_args()
    cache_url = "locmemcache://queries" if options.after_write else "dummycache://"
    os.environ.update(environment(options.database, CACHE_URL=cache_url))
    import django

    django.setup()
    if options.after_write:
        after_write(options.repeat)
        return
    from jichitai.opendata import selectors
    from jichitai.tenancy.models import Organization

    codes = list(Organization.objects.values_list("code", flat=True))
    rng = random.Random(7)
    warm_up()
    print(f"| {'query':<24} | facets | median ms | p95 ms | matched |")
    print(f"|{'-' * 26}|--------|-----------|--------|---------|")
    for facets in (False, True):
        for kind in KINDS:
            times, count = [], 0
            for _ in range(options.repeat):
                search = query(kind, rng, codes)
                search.facet_fields = FACETS if facets else ()
                started = time.perf_counter()
                count = selectors.search(search, visible=selectors.public_datasets()).count
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            p95 = times[round(0.95 * (len(times) - 1))]
            print(
                f"| {kind:<24} | {'5' if facets else '0':>6} | {statistics.median(times):>9.1f} "
                f"| {p95:>6.1f} | {count:>7,} |"
            )
    print(f"load average (1 min): {os.getloadavg()[0]:.1f}")


def warm_up() -> None:
    """A faceted search that matches nothing: the process reads what it holds for every search
    (the facet matrix, opendata.facet_matrix) before the timings, as a serving worker has."""
    from jichitai.opendata import selectors

    search = selectors.SearchQuery(names=["warm-up"], facet_fields=FACETS)
    selectors.search(search, visible=selectors.public_datasets())


def _timed(search) -> tuple[float, int]:
    from jichitai.opendata import selectors

    started = time.perf_counter()
    count = selectors.search(search, visible=selectors.public_datasets()).count
    return (time.perf_counter() - started) * 1000, count


def after_write(repeat: int) -> None:
    """Each kind with its 5 facets: the search just after one write, and counted afresh."""
    from django.core.cache import cache

    from jichitai.opendata import services
    from jichitai.opendata.models import Dataset
    from jichitai.tenancy.models import Organization

    codes = list(Organization.objects.values_list("code", flat=True))
    warm_up()
    written = list(Dataset.objects.filter(private=False).order_by("pk")[:repeat])
    rng = random.Random(7)
    print(
        f"| {'query':<24} | kept ms (median, p95) | after 1 write ms (median, p95) "
        "| afresh ms (median, p95) | matched |"
    )
    print(
        f"|{'-' * 26}|-----------------------|--------------------------------|{'-' * 25}|{'-' * 9}|"
    )
    for kind in KINDS:
        kept, after, afresh, count = [], [], [], 0
        for dataset in written:
            search = query(kind, rng, codes)
            search.facet_fields = FACETS
            _timed(search)  # the counts kept for this version
            kept.append(_timed(search)[0])
            services.update_dataset(actor=None, dataset=dataset, tags=rng.sample(TAGS, 2))
            elapsed, count = _timed(search)
            after.append(elapsed)
            cache.clear()
            elapsed, recounted = _timed(search)
            afresh.append(elapsed)
            if recounted != count:
                raise AssertionError(f"{kind}: {count} after the write, {recounted} afresh")
        for times in (kept, after, afresh):
            times.sort()

        def figures(times: list[float]) -> str:
            p95 = times[round(0.95 * (len(times) - 1))]
            return f"{statistics.median(times):.1f}, {p95:.1f}"

        print(
            f"| {kind:<24} | {figures(kept):>21} | {figures(after):>30} "
            f"| {figures(afresh):>23} | {count:>7,} |"
        )
    print(f"load average (1 min): {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
