"""The automation module's plug-in registries: ``steps`` (every action a scenario can take; the
step modules in ``automation/steps/`` register themselves into it) and ``scenarios`` (scenarios
shipped with the platform and by other apps).

A step declares the JSON Schema of its parameters (the ``with:`` of a YAML step; the scenario
schema is built from these) and its effect, which decides what a plan (dry-run) does with it:

- ``read``: reads the run's inputs or the platform's data; executed in a plan too;
- ``output``: writes files of the run (workbooks, PDFs); described in a plan, not written;
- ``remote``: reads from a target system (browser, HTTP GET); described in a plan;
- ``external``: writes to another system (form submission, e-mail, HTTP POST); described in a
  plan; in production the item is marked before the first one (idempotency).

A scenario is registered under its name with its YAML definition, which staff can add to their
organization and change as a new version.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jichitai.core.registry import Registry

READ, OUTPUT, REMOTE, EXTERNAL = "read", "output", "remote", "external"


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    function: Callable[..., Any]
    schema: dict
    effect: str | Callable[[dict], str] = READ
    describe: Callable[[dict], str] | None = None
    required: tuple[str, ...] = field(default_factory=tuple)
    # Parameters passed as written, without placeholders resolved (an HTML template's own {{ }}).
    raw: tuple[str, ...] = field(default_factory=tuple)

    def effect_for(self, params: dict) -> str:
        return self.effect(params) if callable(self.effect) else self.effect

    def description(self, params: dict) -> str:
        if self.describe is not None:
            return self.describe(params)
        shown = ", ".join(f"{key}={_short(value)}" for key, value in params.items())
        return f"{self.label}: {shown}"


steps: Registry[Step] = Registry("automation steps")


def _short(value) -> str:
    if isinstance(value, list):
        return f"{len(value)} 件"
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


PLACEHOLDER = {"type": "string", "pattern": r"^\s*\{\{[^{}]+\}\}\s*$"}


def templatable(schema: dict) -> dict:
    """Lets a value that is only a ``{{ placeholder }}`` stand where any other type is expected."""
    if not schema:
        return schema
    schema = dict(schema)
    if "items" in schema and isinstance(schema["items"], dict):
        schema["items"] = templatable(schema["items"])
    if isinstance(schema.get("additionalProperties"), dict):
        schema["additionalProperties"] = templatable(schema["additionalProperties"])
    if schema.get("type") == "string" and "enum" not in schema:
        return schema
    return {"anyOf": [schema, PLACEHOLDER]}


def step(name, label, *, properties, required=(), effect=READ, describe=None, raw=()):
    schema = {
        "type": "object",
        "properties": {key: templatable(value) for key, value in properties.items()},
        "required": list(required),
        "additionalProperties": False,
    }

    def register(function):
        steps.register(
            name,
            Step(
                name=name,
                label=label,
                function=function,
                schema=schema,
                effect=effect,
                describe=describe,
                required=tuple(required),
                raw=tuple(raw),
            ),
        )
        return function

    return register


STRING = {"type": "string"}
STRINGS = {"type": "array", "items": {"type": "string"}}
ANY = {}


# --- Shipped scenarios -----------------------------------------------------------------------


@dataclass(frozen=True)
class ShippedScenario:
    name: str
    path: Path

    @property
    def source(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def title(self) -> str:
        from jichitai.core.safe_yaml import load_yaml

        return load_yaml(self.source).get("title", self.name)


scenarios: Registry[ShippedScenario] = Registry("automation scenarios")

SHIPPED = Path(__file__).parent / "scenarios"
for _path in sorted(SHIPPED.glob("*.yaml")):
    scenarios.register(_path.stem, ShippedScenario(_path.stem, _path))
