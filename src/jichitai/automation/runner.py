"""Executes a run of a scenario version: a plan (business dry-run: reads the inputs, lists what
would be written, writes nothing) or a production run (apply).

Items are processed one by one; a 業務エラー stops only its item (work queue), a システムエラー is
retried with exponential backoff. Before an item's first external write an idempotency marker
(``AppliedItem``) is committed and it is completed after the item's last step, so a run resumed
after a crash, or a later run of the same scenario, never applies an item twice: completed items
are skipped, items whose write may have half-happened go to a person to check."""

import logging
import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from jichitai.automation import selectors, services, vault
from jichitai.automation.definition import resolve
from jichitai.automation.errors import BusinessError, NotApplied, Skip
from jichitai.automation.files import run_directory
from jichitai.automation.models import AppliedItem, Run, RunItem
from jichitai.automation.registry import EXTERNAL, OUTPUT, READ, steps
from jichitai.core.extras import MissingExtra
from jichitai.core.safe_yaml import load_yaml

logger = logging.getLogger(__name__)

NOT_FETCHED = "(計画では取得しません)"


class RunContext:
    """What steps see: the run's files, secrets by name, targets by name, the browser."""

    def __init__(self, run: Run, *, redactor: vault.Redactor):
        self.run = run
        self.organization = run.organization
        self.definition = definition_of(run.version)
        self.plan = run.mode == Run.Mode.PLAN
        self.redact = redactor
        self.directory = run_directory(run.pk)
        self.inputs_dir = self.directory / "inputs"
        self.outputs_dir = self.directory / "outputs"
        self._browser = None
        self.selector_timeout_ms = getattr(
            settings, "JICHITAI_AUTOMATION_SELECTOR_TIMEOUT_MS", 5000
        )

    # Files -----------------------------------------------------------------------------------
    def input_path(self, value) -> Path:
        path = Path(str(value))
        if not path.is_absolute():
            # A relative name is one of the run's inputs, or a file an earlier step produced.
            produced = self.outputs_dir / path
            path = produced if produced.exists() else self.inputs_dir / path
        path = path.resolve()
        if not (
            path.is_relative_to(self.inputs_dir.resolve())
            or path.is_relative_to(self.outputs_dir.resolve())
        ):
            raise BusinessError(f"「{value}」はこの実行の入力ファイルではありません。")
        if not path.exists():
            raise BusinessError(f"ファイル「{path.name}」がありません。")
        return path

    def output_path(self, name: str) -> Path:
        path = (self.outputs_dir / Path(str(name)).name).resolve()
        if not path.exists():
            raise BusinessError(f"出力ファイル「{name}」がありません。")
        return path

    def write_output(self, name: str, content: bytes) -> str:
        name = Path(str(name)).name
        if not name or name.startswith("."):
            raise BusinessError(f"出力ファイル名「{name}」は使えません。")
        self.outputs_dir.mkdir(parents=True, exist_ok=True)
        (self.outputs_dir / name).write_bytes(content)
        relative = (self.outputs_dir / name).relative_to(Path(settings.MEDIA_ROOT))
        services.record_run_file(run=self.run, name=name, path=str(relative))
        return name

    # Secrets and targets ---------------------------------------------------------------------
    def secret(self, name: str) -> str:
        if name not in self.definition.get("secrets", []):
            raise BusinessError(
                f"秘密情報「{name}」はこのシナリオの secrets に宣言されていません。"
            )
        stored = selectors.secret_named(self.organization, name)
        if stored is None:
            raise BusinessError(
                f"秘密情報「{name}」が登録されていません(秘密情報の画面で登録してください)。"
            )
        value = vault.decrypt(stored.token)
        self.redact.add(value)
        return value

    def target_url(self, target: str, path: str = "/") -> str:
        if target not in self.definition.get("targets", []):
            raise BusinessError(
                f"対象システム「{target}」はこのシナリオの targets に宣言されていません。"
            )
        base = getattr(settings, "JICHITAI_AUTOMATION_TARGETS", {}).get(target)
        if not base:
            raise BusinessError(
                f"対象システム「{target}」の URL が設定されていません(JICHITAI_AUTOMATION_TARGETS)。"
            )
        return base.rstrip("/") + "/" + str(path or "/").lstrip("/")

    @property
    def browser(self):
        if self._browser is None:
            from jichitai.automation.browser import BrowserSession

            self._browser = BrowserSession()
        return self._browser

    def screenshot(self) -> bytes | None:
        if self._browser is None:
            return None
        try:
            return self._browser.call(lambda page: page.screenshot(full_page=True))
        except Exception:
            return None

    def close(self) -> None:
        if self._browser is not None:
            self._browser.close()
            self._browser = None


