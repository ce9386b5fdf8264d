"""The step library: every action a scenario can take, registered as a plug-in in ``steps``.

Each step declares the JSON Schema of its parameters (the ``with:`` of a YAML step; the scenario
schema is built from these) and its effect, which decides what a plan (dry-run) does with it:

- ``read``: reads the run's inputs or the platform's data; executed in a plan too;
- ``output``: writes files of the run (workbooks, PDFs); described in a plan, not written;
- ``remote``: reads from a target system (browser, HTTP GET); described in a plan;
- ``external``: writes to another system (form submission, e-mail, HTTP POST); described in a
  plan; in production the item is marked before the first one (idempotency).
"""

import csv
import fnmatch
import io
import zipfile
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.template import Context, Engine

from jichitai.automation.errors import BusinessError, NotApplied, SystemFailure
from jichitai.core.registry import Registry

READ, OUTPUT, REMOTE, EXTERNAL = "read", "output", "remote", "external"


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    function: Callable[..., Any]
    schema: dict
    effect: str | Callable[[dict], str] = READ
    describe: Callable[[dict], str] | None = None
    required: tuple[str, ...] = field(default_factory=tuple)
    # Parameters passed as written, without placeholders resolved (an HTML template's own {{ }}).
    raw: tuple[str, ...] = field(default_factory=tuple)

    def effect_for(self, params: dict) -> str:
        return self.effect(params) if callable(self.effect) else self.effect

    def description(self, params: dict) -> str:
        if self.describe is not None:
            return self.describe(params)
        shown = ", ".join(f"{key}={_short(value)}" for key, value in params.items())
        return f"{self.label}: {shown}"


steps: Registry[Step] = Registry("automation steps")


def _short(value) -> str:
    if isinstance(value, list):
        return f"{len(value)} 件"
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


PLACEHOLDER = {"type": "string", "pattern": r"^\s*\{\{[^{}]+\}\}\s*$"}


def templatable(schema: dict) -> dict:
    """Lets a value that is only a ``{{ placeholder }}`` stand where any other type is expected."""
    if not schema:
        return schema
    schema = dict(schema)
    if "items" in schema and isinstance(schema["items"], dict):
        schema["items"] = templatable(schema["items"])
    if isinstance(schema.get("additionalProperties"), dict):
        schema["additionalProperties"] = templatable(schema["additionalProperties"])
    if schema.get("type") == "string" and "enum" not in schema:
        return schema
    return {"anyOf": [schema, PLACEHOLDER]}


def step(name, label, *, properties, required=(), effect=READ, describe=None, raw=()):
    schema = {
        "type": "object",
        "properties": {key: templatable(value) for key, value in properties.items()},
        "required": list(required),
        "additionalProperties": False,
    }

    def register(function):
        steps.register(
            name,
            Step(
                name=name,
                label=label,
                function=function,
                schema=schema,
                effect=effect,
                describe=describe,
                required=tuple(required),
                raw=tuple(raw),
            ),
        )
        return function

    return register


STRING = {"type": "string"}
STRINGS = {"type": "array", "items": {"type": "string"}}
ANY = {}


# --- Files -------------------------------------------------------------------------------------


@step(
    "files.list",
    "ファイルの一覧",
    properties={"input": STRING, "pattern": STRING},
    required=["input"],
)
def files_list(ctx, input, pattern="*"):
    folder = ctx.input_path(input)
    paths = [folder] if folder.is_file() else sorted(p for p in folder.rglob("*") if p.is_file())
    return [
        {"path": str(path), "name": path.name}
        for path in paths
        if fnmatch.fnmatch(path.name, pattern)
    ]


# --- Excel -------------------------------------------------------------------------------------


def _load_workbook(path, *, name, data_only=True):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(path, data_only=data_only)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise BusinessError(
            f"ファイル「{name}」を Excel ブック(.xlsx)として読めません({type(error).__name__})。"
        ) from None


