"""The open data module's plug-in families.

``actions``: the CKAN Action API, one ``CkanAction`` per action name; each action registers itself
with ``@ckan_action(name)`` in ``ckan/read.py`` or ``ckan/write.py``, and the endpoint
(``ckan.public_views``) runs whatever is registered. A writing action needs POST and runs in one
transaction.
``standard_datasets``: the 自治体標準オープンデータセット a resource may declare, registered by
``standards.load`` from the schemas in ``data/standards/``."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jichitai.core.registry import Registry

if TYPE_CHECKING:
    from jichitai.opendata.standards import StandardDataset


@dataclass(frozen=True)
class CkanAction:
    run: Callable  # run(context, data) -> result
    writes: bool

    @property
    def help(self) -> str:
        return (self.run.__doc__ or "").strip()


actions: Registry[CkanAction] = Registry("CKAN actions")
standard_datasets: "Registry[StandardDataset]" = Registry("standard open datasets")


def ckan_action(name: str, *, writes: bool = False):
    """Registers the decorated function as the CKAN action ``name``."""

    def register(function):
        actions.register(name, CkanAction(run=function, writes=writes))
        return function

    return register
