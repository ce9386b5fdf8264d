"""The OpenAPI 3.1 document of the CKAN Action API's read actions (``/api/3/openapi.json``), built
from the same bounds the actions enforce, so a client (and the suite's fuzzing) sees the limits that
answer 400 when crossed. Writing actions follow CKAN's own documentation and need a token."""

from jichitai.opendata import ckan, ckan_query, selectors


def _integer(minimum: int, maximum: int, description: str) -> dict:
    return {
        "type": "integer",
        "minimum": minimum,
        "maximum": maximum,
        "description": description,
    }


def _text(max_length: int, description: str) -> dict:
    return {"type": "string", "maxLength": max_length, "description": description}


BOOLEAN = {"type": "boolean"}
IDENTIFIER = _text(ckan.MAX_IDENTIFIER_LENGTH, "名前または ID")

# Per action: its summary and query parameters (name → (schema, required)).
READ_ACTIONS = {
    "status_show": ("サイトの CKAN バージョンと情報", {}),
    "package_list": (
        "公開データセットの名前の一覧",
        {
            "offset": (_integer(0, selectors.MAX_START, "先頭から飛ばす件数"), False),
            "limit": (_integer(0, ckan.MAX_LIST_LIMIT, "返す件数"), False),
        },
    ),
    "package_show": ("データセット 1 件", {"id": (IDENTIFIER, True)}),
    "package_search": (
        "データセットの検索(ファセット付き)",
        {
            "q": (
                _text(
                    ckan_query.MAX_QUERY_LENGTH,
                    "検索語と field:値(Lucene 構文の一部。語と条件は合わせて "
                    f"{ckan_query.MAX_QUERY_TERMS} 個まで)",
                ),
                False,
            ),
            "fq": (_text(ckan_query.MAX_QUERY_LENGTH, "絞り込み(q と同じ構文)"), False),
            "sort": (_text(ckan.MAX_SORT_LENGTH, "例: metadata_modified desc"), False),
            "rows": (_integer(0, selectors.MAX_ROWS, "返す件数(それより大きい値は上限)"), False),
            "start": (_integer(0, selectors.MAX_START, "先頭から飛ばす件数"), False),
            "facet": (BOOLEAN, False),
            "facet.field": (
                _text(ckan.MAX_FACET_FIELD_LENGTH, 'JSON の配列。例: ["tags","organization"]'),
                False,
            ),
            "facet.limit": (_integer(-1, ckan.MAX_FACET_LIMIT, "-1 は無制限"), False),
            "include_private": (BOOLEAN, False),
        },
    ),
    "resource_show": ("リソース 1 件", {"id": (IDENTIFIER, True)}),
    "organization_list": (
        "団体の一覧",
        {
            "offset": (_integer(0, selectors.MAX_START, "先頭から飛ばす件数"), False),
            "limit": (_integer(0, ckan.MAX_LIST_LIMIT, "返す件数"), False),
            "all_fields": (BOOLEAN, False),
        },
    ),
    "organization_show": (
        "団体 1 件",
        {"id": (IDENTIFIER, True), "include_datasets": (BOOLEAN, False)},
    ),
    "group_list": ("分類の一覧", {"all_fields": (BOOLEAN, False)}),
    "group_show": (
        "分類 1 件",
        {"id": (IDENTIFIER, True), "include_datasets": (BOOLEAN, False)},
    ),
    "tag_list": (
        "公開データセットのタグ",
        {
            "query": (_text(ckan.MAX_IDENTIFIER_LENGTH, "部分一致"), False),
            "all_fields": (BOOLEAN, False),
        },
    ),
    "license_list": ("ライセンスの一覧", {}),
    "help_show": ("アクションの説明", {"name": (_text(100, "アクション名"), True)}),
}

ENVELOPE = {
    "type": "object",
    "required": ["help", "success"],
    "properties": {
        "help": {"type": "string"},
        "success": {"type": "boolean"},
        "result": {},
        "error": {
            "type": "object",
            "required": ["__type"],
            "properties": {"__type": {"type": "string"}, "message": {"type": "string"}},
        },
    },
}


def _responses() -> dict:
    answer = {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Envelope"}}}
    }
    return {
        "200": {"description": "成功(result に結果)", **answer},
        "400": {"description": "使えないパラメーター(error にパラメーター名と理由)", **answer},
        "403": {"description": "トークンが無効、または権限がない", **answer},
        "404": {"description": "見つからない", **answer},
        "409": {"description": "必須の値がない", **answer},
    }


def _get(name: str, summary: str, parameters: dict) -> dict:
    return {
        "operationId": f"{name}_get",
        "summary": summary,
        "parameters": [
            {"name": key, "in": "query", "required": required, "schema": schema}
            for key, (schema, required) in parameters.items()
        ],
        "responses": _responses(),
    }


def _post(name: str, summary: str, parameters: dict) -> dict:
    return {
        "operationId": f"{name}_post",
        "summary": summary,
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {key: schema for key, (schema, _req) in parameters.items()},
                        "required": [key for key, (_s, required) in parameters.items() if required],
                    }
                }
            },
        },
        "responses": _responses(),
    }


def document(base_url: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "jichitai CKAN Action API",
            "version": ckan.CKAN_VERSION,
            "description": (
                "CKAN 互換のオープンデータ API(読み取り)。どのアクションも GET のクエリー"
                "または POST の JSON で呼べます。答えは CKAN の形 {help, success, result|error}。"
            ),
        },
        "servers": [{"url": base_url}],
        "paths": {
            f"/api/3/action/{name}": {
                "get": _get(name, summary, parameters),
                "post": _post(name, summary, parameters),
            }
            for name, (summary, parameters) in READ_ACTIONS.items()
        },
        "components": {"schemas": {"Envelope": ENVELOPE}},
    }