def _as_number(value, *, where: str):
    if value is None or value == "":
        return None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    try:
        return Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise BusinessError(f"{where}: 「{value}」は数値ではありません。") from None


def _check_columns(found: list, wanted: list, *, where: str) -> None:
    missing = [column for column in wanted if column not in found]
    if missing:
        raise BusinessError(
            f"{where}: 列「{'」「'.join(missing)}」がありません(見出し: {'、'.join(str(f) for f in found if f)})。"
        )


@step(
    "excel.read",
    "Excel の読み取り",
    properties={
        "path": STRING,
        "sheet": STRING,
        "columns": STRINGS,
        "numbers": STRINGS,
        "header_row": {"type": "integer", "minimum": 1},
    },
    required=["path", "columns"],
)
def excel_read(ctx, path, columns, sheet=None, numbers=(), header_row=1):
    file = ctx.input_path(path)
    workbook = _load_workbook(file, name=file.name)
    if sheet is not None and sheet not in workbook.sheetnames:
        raise BusinessError(f"ファイル「{file.name}」にシート「{sheet}」がありません。")
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    rows = worksheet.iter_rows(min_row=header_row, values_only=True)
    header = [str(value).strip() if value is not None else "" for value in next(rows, ())]
    where = f"ファイル「{file.name}」シート「{worksheet.title}」{header_row}行目"
    _check_columns(header, columns, where=where)
    result = []
    for number, values in enumerate(rows, start=header_row + 1):
        if all(value is None or value == "" for value in values):
            continue
        record = {column: values[header.index(column)] for column in columns}
        for column in numbers:
            record[column] = _as_number(
                record.get(column),
                where=f"ファイル「{file.name}」{number}行目 列「{column}」",
            )
        record["_file"] = file.name
        record["_row"] = number
        result.append(record)
    return result


def _header_and_rows(rows: list[dict], columns: list[str] | None):
    header = columns or [key for key in (rows[0] if rows else {}) if not str(key).startswith("_")]
    return header, [[row.get(column) for column in header] for row in rows]


@step(
    "excel.write",
    "Excel ブックの作成",
    properties={
        "output": STRING,
        "sheets": {"type": "object", "additionalProperties": {"type": "array"}},
        "columns": STRINGS,
    },
    required=["output", "sheets"],
    effect=OUTPUT,
    describe=lambda p: (
        f"Excel ブックを作成: {p.get('output')}("
        + "、".join(
            f"{title} {len(rows or [])} 行" for title, rows in (p.get("sheets") or {}).items()
        )
        + ")"
    ),
)
def excel_write(ctx, output, sheets, columns=None):
    from jichitai.core.exports import export_xlsx

    content = export_xlsx(
        {title: _header_and_rows(rows, columns) for title, rows in sheets.items()}
    )
    return ctx.write_output(output, content)


