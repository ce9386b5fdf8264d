"""Demo data loaders. Each module registers a loader that adds its part of the demo (procedures,
datasets, plans …) on top of the organizations and staff the foundation loads first. Loaders must be
idempotent: ``jichitai demo`` may run on every ``make run``."""

from collections.abc import Callable
from dataclasses import dataclass

from jichitai.core.registry import Registry


@dataclass(frozen=True)
class DemoLoader:
    load: Callable[[], list[str]]  # returns lines to print (what was created)
    order: int = 100


demo_loaders: Registry[DemoLoader] = Registry("demo loaders")
