"""make bench-automation: the 転記 reference scenario entering approved applications into the
legacy system in real Chromium (items/minute), and the runner's own cost per item with steps that
do (almost) nothing: a read step, and an external write (e-mail to the in-memory backend) that
also takes the idempotency marker before and after.

Runs against a throw-away SQLite database and media folder (JICHITAI_VAR_DIR in a temp dir).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

VAR = tempfile.mkdtemp(prefix="jichitai-bench-automation-")
os.environ["JICHITAI_VAR_DIR"] = VAR
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jichitai.settings.test")
os.environ["DATABASE_URL"] = f"sqlite:///{VAR}/bench.sqlite3"
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

BENCH_PASSWORD = "bench-pass"  # noqa: S105  (the throw-away legacy system's login)
NOOP_SOURCE = """
name: bench-{kind}
title: ランナーの負荷測定({kind})
manual_minutes_before: 1
manual_minutes_after: 0
inputs: [{{name: list, kind: file}}]
prepare:
  - step: csv.read
    with: {{path: "{{{{ inputs.list }}}}", columns: [番号]}}
    save: rows
items: rows
key: "{{{{ item.番号 }}}}"
each:
  - {step}
"""
STEPS = {
    "read": "step: table.filter\n    with: {rows: [], not_empty: [x]}",
    "external": 'step: email.send\n    with: {to: bench@example.jp, subject: "{{ item.番号 }}", body: x}',
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=20, help="applications entered by 転記")
    parser.add_argument("--noop-items", type=int, default=300, help="items for the overhead runs")
    arguments = parser.parse_args()

    call_command("migrate", verbosity=0)
    from jichitai.automation import samples, services
    from jichitai.automation.models import Run, RunItem
    from jichitai.automation.registry import scenarios
    from jichitai.automation.runner import execute
    from jichitai.demo.registry import demo_loaders
    from jichitai.tenancy.models import Organization
    from legacy_system import LegacyServer

    demo_loaders.get("foundation").load()
    prefecture = Organization.objects.get(code="240001")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    rows = []

    # 転記 in real Chromium.
    legacy = LegacyServer(password=BENCH_PASSWORD).start()
    settings.JICHITAI_AUTOMATION_TARGETS = {"legacy": legacy.url}
    procedure = samples.vehicle_tax_procedure(prefecture, approved=arguments.items, received=0)
    services.set_secret(
        actor=None, organization=prefecture, name="legacy_password", value=BENCH_PASSWORD
    )
    scenario = services.create_scenario(
        actor=None, organization=prefecture, source=scenarios.get("vehicle-tax-address").source
    )
    values = {"procedure": str(procedure.pk)}

    def run_now(scenario, mode, **inputs):
        run = services.start_run(
            actor=None, scenario=scenario, mode=mode, background=False, **inputs
        )
        return execute(run.pk)

    plan_started = time.perf_counter()
    run_now(scenario, Run.Mode.PLAN, values=values)
    plan_seconds = time.perf_counter() - plan_started
    from jichitai.tenancy.models import Membership, Role

    manager_user = Membership.objects.filter(organization=prefecture, role=Role.MANAGER).first()
    services.approve_version(
        actor=manager_user.user, membership=manager_user, version=scenario.current_version
    )
    started = time.perf_counter()
    run = run_now(scenario, Run.Mode.APPLY, values=values)
    seconds = time.perf_counter() - started
    done = run.items.filter(status=RunItem.Status.DONE).count()
    durations = [item.duration_ms for item in run.items.all()]
    if not done == arguments.items == len(legacy.records):
        raise SystemExit(
            f"転記 did not finish: {run.message} ({done} done, {len(legacy.records)} entered)"
        )
    legacy.stop()
    rows.append(
        (
            "転記 plan (no browser)",
            arguments.items,
            plan_seconds,
            arguments.items / plan_seconds * 60,
            plan_seconds / arguments.items * 1000,
        )
    )
    rows.append(
        (
            "転記 apply, real Chromium (incl. launch + login)",
            done,
            seconds,
            done / seconds * 60,
            statistics.mean(durations),
        )
    )
    rows.append(("  per item median (ms)", "", "", "", statistics.median(durations)))

    # Runner overhead per item.
    for kind, step in STEPS.items():
        scenario = services.create_scenario(
            actor=None, organization=prefecture, source=NOOP_SOURCE.format(kind=kind, step=step)
        )
        csv_path = os.path.join(VAR, f"{kind}.csv")
        with open(csv_path, "wb") as handle:
            handle.write(
                ("番号\r\n" + "".join(f"{n}\r\n" for n in range(arguments.noop_items))).encode()
            )
        paths = {"list": csv_path}
        run_now(scenario, Run.Mode.PLAN, paths=paths)
        services.approve_version(
            actor=manager_user.user, membership=manager_user, version=scenario.current_version
        )
        started = time.perf_counter()
        run = run_now(scenario, Run.Mode.APPLY, paths=paths)
        seconds = time.perf_counter() - started
        count = run.items.filter(status=RunItem.Status.DONE).count()
        if count != arguments.noop_items:
            raise SystemExit(f"overhead run did not finish: {run.message}")
        label = (
            "runner overhead, no-op read step"
            if kind == "read"
            else "runner overhead, e-mail + idempotency marker"
        )
        rows.append((label, count, seconds, count / seconds * 60, seconds / count * 1000))

    print(
        f"\nbench-automation ({settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, {os.cpu_count()} CPUs)"
    )
    print(f"{'measure':50} {'items':>6} {'seconds':>8} {'items/min':>10} {'ms/item':>8}")
    for label, items, secs, per_minute, ms in rows:
        secs_text = f"{secs:8.2f}" if secs != "" else " " * 8
        per_minute_text = f"{per_minute:10.0f}" if per_minute != "" else " " * 10
        print(f"{label:50} {items!s:>6} {secs_text} {per_minute_text} {ms:8.1f}")


if __name__ == "__main__":
    sys.exit(main())
