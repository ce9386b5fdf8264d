"""A table in the older 推奨データセット layout rewritten in the current layout: the current columns
in their order, each value moved under its current name (``diagnoses.LEGACY_TO_CURRENT``, or the same
name), current columns with no older counterpart left empty, and the older columns that have no place
in the current layout named so the clerk can see what is not carried over."""

from dataclasses import dataclass

from jichitai.opendata.diagnoses import LEGACY_TO_CURRENT
from jichitai.opendata.standards import Layout, normalize_name
from jichitai.opendata.tabular import Table

_MAPPING = {normalize_name(old): normalize_name(new) for old, new in LEGACY_TO_CURRENT.items()}


@dataclass(frozen=True)
class Converted:
    table: Table
    # (older column as written in the file, current column) for each column that changed name.
    renamed: list[tuple[str, str]]
    # Older columns with no current counterpart: not in the converted table.
    left_out: list[str]
    # Current columns no older column fills: empty in the converted table.
    empty: list[str]


def convert(table: Table, current: Layout) -> Converted:
    current_names = [field["name"] for field in current.fields]
    position = {normalize_name(name): index for index, name in enumerate(current_names)}
    sources: dict[int, int] = {}  # current column → the file's column giving its values
    names = [normalize_name(name) for name in table.header]
    # A column the current layout still has keeps its name (市区町村コード of an evacuation list);
    # then the mapping fills the current columns not filled yet, so a value may land in both.
    for column, plain in enumerate(names):
        if plain in position and position[plain] not in sources:
            sources[position[plain]] = column
    renamed = []
    for column, plain in enumerate(names):
        target = position.get(_MAPPING.get(plain, plain))
        if target is not None and target not in sources:
            sources[target] = column
            renamed.append((table.header[column], current_names[target]))
    used = set(sources.values())
    left_out = [name for column, name in enumerate(table.header) if column not in used]
    rows = [
        [row[sources[index]] if index in sources else "" for index in range(len(current_names))]
        for row in table.rows
    ]
    converted = Table(
        header=current_names,
        rows=rows,
        source_rows=list(range(2, len(rows) + 2)),
        encoding="utf-8",
    )
    empty = [name for index, name in enumerate(current_names) if index not in sources]
    return Converted(table=converted, renamed=renamed, left_out=left_out, empty=empty)
