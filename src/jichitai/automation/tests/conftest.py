import pytest

from jichitai.automation import samples, services
from jichitai.automation.models import Run
from jichitai.automation.registry import scenarios
from jichitai.automation.runner import execute
from jichitai.tenancy.models import Division, Role


@pytest.fixture
def tsu_manager(tsu, make_member):
    return make_member(tsu, Role.MANAGER, username="tsu-manager")


@pytest.fixture
def shipped(tsu):
    """Adds a shipped scenario to 津市 (with the division it names)."""

    def add(name, *, organization=tsu):
        source = scenarios.get(name).source
        import yaml

        division = yaml.safe_load(source).get("division")
        if division:
            Division.objects.get_or_create(organization=organization, name=division)
        return services.create_scenario(actor=None, organization=organization, source=source)

    return add


@pytest.fixture
def run_now():
    """Starts a run and executes it in this thread (as the worker would)."""

    def start(scenario, mode, *, actor=None, **inputs):
        run = services.start_run(
            actor=actor, scenario=scenario, mode=mode, background=False, **inputs
        )
        return execute(run.pk)

    return start


def approve_now(scenario, run_now, **inputs):
    """Plans the current version and has a (new) manager of its organization approve it."""
    from jichitai.accounts.models import User
    from jichitai.tenancy.models import Membership

    plan = run_now(scenario, Run.Mode.PLAN, **inputs)
    assert plan.status != Run.Status.FAILED, plan.message
    user, _created = User.objects.get_or_create(username=f"approver-{scenario.organization.code}")
    membership, _created = Membership.objects.get_or_create(
        user=user, organization=scenario.organization, defaults={"role": Role.MANAGER}
    )
    services.approve_version(actor=user, membership=membership, version=scenario.current_version)
    return scenario


@pytest.fixture
def approved(run_now, tsu_manager):
    """Plans the scenario's current version and has a manager approve it."""

    def approve(scenario, **inputs):
        run_now(scenario, Run.Mode.PLAN, **inputs)
        membership = tsu_manager.memberships.get()
        services.approve_version(
            actor=tsu_manager, membership=membership, version=scenario.current_version
        )
        return scenario

    return approve


@pytest.fixture
def reports(tmp_path):
    folder = tmp_path / "reports"
    samples.write_electricity_reports(folder)
    return folder
