import pytest

from jichitai.tenancy.tests.factories import OrganizationFactory


@pytest.fixture
def kameyama(prefecture):
    return OrganizationFactory(
        code="242101", name="亀山市", name_kana="かめやまし", parent=prefecture
    )
