"""Repeating groups (XLSForm ``begin repeat``): a group of child fields a resident answers
``min_repeat`` to ``max_repeat`` times, e.g. each child of a household. The answers are stored as a
list of objects under the repeat's name (``{"children": [{"name": …, "birth_date": …}, …]}``),
the JSON Schema says so with an array of objects, and each row is checked by the one validator
(``validation.validate_application_data``) with the row named in its messages
(「子ども 2 人目: 「生年月日」を入力してください。」).

A repeat's specification::

    {"name": "children", "type": "repeat", "label": "子ども", "row_unit": "人",
     "min_repeat": 1, "max_repeat": 5, "children": [FieldSpec, …]}

``repeat_count`` (XLSForm ``jr:count`` naming an earlier answer, e.g. ``${child_count}``)
asks for exactly that many rows. Expressions inside a row read that row's answers only; a
repeat inside a repeat, and files inside a repeat, are not supported.

Error keys of a row's field are ``<repeat>.<index>.<child>`` (index from 0, as in the stored
list); the resident's page uses the same names for its inputs."""

from django.utils import translation
from django.utils.translation import gettext, pgettext

from jichitai.procedures import expressions
from jichitai.procedures.definitions import build_schema, check_definition
from jichitai.procedures.fields import FieldErrors, FieldInputError, FieldSpec, FieldType
from jichitai.procedures.registry import field_types
from jichitai.procedures.validation import validate_application_data

REPEAT = "repeat"
DEFAULT_MAX_REPEAT = 10
MAX_REPEAT = 50  # what one application may carry, whatever the form says
ROW_UNITS = ("件", "人", "回", "台")


def bounds(spec: FieldSpec) -> tuple[int, int]:
    """(fewest, most) rows the repeat takes."""
    most = min(int(spec.get("max_repeat") or DEFAULT_MAX_REPEAT), MAX_REPEAT)
    fewest = min(int(spec.get("min_repeat") or 0), most)
    return fewest, most


def japanese_unit(spec: FieldSpec) -> str:
    return spec.get("row_unit") or "件"


def unit(spec: FieldSpec) -> str:
    """How the rows are counted in a message: the form's Japanese unit (人, 件) on a Japanese
    page; another language counts them with its own word (English "entries"; the languages
    whose messages leave the unit out never show it)."""
    if (translation.get_language() or "ja").startswith("ja"):
        return japanese_unit(spec)
    return pgettext("the unit a repeating group's rows are counted in", "件")


# How a row is named in Japanese; a form shown in another language names it in that language
# (``translations.translate`` puts the language's pattern in ``row_legend``).
ROW_LEGEND = "{label} {number} {unit}目"


def row_legend(spec: FieldSpec) -> tuple[str, str]:
    """What comes before and after the row's number in its name (the page's script renumbers
    rows between the two)."""
    before, _number, after = (spec.get("row_legend") or ROW_LEGEND).partition("{number}")

    def filled(text: str) -> str:
        return text.replace("{label}", spec["label"]).replace("{unit}", japanese_unit(spec))

    return filled(before), filled(after)


def row_label(spec: FieldSpec, index: int) -> str:
    """「子ども 2 人目」 (or "Filhos n.º 2" in Portuguese): how row ``index`` (from 0) is named to
    the resident and staff."""
    before, after = row_legend(spec)
    return f"{before}{index + 1}{after}"


def row_key(name: str, index: int, child: str) -> str:
    return f"{name}.{index}.{child}"


def row_schema(spec: FieldSpec) -> dict:
    """The JSON Schema of one row, built like a whole form's."""
    schema = build_schema(spec.get("children", []))
    del schema["$schema"], schema["title"]
    return schema


def _schema(spec: FieldSpec) -> dict:
    fewest, most = bounds(spec)
    schema = {"type": "array", "items": row_schema(spec), "maxItems": most}
    if fewest:
        schema["minItems"] = fewest
    return schema


