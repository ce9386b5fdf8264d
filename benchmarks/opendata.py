"""make bench-opendata: the CKAN API of a catalog of 10,000 and of 100,000 datasets on PostgreSQL,
over HTTP.

Loads generated datasets (30 organizations, Japanese titles and descriptions, tags, groups, one to
three resources each), serves the production settings with gunicorn and drives package_show and
package_search with wrk from a separate process: once with one connection (the latency a single
client sees) and once with many (throughput). Prints requests/s and p50/p95/p99 latency per case.
Target: package_search p95 < 50 ms with one client, with and without 5 facets, at each size.
``--sizes 10000`` runs one size only. The workers keep counts and dictionaries in one Redis
cache they share, as production does (``--cache URL``, cleared first; ``locmemcache://`` gives
each worker its own). Loading 100,000 datasets takes minutes: ``--database NAME``
(with one size) loads the catalog into the database NAME if it does not exist yet, reuses it if it
does (migrating it to the current code), and keeps it afterwards; drop it with
``psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE NAME'``. ``benchmarks/opendata_queries.py
--database NAME`` times the search itself per kind of query on such a database, inside one process.
"""

import argparse
import contextlib
import importlib
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse

from loopback import BIN, environment, minimal_document_rates, psql, run_wrk_get, start_gunicorn

TOPICS = [
    "AED設置箇所一覧",
    "指定緊急避難場所一覧",
    "公衆トイレ一覧",
    "観光施設一覧",
    "子育て施設一覧",
    "文化財一覧",
    "医療機関一覧",
    "地域・年齢別人口",
    "イベント一覧",
    "公共施設一覧",
    "公衆無線LANアクセスポイント一覧",
    "消防水利施設一覧",
    "介護サービス事業所一覧",
    "ごみ収集日程",
    "道路工事情報",
    "図書館蔵書統計",
    "水道使用量",
    "住民基本台帳人口",
    "議会会議録",
    "防災行政無線",
]
TAGS = [
    "防災",
    "AED",
    "避難所",
    "観光",
    "子育て",
    "福祉",
    "医療",
    "人口",
    "統計",
    "イベント",
    "施設",
    "トイレ",
    "Wi-Fi",
    "環境",
    "ごみ",
    "道路",
    "教育",
    "文化",
    "議会",
    "水道",
]
GROUPS = [
    ("disaster-prevention", "防災・安全"),
    ("health-welfare", "健康・福祉"),
    ("tourism-culture", "観光・文化"),
    ("facilities", "公共施設"),
    ("administration", "行政・統計"),
]
FORMATS = ["CSV", "XLSX", "PDF", "JSON", "GeoJSON"]
FACETS = ["organization", "tags", "res_format", "groups", "license_id"]
# The floor measured beside the API: one cached JSON document (benchmarks/minimal_site.py).
MINIMAL = "minimal: one cached JSON"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def load_catalog(count: int, seed: int) -> list[str]:
    """Creates the organizations and ``count`` published datasets in bulk; returns their names."""
    import django

    django.setup()
    from django.utils import timezone

    from jichitai.core.japanese import local_government_code_check_digit
    from jichitai.opendata.models import Dataset, Group, Resource, Tag
    from jichitai.opendata.selectors import normalize_search
    from jichitai.tenancy.models import Organization

    rng = random.Random(seed)
    prefecture = Organization.objects.create(
        code="240001", name="三重県", name_kana="みえけん", kind="prefecture"
    )
    organizations = [prefecture]
    for number in range(1, 30):
        first_five = f"24{200 + number:03d}"
        organizations.append(
            Organization.objects.create(
                code=first_five + local_government_code_check_digit(first_five),
                name=f"市町{number:02d}",
                name_kana="しちょう",
                kind="city",
                parent=prefecture,
            )
        )
    tags = [Tag.objects.create(name=name) for name in TAGS]
    groups = [Group.objects.create(name=name, title=title) for name, title in GROUPS]
    now = timezone.now()
    datasets, names = [], []
    for number in range(count):
        organization = organizations[number % len(organizations)]
        topic = rng.choice(TOPICS)
        name = f"ds-{organization.code}-{number:05d}"
        title = f"{organization.name} {topic}(令和{rng.randint(1, 8)}年度)"
        notes = f"{organization.name}が公開する{topic}です。{rng.choice(TAGS)}に関するデータを含みます。"
        datasets.append(
            Dataset(
                organization=organization,
                name=name,
                title=title,
                notes=notes,
                private=False,
                first_published_at=now,
                search_text=normalize_search(f"{name} {title} {notes} {organization.name}"),
                search_title=normalize_search(title),
            )
        )
        names.append(name)
    Dataset.objects.bulk_create(datasets, batch_size=1000)
    datasets = list(Dataset.objects.order_by("pk"))
    tag_links, group_links, resources = [], [], []
    for dataset in datasets:
        for tag in rng.sample(tags, 3):
            tag_links.append(Dataset.tags.through(dataset_id=dataset.pk, tag_id=tag.pk))
        group_links.append(
            Dataset.groups.through(dataset_id=dataset.pk, group_id=rng.choice(groups).pk)
        )
        for position in range(rng.randint(1, 3)):
            file_format = rng.choice(FORMATS)
            resources.append(
                Resource(
                    organization_id=dataset.organization_id,
                    dataset=dataset,
                    name=f"{dataset.title} {file_format}",
                    format=file_format,
                    url=f"https://example.jp/{dataset.name}/{position}.{file_format.lower()}",
                    position=position,
                )
            )
    Dataset.tags.through.objects.bulk_create(tag_links, batch_size=5000)
    Dataset.groups.through.objects.bulk_create(group_links, batch_size=5000)
    Resource.objects.bulk_create(resources, batch_size=5000)
    return names


