"""Small records of the automation module for tests (the isolation walk among them)."""

from jichitai.automation import services
from jichitai.automation.models import Run, RunFile, RunItem, Scenario, Schedule, Secret
from jichitai.automation.services import scheduling

SOURCE = """
name: sample
title: サンプル
manual_minutes_before: 10
manual_minutes_after: 1
"""


def scenario(organization) -> Scenario:
    existing = Scenario.objects.filter(organization=organization, name="sample").first()
    return existing or services.create_scenario(
        actor=None, organization=organization, source=SOURCE
    )


def run(organization) -> Run:
    version = scenario(organization).current_version
    return Run.objects.create(organization=organization, version=version, mode=Run.Mode.APPLY)


def item(organization) -> RunItem:
    return RunItem.objects.create(
        run=run(organization),
        position=1,
        key="k",
        status=RunItem.Status.FAILED,
        failure_kind=RunItem.FailureKind.BUSINESS,
        message="業務エラー",
        screenshot="automation/x.png",
    )


def run_file(organization) -> RunFile:
    return RunFile.objects.create(run=run(organization), name="x.xlsx", file="automation/x.xlsx")


def secret(organization) -> Secret:
    return services.set_secret(
        actor=None, organization=organization, name="sample", value="value-123"
    )


def schedule(organization) -> Schedule:
    return scheduling.request_schedule(
        actor=None, scenario=scenario(organization), cron="0 6 * * *"
    )
