"""Reading YAML that comes from outside (scenarios written by staff, uploaded files): plain data only
(PyYAML's safe loader), no anchors or aliases, and bounded in size and nesting depth.

Aliases let a few hundred bytes stand for millions of values (an "alias bomb"); a definition
written by a person never needs them, so they are refused rather than counted. Every refusal is a
``YamlRefused`` with a Japanese message naming the line, for the person who wrote the text."""

from collections.abc import Callable
from typing import Any, TypeVar

import yaml

# A scenario or a settings file is a few kilobytes; this is far above any of them.
MAX_YAML_BYTES = 256 * 1024
# Nesting a person writes stays within a dozen levels; deeper input would exhaust the recursion of
# the composer before it could be refused.
MAX_YAML_DEPTH = 100


Read = TypeVar("Read")


class YamlRefused(ValueError):
    pass


class _PlainLoader(yaml.SafeLoader):
    """The safe loader, refusing anchors, aliases and nesting deeper than ``MAX_YAML_DEPTH``."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise YamlRefused(
                f"{event.start_mark.line + 1}行目: YAML の別名(アンカー「&」・エイリアス「*」)は"
                "使えません。値をそれぞれの場所に書いてください。"
            )
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise YamlRefused(
                    f"{event.start_mark.line + 1}行目: YAML の入れ子が深すぎます"
                    f"(上限 {MAX_YAML_DEPTH} 段)。"
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _checked_size(source: str, max_bytes: int) -> str:
    size = len(source.encode("utf-8"))
    if size > max_bytes:
        raise YamlRefused(
            f"YAML が大きすぎます({size // 1024:,} KB、上限 {max_bytes // 1024:,} KB)。"
        )
    return source


def _read(source: str, max_bytes: int, read: Callable[[_PlainLoader], Read]) -> Read:
    try:
        # The reader checks every character as it is built: a control character refuses here.
        loader = _PlainLoader(_checked_size(source, max_bytes))
    except yaml.reader.ReaderError as error:
        line = source.count("\n", 0, error.position) + 1
        raise YamlRefused(
            f"{line}行目: YAML に使えない文字(U+{error.character:04X})が含まれています。"
            "消すか、ふつうの文字に書き換えてください。"
        ) from None
    try:
        return read(loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{mark.line + 1}行目: " if mark else ""
        raise YamlRefused(
            f"{where}YAML として読めません({getattr(error, 'problem', None) or error})。"
        ) from None
    finally:
        loader.dispose()


def load_yaml(source: str, *, max_bytes: int = MAX_YAML_BYTES) -> Any:
    """The data of a YAML document (dicts keep the order of the text). Raises ``YamlRefused``."""
    return _read(source, max_bytes, lambda loader: loader.get_single_data())


def compose_yaml(source: str, *, max_bytes: int = MAX_YAML_BYTES) -> yaml.Node | None:
    """The node tree of a YAML document, with the line of every value. Raises ``YamlRefused``."""
    return _read(source, max_bytes, lambda loader: loader.get_single_node())