def definition_of(version) -> dict:
    """The version's definition read from its YAML: PostgreSQL's jsonb does not keep the order of
    mapping keys, and the order matters (the sheets of a workbook, the columns of a table)."""
    return load_yaml(version.source)


class Runner:
    def __init__(self, run: Run, *, progress=None):
        self.run = run
        self.definition = definition_of(run.version)
        self.redact = vault.Redactor()
        self.ctx = RunContext(run, redactor=self.redact)
        self.progress = progress or (lambda done, total, message="": None)
        self.variables: dict = {}
        self.inputs = run.inputs
        self.my_markers: set[str] = set()
        self.max_attempts = getattr(settings, "JICHITAI_AUTOMATION_MAX_ATTEMPTS", 3)
        self.backoff = getattr(settings, "JICHITAI_AUTOMATION_BACKOFF_SECONDS", 2.0)

    # Helpers ---------------------------------------------------------------------------------
    def _context(self, item_data=None, item_vars=None) -> dict:
        return {
            **self.variables,
            **(item_vars or {}),
            "inputs": self.inputs,
            "item": item_data or {},
        }

    def _run_steps(self, section: str, *, item_data=None, on_external=None, log=None, planned=None):
        """Runs (or, in a plan, describes) the steps of ``section``; returns the item's variables
        and what it collected."""
        item_vars: dict = {}
        collected: dict[str, list] = {}
        described_before = False
        for index, spec in enumerate(self.definition.get(section) or [], start=1):
            entry = steps.get(spec["step"])
            where = f"{section}[{index}] {spec['step']}: "
            given = spec.get("with", {})
            params = resolve(
                {k: v for k, v in given.items() if k not in entry.raw},
                self._context(item_data, item_vars),
                where=where,
            )
            params.update({k: v for k, v in given.items() if k in entry.raw})
            effect = entry.effect_for(params)
            description = self.redact(entry.description(params))
            depends = any(value is NOT_FETCHED for value in params.values())
            if self.ctx.plan and (effect != READ or depends):
                planned.append(description)
                # A file the step would write is known by name, so later steps can list it.
                result = (
                    params["output"] if effect == OUTPUT and params.get("output") else NOT_FETCHED
                )
                described_before = True
            elif self.ctx.plan and described_before:
                # A read that may need what the steps described above would have produced.
                try:
                    result = entry.function(self.ctx, **params)
                except BusinessError:
                    planned.append(
                        f"{description}(前の手順の結果を使うため、計画では読み取りません)"
                    )
                    result = NOT_FETCHED
            else:
                if effect == EXTERNAL and on_external is not None:
                    on_external()
                try:
                    result = entry.function(self.ctx, **params)
                except BusinessError as error:
                    raise BusinessError(f"{section}[{index}] {spec['step']}: {error}") from None
            if log is not None:
                log.append(f"{timezone.localtime():%H:%M:%S} {description}")
            if spec.get("save"):
                (item_vars if item_data is not None else self.variables)[spec["save"]] = result
            if spec.get("collect") and result is not NOT_FETCHED:
                values = result if isinstance(result, list) else [result]
                collected.setdefault(spec["collect"], []).extend(values)
        return item_vars, collected

    def _collect(self, collected: dict) -> None:
        for name, values in collected.items():
            self.variables.setdefault(name, []).extend(values)

    # The run ---------------------------------------------------------------------------------
    def execute(self) -> Run:
        run = self.run
        services.mark_run_started(run=run)
        run_log: list[str] = []
        run_planned: list[str] = []
        try:
            self._run_steps("prepare", log=run_log, planned=run_planned)
            items = self._items()
            for name in {
                spec["collect"] for spec in self.definition.get("each") or [] if spec.get("collect")
            }:
                self.variables.setdefault(name, [])
            for item in items.filter(status__in=[RunItem.Status.DONE]):
                self._collect(item.result.get("collected", {}))
            pending = list(items.filter(status=RunItem.Status.PENDING))
            total = items.count()
            done = total - len(pending)
            self.progress(done, total, "")
            if pending and self.definition.get("setup"):
                self._setup(run_log, run_planned)
            for item in pending:
                self._process(item)
                done += 1
                self.progress(done, total, item.label or item.key)
            self._run_steps("finish", log=run_log, planned=run_planned)
        except Exception as error:
            logger.warning("automation run %s failed: %s", run.pk, type(error).__name__)
            kind = "業務エラー" if isinstance(error, BusinessError) else "システムエラー"
            status = Run.Status.FAILED
            message = self.redact(f"{kind}: {error}")
        else:
            failed = run.items.filter(status=RunItem.Status.FAILED).exists()
            status = Run.Status.FINISHED_WITH_ERRORS if failed else Run.Status.FINISHED
            message = self._summary()
        finally:
            self.ctx.close()
        return services.finish_run(
            run=run,
            definition=self.definition,
            status=status,
            message=message,
            log=self.redact("\n".join(run_log)),
            planned=[self.redact(line) for line in run_planned],
        )

    def _setup(self, run_log, run_planned) -> None:
        """Runs the ``setup`` steps (a login), retrying system errors with backoff; a business
        error (wrong password, changed login page) fails the run at once."""
        for attempt in range(1, self.max_attempts + 1):
            try:
                self._run_steps("setup", log=run_log, planned=run_planned)
                return
            except (BusinessError, MissingExtra):
                raise
            except Exception as error:
                run_log.append(
                    self.redact(f"setup 試行 {attempt} 回目: {type(error).__name__}: {error}")
                )
                if attempt >= self.max_attempts:
                    raise
                time.sleep(self.backoff * 2 ** (attempt - 1))

    def _items(self):
        run = self.run
        if not run.items.exists():
            name = self.definition.get("items")
            rows = self.variables.get(name, []) if name else []
            if name and not isinstance(rows, list):
                raise BusinessError(f"items「{name}」が表(一覧)ではありません。")
            entries = []
            for position, row in enumerate(rows, start=1):
                context = self._context(row)
                key = resolve(self.definition.get("key", "{{ item._row }}"), context, where="key: ")
                label = resolve(self.definition.get("label", ""), context, where="label: ") or key
                entries.append(
                    {
                        "key": str(key or position)[:200],
                        "label": self.redact(str(label))[:300],
                        "data": row,
                    }
                )
            services.create_run_items(run=run, entries=entries)
        return run.items.order_by("position")

    def _summary(self) -> str:
        counts = dict.fromkeys(RunItem.Status.labels, 0)
        for item in self.run.items.all():
            counts[item.get_status_display()] = counts.get(item.get_status_display(), 0) + 1
        return "、".join(f"{label} {count} 件" for label, count in counts.items() if count)

    # One item --------------------------------------------------------------------------------
    def _check_marker(self, item: RunItem) -> None:
        marker = selectors.applied_marker(self.run.version.scenario, item.key)
        if marker is None or item.key in self.my_markers:
            return
        if marker.state == AppliedItem.State.COMPLETED:
            raise Skip(f"前回までに適用済みのため処理しませんでした(実行 #{marker.run_id})。")
        if marker.state == AppliedItem.State.MANUAL:
            raise Skip(
                f"職員が手作業で対応済みのため処理しませんでした(実行 #{marker.run_id} の対応記録)。"
            )
        raise BusinessError(
            "前回の実行が書き込みの途中で停止しました。二重登録を避けるため自動では再実行しません。"
            "対象システムで登録状況を確認してください。"
        )

    def _check_waiting(self, item: RunItem) -> None:
        """A 業務エラー needs a person: the item is not retried by every later (scheduled) run,
        which would only queue it again, until someone records it in the work queue."""
        waiting = selectors.waiting_item(self.run.version.scenario, item.key, before_run=self.run)
        if waiting is not None:
            raise Skip(
                f"業務エラーの対応待ちのため処理しませんでした(実行 #{waiting.run_id})。"
                "作業キューで対応を記録すると、次回の実行から処理します。"
            )

    def _begin_write(self, item: RunItem) -> None:
        if item.key in self.my_markers:
            return
        self._check_marker(item)
        services.mark_item_write(run=self.run, key=item.key, state=AppliedItem.State.STARTED)
        self.my_markers.add(item.key)

    def _process(self, item: RunItem) -> None:
        apply = self.run.mode == Run.Mode.APPLY
        log: list[str] = []
        started = time.monotonic()
        writing = False
        attempts = item.attempts
        try:
            if apply:
                self._check_marker(item)
                self._check_waiting(item)
        except Skip as skipped:
            self._finish_item(
                item,
                RunItem.Status.SKIPPED,
                attempts=attempts,
                message=str(skipped),
                log=log,
                started=started,
            )
            return
        except BusinessError as error:
            self._fail(item, RunItem.FailureKind.BUSINESS, error, log, started, attempts)
            return

        def begin():
            nonlocal writing
            self._begin_write(item)
            writing = True

        for attempt in range(1, self.max_attempts + 1):
            attempts += 1
            planned: list[str] = []
            try:
                item_vars, collected = self._run_steps(
                    "each",
                    item_data=item.data,
                    on_external=begin if apply else None,
                    log=log,
                    planned=planned,
                )
            except Skip as skipped:
                self._finish_item(
                    item,
                    RunItem.Status.SKIPPED,
                    attempts=attempts,
                    message=str(skipped),
                    log=log,
                    started=started,
                    planned=[self.redact(line) for line in planned],
                )
                return
            except BusinessError as error:
                self._fail(item, RunItem.FailureKind.BUSINESS, error, log, started, attempts)
                return
            except MissingExtra:
                # No item can succeed until the extra is installed: the run stops and says which.
                raise
            except Exception as error:
                log.append(
                    self.redact(
                        f"試行 {attempt} 回目: システムエラー {type(error).__name__}: {error}"
                    )
                )
                if writing and not isinstance(error, NotApplied):
                    self._fail(
                        item,
                        RunItem.FailureKind.BUSINESS,
                        f"書き込みの途中でエラーが発生しました。対象システムで登録状況を確認してください({type(error).__name__}: {error})",
                        log,
                        started,
                        attempts,
                    )
                    return
                if attempt >= self.max_attempts:
                    self._fail(item, RunItem.FailureKind.SYSTEM, error, log, started, attempts)
                    return
                time.sleep(self.backoff * 2 ** (attempt - 1))
                continue
            if writing:
                services.mark_item_write(
                    run=self.run, key=item.key, state=AppliedItem.State.COMPLETED
                )
            self._collect(collected)
            status = RunItem.Status.PLANNED if self.ctx.plan else RunItem.Status.DONE
            self._finish_item(
                item,
                status,
                attempts=attempts,
                log=log,
                started=started,
                planned=[self.redact(line) for line in planned],
                result={
                    "collected": collected,
                    "values": {
                        k: v for k, v in item_vars.items() if isinstance(v, str | int | float)
                    },
                },
            )
            return

    def _fail(self, item, kind, error, log, started, attempts) -> None:
        prefix = "業務エラー" if kind == RunItem.FailureKind.BUSINESS else "システムエラー"
        text = (
            str(error)
            if isinstance(error, str | BusinessError)
            else f"{type(error).__name__}: {error}"
        )
        self._finish_item(
            item,
            RunItem.Status.FAILED,
            attempts=attempts,
            message=f"{prefix}: {text}",
            log=log,
            started=started,
            failure_kind=kind,
            screenshot=self.ctx.screenshot(),
        )

    def _finish_item(self, item, status, *, attempts, message="", log=(), started=0.0, **outcome):
        services.finish_item(
            item=item,
            status=status,
            attempts=attempts,
            message=self.redact(message),
            log=self.redact("\n".join(log)),
            duration_ms=int((time.monotonic() - started) * 1000),
            **outcome,
        )


def execute(run_id: int, *, progress=None) -> Run:
    run = selectors.run_to_execute(run_id)
    return Runner(run, progress=progress).execute()
