"""The conversion of a resource in the older 推奨データセット layout to the current layout, kept as
a derived CSV beside it (``derived_from``) and validated against the current layout like an upload.
Converting again refreshes that one derived resource."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jichitai.accounts.models import User
from jichitai.audit import services as audit
from jichitai.core.files import delete_stored_on_commit
from jichitai.opendata import layout_conversion
from jichitai.opendata.models import Resource
from jichitai.opendata.registry import standard_datasets
from jichitai.opendata.selectors import layout_conversion_of, layout_conversion_offered
from jichitai.opendata.services.datasets import _touch
from jichitai.opendata.services.resources import (
    _conversion,
    _csv_filename,
    _refuse_invalid_on_public,
    _sha256,
    _StoredFiles,
    _table,
    _validation_fields,
)


def convert_to_current_layout(*, actor: User | None, resource: Resource) -> Resource:
    """Creates or refreshes the current-layout CSV of ``resource`` and returns it."""
    if not layout_conversion_offered(resource):
        raise ValidationError(
            _("このリソースは旧形式(推奨データセット)と判定されていないため、変換できません。")
        )
    current = standard_datasets.get(resource.standard).layouts["current"]
    with resource.file.open("rb") as stored:
        table = _table(stored.read(), _csv_filename(resource.filename))
    result = layout_conversion.convert(table, current)
    files = _StoredFiles()
    try:
        with transaction.atomic():
            # Two clicks at once refresh one derived resource rather than make two.
            Resource.objects.select_for_update().filter(pk=resource.pk).first()
            existing = layout_conversion_of(resource)
            old = [(existing.file.storage, existing.file.name)] if existing else []
            derived = existing or Resource(
                organization=resource.organization,
                dataset=resource.dataset,
                derived_from=resource,
                position=resource.position,
            )
            derived.name = _("%(name)s(現行の形式)") % {"name": resource.name}
            derived.description = _description(resource, result)
            derived.format = "CSV"
            derived.filename = (
                _csv_filename(resource.filename).removesuffix(".csv") + "-current.csv"
            )
            derived.mimetype = "text/csv"
            derived.standard = resource.standard
            content = result.table.to_csv()
            files.save(derived, derived.filename, content)
            derived.size = len(content)
            derived.sha256 = _sha256(content)
            derived.conversion = {
                **_conversion(result.table, source_format="CSV"),
                "layout_conversion": {
                    "renamed": result.renamed,
                    "left_out": result.left_out,
                    "empty": result.empty,
                },
            }
            for name, value in _validation_fields(result.table, resource.standard).items():
                setattr(derived, name, value)
            _refuse_invalid_on_public(
                resource.dataset,
                {"validation_status": derived.validation_status, "validation": derived.validation},
            )
            derived.save()
            _touch(resource.dataset)
            audit.record(
                action="opendata.resource_converted",
                actor=actor,
                organization=resource.organization,
                target=derived,
                summary=f"{resource.name} → {current.label}",
            )
    except BaseException:
        files.discard()
        raise
    delete_stored_on_commit(old)
    return derived


def _description(resource: Resource, result: layout_conversion.Converted) -> str:
    text = _(
        "「%(file)s」(推奨データセットの旧形式)を現行の自治体標準オープンデータセットの項目に並べ替えた CSV(UTF-8)。"
    ) % {"file": resource.filename}
    if result.left_out:
        text += " " + _(
            "現行の形式に対応する項目がないため含めなかった列: %(columns)s(元のファイルに残っています)"
        ) % {"columns": "、".join(result.left_out)}
    return text
