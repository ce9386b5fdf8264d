"""Tables other modules offer to be published as open data: each module registers what it can
compute for an organization (figures across a prefecture's 市町 …) in
``core.registry.published_tables``; the open data catalog keeps one dataset per table and
organization and regenerates its files every day, so the module computing the figures never
imports the catalog and the catalog knows nothing of what the figures mean."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class PublishedTable:
    # The registry name: the catalog finds the files it generated from it.
    name: str
    title: str
    notes: str
    # organizations() -> the organizations the table is published for (e.g. every prefecture with
    # municipalities).
    organizations: Callable[[], Iterable[Any]]
    # rows(organization, today) -> (header, rows): plain values only (text, numbers, "" for none).
    rows: Callable[[Any, date], tuple[list[str], list[list[Any]]]]
    # dataset_name(organization) -> the CKAN-style URL name of the organization's dataset.
    dataset_name: Callable[[Any], str]
    license_id: str = "CC-BY-4.0"
    tags: tuple[str, ...] = field(default_factory=tuple)
