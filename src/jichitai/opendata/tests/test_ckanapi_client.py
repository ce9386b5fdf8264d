"""The real ``ckanapi`` client against a live server: its Python API and its ``dump`` / ``load``
commands work with this catalog as they work with a CKAN site."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from ckanapi import NotAuthorized, NotFound, RemoteCKAN, ValidationError

from jichitai.accounts import services as accounts
from jichitai.opendata import services
from jichitai.opendata.models import Dataset
from jichitai.opendata.tests.factories import published
from jichitai.opendata.tests.helpers import aed_row, workbook_bytes
from jichitai.tenancy.models import Role

pytestmark = pytest.mark.django_db(transaction=True)


def token_for(user, role=Role.CLERK) -> str:
    return accounts.create_api_token(
        actor=None, membership=user.memberships.get(), name="ckanapi", role=role
    )[1]


def ckanapi_command(*arguments, cwd) -> subprocess.CompletedProcess:
    # ckanapi starts its worker processes as `ckanapi …`: it must be on the PATH.
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    # The command and its arguments are the test's own.
    return subprocess.run(  # noqa: S603
        [str(Path(bin_dir) / "ckanapi"), *arguments],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_python_client_searches_shows_and_writes(live_server, tsu, tsu_clerk, tmp_path):
    published(tsu, "tsu-aed", title="AED設置箇所一覧(津市)", tags=["AED"])
    # Each client closes its connections at the end, as a well-behaved harvester does.
    anonymous = RemoteCKAN(live_server.url, user_agent="jichitai-tests")
    writer = RemoteCKAN(live_server.url, apikey=token_for(tsu_clerk), user_agent="jichitai-tests")
    with anonymous, writer:
        _search_show_and_write(anonymous, writer, tmp_path)


def _search_show_and_write(anonymous, writer, tmp_path):

    assert anonymous.action.status_show()["ckan_version"].startswith("2.")
    found = anonymous.action.package_search(q="AED", fq="tags:AED", rows=10)
    assert [d["name"] for d in found["results"]] == ["tsu-aed"]
    with pytest.raises(NotFound):
        anonymous.action.package_show(id="missing")
    with pytest.raises(NotAuthorized):
        anonymous.action.package_create(name="x", title="x")

    writer.action.package_create(name="tsu-aed-2", title="AED(新)", private=True)
    upload = tmp_path / "aed.xlsx"
    upload.write_bytes(workbook_bytes([aed_row(1)], title="AED一覧"))
    with upload.open("rb") as handle:
        resource = writer.action.resource_create(
            package_id="tsu-aed-2", name="AED", standard_dataset="aed", upload=handle
        )
    assert resource["format"] == "XLSX"
    with pytest.raises(ValidationError) as error:
        writer.action.package_create(name="tsu-aed-2", title="dup")
    assert "name" in error.value.error_dict

    writer.action.package_patch(id="tsu-aed-2", private=False)
    shown = anonymous.action.package_show(id="tsu-aed-2")
    assert [r["format"] for r in shown["resources"]] == ["XLSX", "CSV"]


def test_dump_and_load_round_trip_restores_a_deleted_dataset(live_server, tsu, tsu_clerk, tmp_path):
    published(tsu, "tsu-aed", title="AED設置箇所一覧(津市)", tags=["AED", "救命"])
    published(tsu, "tsu-toilets", title="公衆トイレ一覧(津市)")
    token = token_for(tsu_clerk)

    dumped = ckanapi_command(
        "dump",
        "datasets",
        "--all",
        "-O",
        "datasets.jsonl",
        "-p",
        "1",
        "-r",
        live_server.url,
        cwd=tmp_path,
    )
    assert dumped.returncode == 0, dumped.stderr
    lines = (tmp_path / "datasets.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(line)["name"] for line in lines) == ["tsu-aed", "tsu-toilets"]

    with RemoteCKAN(live_server.url, apikey=token) as ckan:
        ckan.action.package_delete(id="tsu-aed")
    assert Dataset.objects.get(name="tsu-aed").deleted_at is not None

    loaded = ckanapi_command(
        "load",
        "datasets",
        "-I",
        "datasets.jsonl",
        "-p",
        "1",
        "-r",
        live_server.url,
        "-a",
        token,
        cwd=tmp_path,
    )
    assert loaded.returncode == 0, loaded.stderr
    assert "Error" not in loaded.stdout + loaded.stderr, loaded.stdout + loaded.stderr

    restored = Dataset.objects.get(name="tsu-aed")
    assert restored.deleted_at is None and not restored.private
    assert sorted(restored.tags.values_list("name", flat=True)) == ["AED", "救命"]
    assert restored.resources.count() == 1


def harvest_fq(*, include=(), exclude=(), groups_include=(), since=None) -> str:
    """The ``fq`` ckanext-harvest's CKAN harvester builds from its configuration
    (organizations_filter_include/exclude, groups_filter_include) and its last harvest."""
    terms = []
    if include:
        terms.append(" OR ".join(f"organization:{name}" for name in include))
    else:
        terms.extend(f"-organization:{name}" for name in exclude)
    if groups_include:
        terms.append(" OR ".join(f"groups:{name}" for name in groups_include))
    if since:
        terms.append(f"metadata_modified:[{since}Z TO *]")
    return " ".join(terms)


def harvested(client, fq: str) -> list[str]:
    """Pages through package_search as the harvester does (sort=id asc, 100 rows a page)."""
    found, start = [], 0
    while True:
        page = client.action.package_search(fq=fq, rows=100, start=start, sort="id asc")
        found += [d["name"] for d in page["results"]]
        start += 100
        if start >= page["count"]:
            return sorted(found)


def test_harvester_filters_give_the_right_sets(live_server, tsu, ise):
    published(tsu, "tsu-aed", title="AED設置箇所一覧(津市)")
    published(tsu, "tsu-old", title="公衆トイレ一覧(津市)")
    published(ise, "ise-aed", title="AED設置箇所一覧(伊勢市)")
    disaster = services.create_group(actor=None, name="bousai", title="防災")
    services.update_dataset(
        actor=None, dataset=Dataset.objects.get(name="tsu-aed"), groups=[disaster]
    )
    services.update_dataset(
        actor=None, dataset=Dataset.objects.get(name="ise-aed"), groups=[disaster]
    )
    Dataset.objects.filter(name="tsu-old").update(modified_at="2020-04-01T00:00:00+00:00")

    with RemoteCKAN(live_server.url, user_agent="ckanext-harvest-like") as client:
        assert harvested(client, harvest_fq(exclude=["242012"])) == ["ise-aed"]
        assert harvested(client, harvest_fq(exclude=["242039"])) == ["tsu-aed", "tsu-old"]
        assert harvested(client, harvest_fq(include=["242012", "242039"])) == [
            "ise-aed",
            "tsu-aed",
            "tsu-old",
        ]
        assert harvested(client, harvest_fq(groups_include=["bousai"])) == ["ise-aed", "tsu-aed"]
        assert harvested(client, harvest_fq(include=["242012"], since="2024-01-01T00:00:00")) == [
            "tsu-aed"
        ]
        assert harvested(client, harvest_fq(exclude=["242039"], since="2019-01-01T00:00:00")) == [
            "tsu-aed",
            "tsu-old",
        ]
        assert harvested(client, "metadata_modified:[* TO 2021-01-01T00:00:00Z]") == ["tsu-old"]

        listed = client.action.current_package_list_with_resources(limit=10)
        # Most recently changed first, each with its resources.
        assert [d["name"] for d in listed] == ["ise-aed", "tsu-aed", "tsu-old"]
        assert all(d["resources"] for d in listed)
        assert client.action.tag_list(vocabulary_id="x") == []
