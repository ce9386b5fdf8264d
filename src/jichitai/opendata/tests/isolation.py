from jichitai.opendata.models import Dataset
from jichitai.opendata.tests.factories import aed_csv_resource, dataset
from jichitai.tenancy.tests.isolation import object_kwargs


def _dataset(organization):
    # Called once per URL: each call gets a dataset of its own.
    count = Dataset.objects.filter(organization=organization).count()
    return dataset(organization, name=f"isolation-{organization.code}-{count}").pk


def _resource(organization):
    found = Dataset.objects.get(pk=_dataset(organization))
    return aed_csv_resource(found).pk


object_kwargs.register("dataset_id", _dataset)
object_kwargs.register("resource_id", _resource)
