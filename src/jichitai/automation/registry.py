"""The automation module's plug-in registries: ``steps`` (every action a scenario can take; the
step modules in ``automation/steps/`` register themselves into it) and ``scenarios`` (scenarios
shipped with the platform and by other apps).

A step declares the JSON Schema of its parameters (the ``with:`` of a YAML step; the scenario
schema is built from these) and its effect, which decides what a plan (dry-run) does with it:

- ``read``: reads the run's inputs or the platform's data; executed in a plan too;
- ``output``: writes files of the run (workbooks, PDFs); described in a plan, not written;
- ``remote``: reads from a target system (browser, HTTP GET); described in a plan;
- ``external``: writes to another system (form submission, e-mail, HTTP POST); described in a
  plan; in production the item is marked before the first one (idempotency).

A scenario is registered under its name with its YAML definition, which staff can add to their
organization and change as a new version.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_noop

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


# Titles and help for the parameters, shown (translated) by the scenario editor; a step's own
# ``title``/``description`` in its property schema takes precedence.
PARAMETER_TEXTS = {
    "target": (
        gettext_noop("対象システム"),
        gettext_noop("シナリオの「操作する外部システム」に書いた名前から選びます。"),
    ),
    "path": (
        gettext_noop("パス・ファイル"),
        gettext_noop("対象システムの画面のパス(例: /records/new)、または読むファイル名。"),
    ),
    "selector": (
        gettext_noop("画面の項目(CSS セレクタ)"),
        gettext_noop("例: #name(id が name の入力欄)"),
    ),
    "value": (
        gettext_noop("値"),
        gettext_noop("{{ item.氏名 }} のように、処理中の1件の値を使えます。"),
    ),
    "secret": (
        gettext_noop("秘密情報の名前"),
        gettext_noop("パスワードなど。「秘密情報」の画面で登録した名前です。"),
    ),
    "submit": (
        gettext_noop("送信する(本番のみ実行)"),
        gettext_noop("他のシステムに書き込むボタンのときに付けます。"),
    ),
    "output": (gettext_noop("作るファイルの名前"), gettext_noop("例: 集計.xlsx")),
    "columns": (gettext_noop("使う列"), gettext_noop("使う列の見出しを1行に1つずつ書きます。")),
    "numbers": (gettext_noop("数値の列"), gettext_noop("カンマ付きの数字を数値として読む列です。")),
    "encoding": (gettext_noop("文字コード"), ""),
    "rows": (
        gettext_noop("表"),
        gettext_noop("前の手順の結果の名前を {{ 名前 }} の形で書きます。"),
    ),
    "sheet": (gettext_noop("シート名"), gettext_noop("空ならはじめのシートです。")),
    "header_row": (gettext_noop("見出しの行番号"), gettext_noop("1から数えます。")),
    "sheets": (
        gettext_noop("シートと表"),
        gettext_noop("「シート名: {{ 表 }}」を1行に1つずつ書きます。"),
    ),
    "template": (gettext_noop("ひな形"), gettext_noop("ひな形ファイルの名前です。")),
    "cells": (gettext_noop("セルと値"), gettext_noop("「B2: 値」を1行に1つずつ書きます。")),
    "ranges": (gettext_noop("範囲と表"), gettext_noop("「A5: {{ 表 }}」を1行に1つずつ書きます。")),
    "input": (gettext_noop("入力の名前"), gettext_noop("シナリオの入力(ファイル)の名前です。")),
    "pattern": (gettext_noop("ファイル名の型"), gettext_noop("例: *.xlsx")),
    "to": (gettext_noop("宛先"), gettext_noop("メールアドレス。")),
    "subject": (gettext_noop("メールの件名"), ""),
    "body": (gettext_noop("メールの本文"), ""),
    "method": (
        gettext_noop("送り方(HTTP メソッド)"),
        gettext_noop("GET は読み取り、それ以外は書き込みです。"),
    ),
    "json": (gettext_noop("送る内容(JSON)"), ""),
    "params": (
        gettext_noop("問い合わせの条件"),
        gettext_noop("「名前: 値」を1行に1つずつ書きます。"),
    ),
    "bearer_secret": (gettext_noop("認証トークンの秘密情報の名前"), ""),
    "html": (
        gettext_noop("ひな形(HTML)"),
        gettext_noop("ひな形ファイルの代わりに直接書く HTML です。"),
    ),
    "context": (gettext_noop("差し込む値"), gettext_noop("「名前: 値」を1行に1つずつ書きます。")),
    "files": (gettext_noop("結合するファイル"), gettext_noop("1行に1つずつ書きます。")),
    "procedure": (
        gettext_noop("手続"),
        gettext_noop("実行時に選ぶ手続、またはこの団体の手続から選びます。"),
    ),
    "receipt_number": (gettext_noop("受付番号"), gettext_noop("例: {{ item.receipt_number }}")),
    "message": (gettext_noop("申請者への連絡"), gettext_noop("申請の履歴に残ります。")),
    "equals": (gettext_noop("この値なら"), gettext_noop("この値と同じとき条件に合います。")),
    "not_empty": (
        gettext_noop("空でない列"),
        gettext_noop("値が空の行を除く列を1行に1つずつ書きます。"),
    ),
    "group_by": (gettext_noop("まとめる列"), gettext_noop("1行に1つずつ書きます。")),
    "sum": (gettext_noop("合計する列"), gettext_noop("1行に1つずつ書きます。")),
    "count": (gettext_noop("件数を入れる列の名前"), ""),
    "actual": (gettext_noop("画面に表示された値"), gettext_noop("例: {{ shown_name }}")),
    "expected": (gettext_noop("入力した値"), gettext_noop("例: {{ item.name }}")),
    "what": (gettext_noop("確認する項目の名前"), gettext_noop("業務エラーの説明に使います。")),
    "in": (
        gettext_noop("これらの値なら"),
        gettext_noop("1行に1つずつ書きます。どれかと同じとき条件に合います。"),
    ),
    "empty": (gettext_noop("空なら"), gettext_noop("値が空のとき条件に合います。")),
    "reason": (gettext_noop("処理しない理由"), gettext_noop("対象外とした件の説明に残ります。")),
}


def _with_texts(key: str, schema: dict) -> dict:
    title, description = PARAMETER_TEXTS.get(key, (key, ""))
    texts = {"title": schema.get("title", title)}
    if schema.get("description", description):
        texts["description"] = schema.get("description", description)
    return {**templatable(schema), **texts}


def step(name, label, *, properties, required=(), effect=READ, describe=None, raw=()):
    schema = {
        "type": "object",
        "properties": {key: _with_texts(key, value) for key, value in properties.items()},
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


# --- Shipped scenarios -----------------------------------------------------------------------


@dataclass(frozen=True)
class ShippedScenario:
    """A scenario shipped as a template. Those under ``scenarios/prefecture/`` do the prefecture's
    own work (自動車税, 県の奨学金) and are offered to the prefecture only; the others suit any
    government."""

    name: str
    path: Path
    prefecture_only: bool = False

    @property
    def source(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def title(self) -> str:
        from jichitai.core.safe_yaml import load_yaml

        return load_yaml(self.source).get("title", self.name)

    def suits(self, organization) -> bool:
        return organization.is_prefecture or not self.prefecture_only


scenarios: Registry[ShippedScenario] = Registry("automation scenarios")

SHIPPED = Path(__file__).parent / "scenarios"
for _path in sorted(SHIPPED.glob("*.yaml")):
    scenarios.register(_path.stem, ShippedScenario(_path.stem, _path))
for _path in sorted((SHIPPED / "prefecture").glob("*.yaml")):
    scenarios.register(_path.stem, ShippedScenario(_path.stem, _path, prefecture_only=True))