def count_message(spec: FieldSpec, count: int) -> str | None:
    fewest, most = bounds(spec)
    counter = unit(spec)
    values = {"label": spec["label"], "fewest": fewest, "most": most, "counter": counter}
    if fewest == most and count != fewest:
        return gettext("「%(label)s」は %(fewest)s %(counter)s分を入力してください。") % values
    if count < fewest:
        return gettext("「%(label)s」を %(fewest)s %(counter)s以上入力してください。") % values
    if count > most:
        return gettext("「%(label)s」は %(most)s %(counter)sまでです。") % values
    return None


def _normalise(value, spec: FieldSpec):
    rows = [] if value in (None, "", []) else value
    if not isinstance(rows, list):
        raise FieldInputError(
            gettext("「%(label)s」は一覧(配列)で入力してください。") % {"label": spec["label"]}
        )
    problem = count_message(spec, len(rows))
    if problem:
        raise FieldInputError(problem)
    if not rows:
        return None
    children = spec.get("children", [])
    schema = row_schema(spec)
    cleaned_rows = []
    errors: dict[str, list[str]] = {}
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            errors[f"{spec['name']}.{index}"] = [
                gettext("%(row)s: 項目と値の組(オブジェクト)で入力してください。")
                % {"row": row_label(spec, index)}
            ]
            continue
        cleaned, row_errors = validate_application_data(children, schema, row, reject_unknown=True)
        for child, messages in row_errors.items():
            errors[row_key(spec["name"], index, child)] = [
                f"{row_label(spec, index)}: {message}" for message in messages
            ]
        cleaned_rows.append(cleaned)
    if errors:
        raise FieldErrors(errors)
    return cleaned_rows


def count_problem(rows: list | None, spec: FieldSpec, values: dict) -> str | None:
    """With ``repeat_count``, the number of rows the earlier answer asks for."""
    if not spec.get("repeat_count"):
        return None
    wanted = expressions.value(spec["repeat_count"], values)
    try:
        wanted = int(float(wanted))
    except (TypeError, ValueError):
        return None
    if len(rows or []) != wanted:
        return gettext("「%(label)s」は %(fewest)s %(counter)s分を入力してください。") % {
            "label": spec["label"],
            "fewest": wanted,
            "counter": unit(spec),
        }
    return None


def _display(value, spec: FieldSpec) -> str:
    """The rows in one line, for places that show a field as one value."""
    return " / ".join(
        f"{row_label(spec, index)}: "
        + "、".join(text for _label, text in _row_texts(spec, row) if text)
        for index, row in enumerate(value or [])
    )


def _row_texts(spec: FieldSpec, row: dict) -> list[tuple[str, str]]:
    return [
        (child["label"], field_types.get(child["type"]).display(row[child["name"]], child))
        for child in spec.get("children", [])
        if child["name"] in row
    ]


def display_rows(fields: list[FieldSpec], data: dict) -> list[tuple[str, str]]:
    """(label, value as shown) for each answered field in the form's order; a repeat gives one
    line per answer of each row, labelled 「子ども 2 人目: 生年月日」."""
    rows = []
    for spec in fields:
        if spec["name"] not in data:
            continue
        value = data[spec["name"]]
        if spec["type"] != REPEAT:
            rows.append((spec["label"], field_types.get(spec["type"]).display(value, spec)))
            continue
        for index, row in enumerate(value or []):
            rows += [
                (f"{row_label(spec, index)}: {label}", text)
                for label, text in _row_texts(spec, row)
            ]
    return rows


def from_xlsform(
    *, name: str, label: str, count: str, children: list[FieldSpec], earlier: list[FieldSpec]
) -> FieldSpec:
    """A repeat read from XLSForm. ``repeat_count`` (``jr:count``) that is a number fixes the
    rows (min = max); pyxform writes it as a calculate ``<name>_count`` just before the repeat,
    which is then not kept. A count naming an answer asks for that many rows."""
    spec: FieldSpec = {"name": name, "type": REPEAT, "label": label, "children": children}
    counter = earlier[-1] if earlier else None
    if (
        counter is not None
        and counter["type"] == "calculate"
        and count == "${" + counter["name"] + "}"
        and counter.get("calculation", "").strip().isdigit()
    ):
        earlier.pop()
        rows = min(max(int(counter["calculation"]), 1), MAX_REPEAT)
        spec["min_repeat"] = spec["max_repeat"] = rows
    elif count.strip().isdigit():
        spec["min_repeat"] = spec["max_repeat"] = min(max(int(count), 1), MAX_REPEAT)
    elif count:
        spec["repeat_count"] = count
    return spec


