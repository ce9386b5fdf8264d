"""Writes to the open data catalog. Each function is one user action in one transaction with its
audit entry; a refused action raises ``ValidationError`` with the field it concerns and writes
nothing (files included). Datasets in ``datasets.py``, resources and their files in
``resources.py`` (their conversion to the current layout of a standard dataset in
``conversions.py``), groups in ``groups.py``, statistics datasets from procedures in ``statistics.py``, datasets of
the tables other modules offer (``core.registry.published_tables``) in ``published_tables.py``."""

from jichitai.opendata.services.conversions import convert_to_current_layout
from jichitai.opendata.services.datasets import (
    create_dataset,
    delete_dataset,
    publication_problems,
    publish_dataset,
    restore_dataset,
    unpublish_dataset,
    update_dataset,
)
from jichitai.opendata.services.groups import create_group
from jichitai.opendata.services.published_tables import refresh_published_table
from jichitai.opendata.services.resources import (
    add_resource,
    delete_resource,
    record_download,
    replace_resource_file,
    update_resource,
)
from jichitai.opendata.services.statistics import create_statistics_dataset, refresh_statistics

__all__ = [
    "add_resource",
    "convert_to_current_layout",
    "create_dataset",
    "create_group",
    "create_statistics_dataset",
    "delete_dataset",
    "delete_resource",
    "publication_problems",
    "publish_dataset",
    "record_download",
    "refresh_published_table",
    "refresh_statistics",
    "replace_resource_file",
    "restore_dataset",
    "unpublish_dataset",
    "update_dataset",
    "update_resource",
]
