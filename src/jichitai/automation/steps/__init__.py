"""The step library: one module per kind of work, each registering its steps into
``jichitai.automation.registry.steps`` when imported. Importing this package (as the app's
``ready()`` and the scenario schema do) loads them all."""

from jichitai.automation.registry import EXTERNAL, OUTPUT, READ, REMOTE, Step, steps
from jichitai.automation.steps import (  # noqa: F401  (each module registers its steps)
    browser,
    csv,
    excel,
    files,
    mail,
    net,
    pdf,
    platform,
    tables,
)

__all__ = ["EXTERNAL", "OUTPUT", "READ", "REMOTE", "Step", "steps"]
