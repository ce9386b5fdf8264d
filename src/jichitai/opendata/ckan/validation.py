"""``resource_validation_show`` as ckanext-validation defines it: the status of a resource's check
against its standard dataset and the report in frictionless' shape (tasks → errors with ``type``,
``rowNumber``, ``fieldName``, ``cell``, ``message``), the messages in Japanese."""

from django.http import Http404

from jichitai.core.kept_texts import told
from jichitai.opendata import selectors
from jichitai.opendata.ckan.dicts import timestamp
from jichitai.opendata.ckan.params import Context, required
from jichitai.opendata.registry import ckan_action

# ckanext-validation's statuses for this catalog's verdicts.
STATUS = {"valid": "success", "warnings": "success", "invalid": "failure"}


def frictionless_report(validation: dict) -> dict:
    errors = [
        {
            "type": issue["rule"],
            "rowNumber": issue["row"],
            "fieldName": issue["column"] or None,
            "cell": issue["value"],
            "message": told(issue),
        }
        for issue in validation.get("errors", [])
    ]
    warnings = [told(issue) for issue in validation.get("warnings", [])]
    return {
        "valid": not errors,
        "stats": {"errors": len(errors), "tasks": 1, "warnings": len(warnings)},
        "warnings": warnings,
        "tasks": [
            {
                "valid": not errors,
                "name": validation.get("standard", ""),
                "place": validation.get("layout", ""),
                "labels": [],
                "stats": {"errors": len(errors), "rows": validation.get("rows_checked", 0)},
                "errors": errors,
                "warnings": warnings,
            }
        ],
    }


@ckan_action("resource_validation_show")
def resource_validation_show(context: Context, data: dict) -> dict:
    """The check of resource ``resource_id`` against its standard dataset."""
    resource = selectors.resource_by_id(
        selectors.visible_datasets(context.organization), required(data, "resource_id")
    )
    if not resource.validation_status:
        raise Http404
    return {
        "id": str(resource.ckan_id),
        "resource_id": str(resource.ckan_id),
        "status": STATUS[resource.validation_status],
        "report": frictionless_report(resource.validation),
        "error": None,
        "created": timestamp(resource.modified_at),
        "finished": timestamp(resource.modified_at),
    }
