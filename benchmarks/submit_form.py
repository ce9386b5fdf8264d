"""The form bench-submit and bench-scale submit: a 20-field 講座 application with a conditional
field, the body every request sends, and the published procedure that takes it."""

import os

CHOICES = [{"value": v, "label": v} for v in ("会場", "オンライン", "未定")]
FIELDS = [
    {"name": "applicant", "type": "name", "label": "氏名", "required": True},
    {"name": "birth", "type": "date", "label": "生年月日", "required": True},
    {"name": "address", "type": "address", "label": "住所", "required": True},
    {"name": "phone", "type": "phone", "label": "電話番号", "required": True},
    {"name": "email", "type": "email", "label": "メールアドレス", "required": True},
    {"name": "postal", "type": "postal_code", "label": "勤務先郵便番号", "required": False},
    {"name": "company", "type": "text", "label": "勤務先", "required": False},
    {"name": "department", "type": "text", "label": "部署", "required": False},
    {"name": "position", "type": "text", "label": "役職", "required": False},
    {
        "name": "participants",
        "type": "number",
        "label": "参加人数",
        "required": True,
        "minimum": 1,
        "maximum": 5,
    },
    {
        "name": "children",
        "type": "number",
        "label": "同伴の子ども",
        "required": False,
        "minimum": 0,
        "maximum": 5,
    },
    {
        "name": "attend",
        "type": "single_choice",
        "label": "参加方法",
        "required": True,
        "choices": CHOICES,
    },
    {
        "name": "session",
        "type": "single_choice",
        "label": "希望の回",
        "required": True,
        "choices": [{"value": f"第{n}回", "label": f"第{n}回"} for n in range(1, 4)],
    },
    {
        "name": "topics",
        "type": "multiple_choice",
        "label": "関心のある分野",
        "required": False,
        "choices": [
            {"value": t, "label": t} for t in ("RPA", "AI-OCR", "オープンデータ", "電子申請")
        ],
    },
    {
        "name": "needs_support",
        "type": "single_choice",
        "label": "支援の希望",
        "required": False,
        "choices": [
            {"value": "希望する", "label": "希望する"},
            {"value": "希望しない", "label": "希望しない"},
        ],
    },
    {
        "name": "support_detail",
        "type": "textarea",
        "label": "支援の内容",
        "required": True,
        "show_if": {"field": "needs_support", "values": ["希望する"]},
    },
    {
        "name": "question",
        "type": "textarea",
        "label": "事前質問",
        "required": False,
        "max_length": 1000,
    },
    {"name": "how_known", "type": "text", "label": "知ったきっかけ", "required": False},
    {
        "name": "newsletter",
        "type": "single_choice",
        "label": "お知らせメール",
        "required": False,
        "choices": [
            {"value": "受け取る", "label": "受け取る"},
            {"value": "受け取らない", "label": "受け取らない"},
        ],
    },
    {"name": "agree", "type": "consent", "label": "個人情報の取扱いに同意します", "required": True},
]
BODY = {
    "applicant": {"family": "三重", "given": "花子", "family_kana": "ミエ", "given_kana": "ハナコ"},
    "birth": "昭和60年4月1日",
    "address": {
        "postal_code": "514-0006",
        "address": "三重県津市広明町13番地",
        "building": "県庁舎3階",
    },
    "phone": "059-224-3070",
    "email": "hanako@example.jp",
    "postal": "5140006",
    "company": "三重県庁",
    "department": "スマート改革推進課",
    "position": "主査",
    "participants": 2,
    "children": 0,
    "attend": "会場",
    "session": "第2回",
    "topics": ["RPA", "AI-OCR"],
    "needs_support": "希望する",
    "support_detail": "要約筆記を希望します",
    "question": "AI-OCR の導入手順について教えてください。",
    "how_known": "県のホームページ",
    "newsletter": "受け取る",
    "agree": True,
}


def publish_procedure(name: str, fields: list[dict]) -> int:
    """Sets Django up from the environment, creates the organization (津市) with a division and
    publishes a procedure called ``name`` with ``fields``; returns its id. What bench-submit,
    bench-scale and make test-faults submit to."""
    import django

    django.setup()
    from jichitai.procedures import services
    from jichitai.tenancy.models import Division, Organization

    organization = Organization.objects.create(
        code="242012", name="津市", name_kana="つし", kind="city"
    )
    division = Division.objects.create(organization=organization, name="情報政策課")
    procedure = services.create_procedure(
        actor=None,
        organization=organization,
        division=division,
        name=name,
        category="event",
        fields=fields,
    )
    services.publish_procedure(actor=None, procedure=procedure)
    return procedure.pk


def prepare(env: dict) -> int:
    """Creates the organization and the published 20-field procedure; returns its id."""
    os.environ.update(env)
    return publish_procedure("ベンチマーク講座", FIELDS)