@step(
    "excel.fill_template",
    "Excel 様式への転記",
    properties={
        "template": STRING,
        "output": STRING,
        "cells": {"type": "object"},
        "ranges": {"type": "object", "additionalProperties": {"type": "array"}},
    },
    required=["template", "output"],
    effect=OUTPUT,
    describe=lambda p: (
        f"様式に転記: {p.get('output')}(名前付きセル {len(p.get('cells') or {})} 個、"
        f"範囲 {len(p.get('ranges') or {})} 個)"
    ),
)
def excel_fill_template(ctx, template, output, cells=None, ranges=None):
    """Writes values into the template's defined names: a cell name gets one value, a range name
    gets rows (lists or dicts in column order) starting at its top-left cell."""
    from openpyxl.utils.cell import range_boundaries

    file = ctx.input_path(template)
    workbook = _load_workbook(file, name=file.name, data_only=False)

    def destinations(name):
        if name not in workbook.defined_names:
            raise BusinessError(f"様式「{file.name}」に名前「{name}」が定義されていません。")
        return list(workbook.defined_names[name].destinations)

    for name, value in (cells or {}).items():
        for sheet, reference in destinations(name):
            workbook[sheet][reference.replace("$", "").split(":")[0]] = value
    for name, rows in (ranges or {}).items():
        for sheet, reference in destinations(name):
            min_col, min_row, _max_col, max_row = range_boundaries(reference.replace("$", ""))
            if max_row is not None and len(rows) > max_row - min_row + 1:
                raise BusinessError(
                    f"様式「{file.name}」の範囲「{name}」は {max_row - min_row + 1} 行ですが、"
                    f"{len(rows)} 行を転記しようとしました。"
                )
            for offset, row in enumerate(rows):
                values = (
                    [value for key, value in row.items() if not str(key).startswith("_")]
                    if isinstance(row, dict)
                    else list(row)
                )
                for column_offset, value in enumerate(values):
                    workbook[sheet].cell(min_row + offset, min_col + column_offset, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return ctx.write_output(output, buffer.getvalue())


# --- CSV ---------------------------------------------------------------------------------------


@step(
    "csv.read",
    "CSV の読み取り",
    properties={
        "path": STRING,
        "columns": STRINGS,
        "numbers": STRINGS,
        "encoding": {"enum": ["auto", "utf-8", "cp932"]},
    },
    required=["path", "columns"],
)
def csv_read(ctx, path, columns, numbers=(), encoding="auto"):
    file = ctx.input_path(path)
    raw = file.read_bytes()
    encodings = (
        ["utf-8-sig", "cp932"] if encoding == "auto" else [encoding.replace("utf-8", "utf-8-sig")]
    )
    for candidate in encodings:
        try:
            text = raw.decode(candidate)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise BusinessError(
            f"ファイル「{file.name}」の文字コードが読み取れません(UTF-8 / Shift_JIS)。"
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [cell.strip() for cell in next(reader, [])]
    _check_columns(header, columns, where=f"ファイル「{file.name}」1行目")
    result = []
    for number, values in enumerate(reader, start=2):
        if not any(cell.strip() for cell in values):
            continue
        if len(values) < len(header):
            values = values + [""] * (len(header) - len(values))
        record = {column: values[header.index(column)].strip() for column in columns}
        for column in numbers:
            record[column] = _as_number(
                record[column], where=f"ファイル「{file.name}」{number}行目 列「{column}」"
            )
        record["_file"] = file.name
        record["_row"] = number
        result.append(record)
    return result


@step(
    "csv.write",
    "CSV の作成",
    properties={
        "output": STRING,
        "rows": {"type": "array"},
        "columns": STRINGS,
        "encoding": {"enum": ["utf-8-sig", "cp932"]},
    },
    required=["output", "rows"],
    effect=OUTPUT,
    describe=lambda p: f"CSV を作成: {p.get('output')}({len(p.get('rows') or [])} 行)",
)
def csv_write(ctx, output, rows, columns=None, encoding="utf-8-sig"):
    from jichitai.core.exports import export_csv

    header, values = _header_and_rows(rows, columns)
    return ctx.write_output(output, export_csv(header, values, encoding=encoding).content)


# --- Tables ------------------------------------------------------------------------------------


@step(
    "table.filter",
    "表の絞り込み",
    properties={"rows": {"type": "array"}, "equals": {"type": "object"}, "not_empty": STRINGS},
    required=["rows"],
)
def table_filter(ctx, rows, equals=None, not_empty=()):
    return [
        row
        for row in rows
        if all(str(row.get(k)) == str(v) for k, v in (equals or {}).items())
        and all(row.get(column) not in (None, "") for column in not_empty)
    ]


@step(
    "table.aggregate",
    "表の集計",
    properties={
        "rows": {"type": "array"},
        "group_by": STRINGS,
        "sum": STRINGS,
        "count": STRING,
    },
    required=["rows", "group_by"],
)
def table_aggregate(ctx, rows, group_by, sum=(), count=None):
    groups: OrderedDict = OrderedDict()
    for row in sorted(rows, key=lambda r: tuple(str(r.get(c, "")) for c in group_by)):
        key = tuple(row.get(column) for column in group_by)
        group = groups.setdefault(
            key, {**dict(zip(group_by, key, strict=True)), **dict.fromkeys(sum, 0)}
        )
        for column in sum:
            value = row.get(column)
            group[column] += _as_number(value, where=f"{row.get('_file', '')} 列「{column}」") or 0
        if count:
            group[count] = group.get(count, 0) + 1
    return list(groups.values())


@step(
    "check.equals",
    "値の確認",
    properties={"actual": ANY, "expected": ANY, "what": STRING},
    required=["actual", "expected"],
    describe=lambda p: f"確認: {p.get('what') or '値'}が「{p.get('expected')}」であること",
)
def check_equals(ctx, actual, expected, what="値"):
    """Stops the item (業務エラー) when what the target shows differs from what was entered, e.g.
    characters a Shift_JIS system cannot store."""
    if str(actual).strip() != str(expected).strip():
        raise BusinessError(f"{what}が入力と違います(入力「{expected}」、表示「{actual}」)。")
    return True


# --- PDF ---------------------------------------------------------------------------------------

_TEMPLATE_ENGINE = Engine(
    app_dirs=True,
    autoescape=True,
    libraries={"japanese": "jichitai.core.templatetags.japanese"},
)
_DOCUMENT_PAGE = _TEMPLATE_ENGINE.from_string(
    "{% extends 'core/pdf/base.html' %}{% block content %}{{ content }}{% endblock %}"
)


@step(
    "pdf.render",
    "PDF の作成(HTML 様式)",
    properties={
        "template": STRING,
        "html": STRING,
        "output": STRING,
        "context": {"type": "object"},
    },
    required=["output"],
    effect=OUTPUT,
    describe=lambda p: f"PDF を作成: {p.get('output')}(様式 {p.get('template') or 'HTML'})",
    raw=("html",),
)
def pdf_render(ctx, output, template=None, html=None, context=None):
    """A shipped template (``automation/pdf/…``) or staff-written HTML. The HTML is a Django
    template over ``context``; what it renders is reduced to document markup before it is placed in
    the PDF base template."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from jichitai.core.pdf import document_markup, html_to_pdf

    if template:
        if not template.startswith("automation/pdf/") or ".." in template.split("/"):
            raise BusinessError(f"様式「{template}」は使えません(automation/pdf/ の様式のみ)。")
        text = render_to_string(template, context or {})
    elif html:
        written = _TEMPLATE_ENGINE.from_string(html).render(Context(context or {}))
        markup = mark_safe(document_markup(written))  # noqa: S308  (sanitised by nh3)
        text = _DOCUMENT_PAGE.render(Context({"content": markup}))
    else:
        raise BusinessError("pdf.render には template か html のどちらかが必要です。")
    return ctx.write_output(output, html_to_pdf(text))


@step(
    "pdf.merge",
    "PDF の結合",
    properties={"files": STRINGS, "output": STRING},
    required=["files", "output"],
    effect=OUTPUT,
    describe=lambda p: f"PDF を結合: {len(p.get('files') or [])} ファイル → {p.get('output')}",
)
def pdf_merge(ctx, files, output):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for name in files:
        writer.append(str(ctx.output_path(name)))
    buffer = io.BytesIO()
    writer.write(buffer)
    return ctx.write_output(output, buffer.getvalue())


# --- Browser -----------------------------------------------------------------------------------


def _locate(ctx, page, selector):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_selector(selector, state="attached", timeout=ctx.selector_timeout_ms)
    except PlaywrightTimeout:
        raise BusinessError(
            f"画面({page.url})に項目「{selector}」が見つかりません。対象システムの画面が変更された可能性があります。"
        ) from None
    return page.locator(selector).first


def _check_status(ctx, page, what):
    status = ctx.browser.last_status
    if status is not None and status >= 500:
        raise NotApplied(f"対象システムが応答しません(HTTP {status}): {what}")
    if status is not None and status >= 400:
        raise BusinessError(f"対象システムがエラーを返しました(HTTP {status}): {what}")


@step(
    "browser.open",
    "画面を開く",
    properties={"target": STRING, "path": STRING},
    required=["target"],
    effect=REMOTE,
    describe=lambda p: f"画面を開く: {p.get('target')} {p.get('path', '/')}",
)
def browser_open(ctx, target, path="/"):
    url = ctx.target_url(target, path)

    def go(page):
        from playwright.sync_api import Error as PlaywrightError

        ctx.browser.last_status = None
        try:
            page.goto(url, wait_until="load")
        except PlaywrightError as error:
            raise NotApplied(
                f"対象システムに接続できません: {url} ({error.message.splitlines()[0]})"
            ) from None
        _check_status(ctx, page, url)

    ctx.browser.call(go)


def _fill_describe(p):
    shown = "[秘密情報]" if p.get("secret") else p.get("value")
    return f"入力: {p.get('selector')} ← {shown}"


@step(
    "browser.fill",
    "入力する",
    properties={"selector": STRING, "value": ANY, "secret": STRING},
    required=["selector"],
    effect=REMOTE,
    describe=_fill_describe,
)
def browser_fill(ctx, selector, value=None, secret=None):
    text = ctx.secret(secret) if secret else ("" if value is None else str(value))
    ctx.browser.call(lambda page: _locate(ctx, page, selector).fill(text))


@step(
    "browser.select",
    "選択する",
    properties={"selector": STRING, "value": ANY},
    required=["selector", "value"],
    effect=REMOTE,
    describe=lambda p: f"選択: {p.get('selector')} ← {p.get('value')}",
)
def browser_select(ctx, selector, value):
    def choose(page):
        from playwright.sync_api import Error as PlaywrightError

        try:
            _locate(ctx, page, selector).select_option(
                label=str(value), timeout=ctx.selector_timeout_ms
            )
        except PlaywrightError:
            raise BusinessError(f"項目「{selector}」に選択肢「{value}」がありません。") from None

    ctx.browser.call(choose)


@step(
    "browser.click",
    "クリックする",
    properties={"selector": STRING, "submit": {"type": "boolean"}},
    required=["selector"],
    effect=lambda p: EXTERNAL if p.get("submit") else REMOTE,
    describe=lambda p: (
        ("送信(書き込み): " if p.get("submit") else "クリック: ") + str(p.get("selector"))
    ),
)
def browser_click(ctx, selector, submit=False):
    def click(page):
        element = _locate(ctx, page, selector)
        ctx.browser.last_status = None
        element.click()
        page.wait_for_load_state("load")
        _check_status(ctx, page, selector)

    ctx.browser.call(click)


@step(
    "browser.read_text",
    "文字を読み取る",
    properties={"selector": STRING},
    required=["selector"],
    effect=REMOTE,
)
def browser_read_text(ctx, selector):
    return ctx.browser.call(lambda page: _locate(ctx, page, selector).inner_text().strip())


@step(
    "browser.read_table",
    "表を読み取る",
    properties={"selector": STRING},
    required=["selector"],
    effect=REMOTE,
)
def browser_read_table(ctx, selector):
    def read(page):
        table = _locate(ctx, page, selector)
        return table.evaluate(
            """table => {
                const rows = [...table.querySelectorAll('tr')].map(
                    tr => [...tr.querySelectorAll('th,td')].map(c => c.innerText.trim()));
                const header = rows.shift() || [];
                return rows.map(r => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
            }"""
        )

    return ctx.browser.call(read)


@step(
    "browser.download",
    "ダウンロードする",
    properties={"selector": STRING, "output": STRING},
    required=["selector", "output"],
    effect=REMOTE,
)
def browser_download(ctx, selector, output):
    def download(page):
        element = _locate(ctx, page, selector)
        with page.expect_download() as info:
            element.click()
        return open(info.value.path(), "rb").read()

    return ctx.write_output(output, ctx.browser.call(download))


@step(
    "browser.screenshot",
    "画面を保存する",
    properties={"output": STRING},
    required=["output"],
    effect=REMOTE,
)
def browser_screenshot(ctx, output):
    return ctx.write_output(output, ctx.browser.call(lambda page: page.screenshot(full_page=True)))


# --- E-mail and HTTP ---------------------------------------------------------------------------


@step(
    "email.send",
    "メールを送る",
    properties={"to": {"oneOf": [STRING, STRINGS]}, "subject": STRING, "body": STRING},
    required=["to", "subject", "body"],
    effect=EXTERNAL,
    describe=lambda p: f"メール送信: {p.get('to')}「{p.get('subject')}」",
)
def email_send(ctx, to, subject, body):
    from django.core.mail import send_mail

    recipients = [to] if isinstance(to, str) else list(to)
    send_mail(subject, body, None, recipients)
    return len(recipients)


@step(
    "http.call",
    "API を呼び出す",
    properties={
        "target": STRING,
        "path": STRING,
        "method": {"enum": ["GET", "POST", "PUT", "PATCH", "DELETE"]},
        "json": ANY,
        "params": {"type": "object"},
        "bearer_secret": STRING,
    },
    required=["target"],
    effect=lambda p: REMOTE if p.get("method", "GET") == "GET" else EXTERNAL,
    describe=lambda p: (
        f"API 呼び出し: {p.get('method', 'GET')} {p.get('target')} {p.get('path', '/')}"
    ),
)
def http_call(ctx, target, path="/", method="GET", json=None, params=None, bearer_secret=None):
    import requests

    url = ctx.target_url(target, path)
    headers = {"Authorization": f"Bearer {ctx.secret(bearer_secret)}"} if bearer_secret else {}
    try:
        response = requests.request(
            method, url, json=json, params=params, headers=headers, timeout=30
        )
    except requests.RequestException as error:
        raise NotApplied(f"API に接続できません: {error}") from None
    if response.status_code >= 500:
        raise NotApplied(f"API が応答しません(HTTP {response.status_code}): {response.url}")
    if response.status_code >= 400:
        raise BusinessError(
            f"API がエラーを返しました(HTTP {response.status_code}): {response.url}"
        )
    try:
        return response.json()
    except ValueError:
        return response.text


# --- The platform's own data -------------------------------------------------------------------


@step(
    "applications.approved",
    "承認済みの申請の読み取り",
    properties={"procedure": ANY},
    required=["procedure"],
)
def applications_approved(ctx, procedure):
    from jichitai.automation import selectors

    return selectors.approved_applications(ctx.organization, procedure)


@step(
    "applications.complete",
    "申請を完了にする",
    properties={"receipt_number": STRING, "message": STRING},
    required=["receipt_number"],
    effect=EXTERNAL,
    describe=lambda p: f"申請 {p.get('receipt_number')} を「完了」にする",
)
def applications_complete(ctx, receipt_number, message=""):
    """Marks an approved application of the organization completed (its history says why)."""
    from jichitai.procedures import services as procedures
    from jichitai.procedures.models import Application
    from jichitai.tenancy.selectors import for_tenant

    application = (
        for_tenant(Application, ctx.organization).filter(receipt_number=receipt_number).first()
    )
    if application is None:
        raise BusinessError(f"受付番号 {receipt_number} の申請がありません。")
    if application.status == Application.Status.COMPLETED:
        return application.status
    if application.status != Application.Status.APPROVED:
        raise BusinessError(
            f"受付番号 {receipt_number} の申請は「{application.get_status_display()}」のため完了にできません。"
        )
    procedures.change_status(
        actor=None, application=application, to_status="completed", message=message
    )
    return "completed"


__all__ = ["BusinessError", "NotApplied", "Step", "SystemFailure", "steps"]
