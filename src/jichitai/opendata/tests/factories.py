from django.core.files.uploadedfile import SimpleUploadedFile

from jichitai.opendata import services
from jichitai.opendata.tests.helpers import aed_row, csv_bytes, workbook_bytes


def dataset(organization, name="aed-list", *, title="AED設置箇所一覧", **fields):
    return services.create_dataset(
        actor=None, organization=organization, name=name, title=title, **fields
    )


def aed_csv_resource(dataset, rows=None, *, standard="aed"):
    rows = rows if rows is not None else [aed_row(1), aed_row(2)]
    return services.add_resource(
        actor=None,
        dataset=dataset,
        upload=SimpleUploadedFile("list.csv", csv_bytes(rows)),
        name="一覧データ",
        standard=standard,
    )


def aed_xlsx_resource(dataset, rows=None, *, standard="aed", **layout):
    rows = rows if rows is not None else [aed_row(1), aed_row(2)]
    return services.add_resource(
        actor=None,
        dataset=dataset,
        upload=SimpleUploadedFile("aed.xlsx", workbook_bytes(rows, **layout)),
        standard=standard,
    )


def published(organization, name="aed-list", **fields):
    found = dataset(organization, name, **fields)
    aed_csv_resource(found)
    return services.publish_dataset(actor=None, dataset=found)