def definition_problems(spec: FieldSpec, where: str) -> list[str]:
    """What makes a repeat unusable, for the person building the form."""
    problems = []
    fewest, most = int(spec.get("min_repeat") or 0), spec.get("max_repeat")
    told = {"where": where, "most": MAX_REPEAT}
    if most is not None and not 1 <= int(most) <= MAX_REPEAT:
        problems.append(gettext("%(where)s: 最大の件数は 1〜%(most)s にしてください。") % told)
    elif fewest < 0 or fewest > int(most or DEFAULT_MAX_REPEAT):
        problems.append(
            gettext("%(where)s: 最小の件数は 0 から最大の件数までにしてください。") % told
        )
    children = spec.get("children", [])
    if not children:
        problems.append(gettext("%(where)s: 繰り返す項目を1つ以上入れてください。") % told)
    for child in children:
        if child.get("type") == REPEAT:
            problems.append(gettext("%(where)s: 繰返しの中の繰返しには対応していません。") % told)
        elif child.get("type") in field_types and field_types.get(child["type"]).is_file:
            problems.append(
                gettext("%(where)s: 繰返しの中の添付ファイルには対応していません。") % told
            )
        elif child.get("type") == "persons":
            problems.append(gettext("%(where)s: 繰返しの中に人数の項目は置けません。") % told)
    problems += [
        gettext("%(where)s の中の%(problem)s") % {"where": where, "problem": problem}
        for problem in check_definition(children)
    ]
    return problems


def children_from_lines(text: str, previous: list[FieldSpec]) -> list[FieldSpec]:
    """The builder's way of listing a repeat's fields, one a line:
    ``項目名|種類|見出し|必須|選択肢1,選択肢2`` (the last two optional). What a line does not
    say (conditions, messages, translations) is kept from the field of the same name."""
    kept = {child["name"]: child for child in previous}
    children = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) < 3 or not parts[0] or not parts[2]:
            raise ValueError(
                gettext("%(number)s行目: 「項目名|種類|見出し」の形で書いてください。")
                % {"number": number}
            )
        name, kind, label = parts[:3]
        if kind not in field_types or kind == REPEAT:
            raise ValueError(
                gettext("%(number)s行目: 種類「%(kind)s」は使えません。")
                % {"number": number, "kind": kind}
            )
        child: FieldSpec = {
            **{key: value for key, value in kept.get(name, {}).items() if key != "required"},
            "name": name,
            "type": kind,
            "label": label,
        }
        if len(parts) > 3 and parts[3] == "必須":
            child["required"] = True
        if field_types.get(kind).has_choices:
            offered = [c.strip() for c in (parts[4] if len(parts) > 4 else "").split(",")]
            old = {c["value"]: c for c in child.get("choices", [])}
            child["choices"] = [old.get(c, {"value": c, "label": c}) for c in offered if c]
        children.append(child)
    return children


def children_to_lines(children: list[FieldSpec]) -> str:
    return "\n".join(
        "|".join(
            [
                child["name"],
                child["type"],
                child["label"],
                "必須" if child.get("required") else "",
                ",".join(choice["value"] for choice in child.get("choices", [])),
            ]
        ).rstrip("|")
        for child in children
    )


field_types.register(
    REPEAT,
    FieldType(
        REPEAT,
        "繰返し(子どもなど、同じ項目を複数回)",
        _schema,
        _normalise,
        _display,
        check=count_problem,
        problems=definition_problems,
    ),
)