def loaded_names(count: int) -> list[str]:
    """The dataset names of a catalog loaded earlier (``--database``), checked to be of ``count``."""
    import django

    django.setup()
    from jichitai.opendata.models import Dataset

    names = list(Dataset.objects.order_by("pk").values_list("name", flat=True))
    if len(names) != count:
        raise SystemExit(f"the database holds {len(names):,} datasets, not {count:,}")
    return names


@contextlib.contextmanager
def key_numbers_filled_at_the_end():
    """Loads with the trigger that numbers each dataset's search keys switched off, then numbers
    them all in two statements (migration 0006's own fill): row by row, 100,000 inserts and
    200,000 updates would each look up a hundred keys."""
    import django

    django.setup()
    from django.db import connection

    fill = importlib.import_module("jichitai.opendata.migrations.0006_catalog_version_title_keys")
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE opendata_dataset DISABLE TRIGGER opendata_dataset_key_ids")
    yield
    with connection.cursor() as cursor:
        cursor.execute(fill.FILL_KEYS)
        cursor.execute(fill.FILL_IDS)
        cursor.execute("ALTER TABLE opendata_dataset ENABLE TRIGGER opendata_dataset_key_ids")
        # Loading writes each dataset row three times (insert, search text, key numbers): a
        # catalog written by the services holds one version of each, so the table is compacted
        # to the size it has in use (a third), which is what a search then reads.
        cursor.execute("VACUUM FULL opendata_dataset")
        cursor.execute("VACUUM ANALYZE")


