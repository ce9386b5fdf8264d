"""Scenarios shipped with the platform (and by other apps): each is registered under its name with
its YAML definition, which staff can add to their organization and change as a new version."""

from dataclasses import dataclass
from pathlib import Path

from jichitai.core.registry import Registry


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
