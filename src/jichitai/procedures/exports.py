"""Application data as a table: one row per application, one column per field (compound fields
split into their parts), for CSV and XLSX exports. A repeating group (``repeats``) becomes
numbered columns in a CSV (子ども1_氏名, 子ども2_氏名 … up to its most rows) and a sheet of its
own in an XLSX (受付番号, 行番号 and the row's columns, one line per row)."""

from django.utils import timezone

from jichitai.core.exports import export_xlsx, in_the_platforms_language
from jichitai.procedures import repeats
from jichitai.procedures.fields import FieldSpec
from jichitai.procedures.registry import field_types

FIXED_COLUMNS = ["受付番号", "受付日時", "受付経路", "状態", "人数"]


ROW_COLUMNS = ["受付番号", "行番号"]


def _columns(fields: list[FieldSpec]) -> list[tuple[FieldSpec, str, str | None]]:
    columns = []
    for spec in fields:
        field_type = field_types.get(spec["type"])
        if not field_type.stores_value:
            continue
        if field_type.parts:
            columns += [
                (spec, f"{spec['label']}({label})", part) for part, label in field_type.parts
            ]
        else:
            columns.append((spec, spec["label"], None))
    return columns


def _cell(spec: FieldSpec, value, part: str | None):
    if part is not None:
        return (value or {}).get(part, "")
    if value is None:
        return ""
    if spec["type"] in {"number", "persons"}:
        return value
    return field_types.get(spec["type"]).display(value, spec)


def _fields(procedure, applications) -> list[FieldSpec]:
    """The current form's fields, then those only older versions had (their answers are kept)."""
    versions = {
        application.form_version_id: application.form_version for application in applications
    }
    fields = list(procedure.current_version.fields if procedure.current_version else [])
    names = {spec["name"] for spec in fields}
    for version in sorted(versions.values(), key=lambda v: -v.number):
        for spec in version.fields:
            if spec["name"] not in names:
                fields.append(spec)
                names.add(spec["name"])
    return fields


@in_the_platforms_language
def application_table(
    procedure, applications, *, repeats_as_columns: bool = True
) -> tuple[list[str], list[list]]:
    """Columns follow the current form; answers to questions an older version had are kept too.
    Without ``repeats_as_columns`` the repeats are left to ``repeat_tables``."""
    fields = _fields(procedure, applications)
    header = list(FIXED_COLUMNS)
    for spec, label, _part in _columns(fields):
        if spec["type"] != repeats.REPEAT:
            header.append(label)
        elif repeats_as_columns:
            header += [
                f"{spec['label']}{number}_{child_label}"
                for number in range(1, repeats.bounds(spec)[1] + 1)
                for _child, child_label, _child_part in _columns(spec.get("children", []))
            ]
    rows = []
    for application in applications:
        row = [
            application.receipt_number,
            timezone.localtime(application.submitted_at),
            application.get_channel_display(),
            application.get_status_display(),
            application.persons,
        ]
        for spec, _label, part in _columns(fields):
            value = application.data.get(spec["name"])
            if spec["type"] != repeats.REPEAT:
                row.append(_cell(spec, value, part))
            elif repeats_as_columns:
                answered = value or []
                for index in range(repeats.bounds(spec)[1]):
                    answers = answered[index] if index < len(answered) else {}
                    row += [
                        _cell(child, answers.get(child["name"]), child_part)
                        for child, _child_label, child_part in _columns(spec.get("children", []))
                    ]
        rows.append(row)
    return header, rows


@in_the_platforms_language
def repeat_tables(procedure, applications) -> dict[str, tuple[list[str], list[list]]]:
    """One table per repeat, named after it: a line per answered row of each application."""
    tables = {}
    for spec in _fields(procedure, applications):
        if spec["type"] != repeats.REPEAT:
            continue
        columns = _columns(spec.get("children", []))
        rows = [
            [
                application.receipt_number,
                number,
                *[_cell(child, answers.get(child["name"]), part) for child, _, part in columns],
            ]
            for application in applications
            for number, answers in enumerate(application.data.get(spec["name"]) or [], start=1)
        ]
        tables[spec["label"]] = (ROW_COLUMNS + [label for _, label, _ in columns], rows)
    return tables


def workbook(procedure, applications) -> bytes:
    """The applications as an XLSX: one sheet of applications, one sheet per repeat."""
    header, rows = application_table(procedure, applications, repeats_as_columns=False)
    return export_xlsx(
        {procedure.name or "申請": (header, rows)} | repeat_tables(procedure, applications)
    )
