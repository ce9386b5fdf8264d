import pytest
from django.core.management import call_command

from jichitai.pdca.models import Plan


@pytest.fixture
def demo(db):
    """The whole demo: the prefecture, its municipalities and the seeds' plans."""
    call_command("demo", quiet_logins=True)


@pytest.fixture
def policy(demo):
    return Plan.objects.get(organization__code="240001", slug="smart-government-policy")


@pytest.fixture
def strategy(demo):
    return Plan.objects.get(organization__code="240001", slug="mie-digital-strategy")