def refresh_search_text() -> None:
    """Adds tags and resource names to the search text and writes the search keys, as the
    services keep them (``opendata.search_index.keys_of``)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE opendata_dataset d SET search_text = d.search_text || ' ' || lower(extra.text)
            FROM (
              SELECT d2.id, string_agg(t.name, ' ') || ' ' ||
                     coalesce((SELECT string_agg(r.name, ' ') FROM opendata_resource r
                               WHERE r.dataset_id = d2.id), '') AS text
              FROM opendata_dataset d2
              JOIN opendata_dataset_tags dt ON dt.dataset_id = d2.id
              JOIN opendata_tag t ON t.id = dt.tag_id
              GROUP BY d2.id
            ) extra
            WHERE extra.id = d.id
            """
        )
        cursor.execute(
            r"""
            UPDATE opendata_dataset d SET search_keys = array_to_string(ARRAY(
              SELECT DISTINCT k FROM unnest(
                ARRAY['organization' || E'\t' || d.organization_id,
                      'license_id' || E'\t' || encode(convert_to(d.license_id, 'UTF8'), 'hex')]
                || ARRAY(SELECT 'tags' || E'\t' || x.tag_id FROM opendata_dataset_tags x
                         WHERE x.dataset_id = d.id)
                || ARRAY(SELECT 'groups' || E'\t' || x.group_id FROM opendata_dataset_groups x
                         WHERE x.dataset_id = d.id)
                || ARRAY(SELECT 'res_format' || E'\t' || encode(convert_to(r.format, 'UTF8'), 'hex')
                         FROM opendata_resource r WHERE r.dataset_id = d.id AND r.format <> '')
                || ARRAY(SELECT 'res_format_upper' || E'\t'
                                || encode(convert_to(upper(r.format), 'UTF8'), 'hex')
                         FROM opendata_resource r WHERE r.dataset_id = d.id AND r.format <> '')
              ) AS k ORDER BY k), E'\n')
            """
        )


def search_paths(rng: random.Random, count: int, *, codes: list[str], facets: bool) -> list[str]:
    paths = []
    for _ in range(count):
        params = {"rows": "10"}
        kind = rng.randrange(4)
        if kind == 0:
            params["q"] = rng.choice(TOPICS)[:4]
        elif kind == 1:
            params["q"] = rng.choice(TAGS)
            params["fq"] = f"organization:{rng.choice(codes)}"
        elif kind == 2:
            params["fq"] = f"tags:{rng.choice(TAGS)} res_format:{rng.choice(FORMATS)}"
        else:
            params["q"] = "一覧"
            params["sort"] = "metadata_modified desc"
            params["start"] = str(rng.randrange(0, 200))
        if facets:
            params["facet.field"] = json.dumps(FACETS)
        paths.append("/api/3/action/package_search?" + urllib.parse.urlencode(params))
    return paths


def measure(count: int, options) -> list[tuple[str, int, dict]]:
    """Loads a catalog of ``count`` datasets into a database of its own and runs every case."""
    kept = options.database is not None
    database = options.database or f"jichitai_bench_opendata_{os.getpid()}_{count}"
    # The name was checked to be a plain identifier (database_name).
    loaded = kept and psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}'") == "1"  # noqa: S608
    if not loaded:
        psql(f"CREATE DATABASE {database}")
    server = None
    results = []
    try:
        env = environment(database, CACHE_URL=options.cache)
        subprocess.run([BIN / "jichitai", "migrate", "-v0"], env=env, check=True)
        os.environ.update(env)
        if loaded:
            names = loaded_names(count)
        else:
            started = time.perf_counter()
            with key_numbers_filled_at_the_end():
                names = load_catalog(count, seed=2026)
                refresh_search_text()
            # Each bulk statement runs the change log's triggers once (migration 0009), not per row.
            print(f"loaded {count:,} datasets in {time.perf_counter() - started:.0f} s", flush=True)
        from django.core.cache import cache

        from jichitai.tenancy.models import Organization

        # Nothing kept by an earlier run is served (a shared cache outlives the server).
        cache.clear()
        codes = list(Organization.objects.values_list("code", flat=True))
        rng = random.Random(7)
        show = [f"/api/3/action/package_show?id={rng.choice(names)}" for _ in range(500)]
        search = search_paths(rng, 500, codes=codes, facets=False)
        faceted = search_paths(rng, 500, codes=codes, facets=True)

        server = start_gunicorn(env, options.port, options.workers)
        # Warm up the workers' database connections. The catalog's facet matrix was read once by
        # gunicorn's master before it forked (core.serving), so no faceted search waits for it.
        run_wrk_get(show[:50] + search[:50], options.port, 3, 4)
        for label, paths in (
            ("package_show", show),
            ("package_search", search),
            ("package_search + 5 facets", faceted),
        ):
            for connections in (1, options.connections):
                result = run_wrk_get(paths, options.port, options.seconds, connections)
                # The machine may be shared: the 1-minute load average beside each figure.
                result["load"] = os.getloadavg()[0]
                results.append((label, connections, result))
        # The floor is served on a free port while this server still holds the document.
        for connections, result in minimal_document_rates(
            env,
            options.port,
            options.workers,
            show[0],
            options.seconds,
            [1, options.connections],
            serve_port=free_port(),
        ):
            results.append((MINIMAL, connections, result))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        from django.db import connections as django_connections

        django_connections.close_all()
        if not kept:
            psql(f"DROP DATABASE IF EXISTS {database}")
    return results


