"""Application data as a table: one column per field (compound fields split into their parts),
for CSV and XLSX exports."""

from django.utils import timezone

from jichitai.core.exports import export_xlsx
from jichitai.procedures.fields import FieldSpec
from jichitai.procedures.registry import field_types

FIXED_COLUMNS = ["受付番号", "受付日時", "受付経路", "状態", "人数"]


def _columns(fields: list[FieldSpec]) -> list[tuple[str, str, str | None]]:
    columns = []
    for spec in fields:
        field_type = field_types.get(spec["type"])
        if not field_type.stores_value:
            continue
        if field_type.parts:
            columns += [
                (spec["name"], f"{spec['label']}({label})", part)
                for part, label in field_type.parts
            ]
        else:
            columns.append((spec["name"], spec["label"], None))
    return columns


def application_table(procedure, applications) -> tuple[list[str], list[list]]:
    """Columns follow the current form; answers to questions an older version had are kept too."""
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
    columns = _columns(fields)
    specs = {spec["name"]: spec for spec in fields}
    header = FIXED_COLUMNS + [label for _, label, _ in columns]
    rows = []
    for application in applications:
        row = [
            application.receipt_number,
            timezone.localtime(application.submitted_at),
            application.get_channel_display(),
            application.get_status_display(),
            application.persons,
        ]
        for name, _, part in columns:
            value = application.data.get(name)
            if part is not None:
                row.append((value or {}).get(part, ""))
            elif value is None:
                row.append("")
            elif specs[name]["type"] in {"number", "persons"}:
                row.append(value)
            else:
                row.append(field_types.get(specs[name]["type"]).display(value, specs[name]))
        rows.append(row)
    return header, rows


def workbook(procedure, header, rows) -> bytes:
    return export_xlsx({procedure.name or "申請": (header, rows)})