def print_table(count: int, options, results) -> bool:
    """Prints one size's table; returns whether any request failed."""
    print(
        f"\nbench-opendata: {count:,} datasets, PostgreSQL, gunicorn {options.workers} workers, "
        f"wrk {options.seconds} s per case, {os.cpu_count()} CPUs, "
        f"cache {options.cache}\n"
    )
    print(
        f"| {'action':<26} | {'conns':>5} | {'req/s':>8} | {'p50 ms':>7} | {'p95 ms':>7} | {'p99 ms':>7} | {'errors':>6} | {'load':>5} |"
    )
    print(f"|{'-' * 28}|{'-' * 7}|{'-' * 10}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 8}|{'-' * 7}|")
    failed = False
    for label, connections, result in results:
        errors = result["non_2xx"] + result["socket_errors"]
        failed |= errors > 0
        rate = result["requests"] / result["seconds"]
        load = f"{result['load']:.1f}" if "load" in result else ""
        print(
            f"| {label:<26} | {connections:>5} | {rate:>8,.0f} | {result['p50_ms']:>7.1f} | "
            f"{result['p95_ms']:>7.1f} | {result['p99_ms']:>7.1f} | {errors:>6} | {load:>5} |"
        )
    for label in ("package_search", "package_search + 5 facets"):
        p95 = next(r["p95_ms"] for name, c, r in results if name == label and c == 1)
        print(f"{label} p95 with one client at {count:,}: {p95:.1f} ms (target < 50 ms)")
    rates = {(label, c): r["requests"] / r["seconds"] for label, c, r in results}
    for connections in (1, options.connections):
        floor = rates[(MINIMAL, connections)]
        print(
            f"ratio to the minimal endpoint ({connections} conns): "
            + ", ".join(
                f"{label} {rates[(label, connections)] / floor:.2f}"
                for label in ("package_show", "package_search")
            )
        )
    return failed


def database_name(text: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", text):
        raise argparse.ArgumentTypeError("lower-case letters, digits and _ only")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000", help="catalog sizes, comma-separated")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument(
        "--database",
        type=database_name,
        help="load into this database if it does not exist, else reuse it; kept afterwards",
    )
    parser.add_argument(
        "--cache",
        default="rediscache://127.0.0.1:6379/9",
        help="the servers' CACHE_URL, cleared first (default: a Redis database the workers "
        "share, as production's cache is; locmemcache:// gives each worker its own)",
    )
    options = parser.parse_args()
    for tool in ("wrk", "psql"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed (Debian packages wrk, postgresql-client)")
    sizes = options.sizes.split(",")
    if options.database and len(sizes) > 1:
        raise SystemExit("--database holds one catalog: give one size with --sizes")
    if len(sizes) > 1:
        # Django is set up once per process, on one database: each size runs in a process of its own.
        failed = False
        for size in sizes:
            arguments = [*sys.argv[1:], "--sizes", size]
            failed |= (
                subprocess.run([sys.executable, __file__, *arguments], check=False).returncode != 0
            )
        if failed:
            sys.exit("some requests failed")
        return
    count = int(sizes[0])
    if print_table(count, options, measure(count, options)):
        sys.exit("some requests failed")


if __name__ == "__main__":
    main()
