"""The demo's busy day: 津市 市民課 (where the demo clerk, manager and viewer work) owns two live
procedures with 標準処理期間 and applications received over the past two weeks — unassigned, some
near and some past their due date — and three more municipalities publish a procedure, so a
resident finds something in five of them."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from jichitai.procedures import services, workload
from jichitai.procedures.demo import EMAIL, NAME, PHONE, _person, _procedure, dated_back
from jichitai.procedures.demo_translations import move_fields, translate_move
from jichitai.procedures.models import Procedure
from jichitai.tenancy.models import Organization

CERTIFICATE_NAME = "住民票の写しの交付請求(郵送)"
MOVE_NAME = "転入・転居の事前届"
CERTIFICATE_FIELDS = [
    NAME,
    EMAIL,
    PHONE,
    {"name": "address", "type": "address", "label": "住所", "required": True},
    {
        "name": "copies",
        "type": "number",
        "label": "必要な通数",
        "required": True,
        "minimum": 1,
        "maximum": 5,
    },
    {
        "name": "purpose",
        "type": "single_choice",
        "label": "使いみち",
        "required": True,
        "choices": [
            {"value": label, "label": label}
            for label in ["年金の手続", "運転免許の手続", "相続の手続", "その他"]
        ],
    },
]
MOVE_FIELDS = move_fields(
    [
        NAME,
        EMAIL,
        PHONE,
        {
            "name": "birth_date",
            "type": "date",
            "label": "生年月日",
            "required": True,
            "help": "和暦でも入力できます(例: 昭和60年4月1日)",
        },
        {"name": "new_address", "type": "address", "label": "新しい住所", "required": True},
        {
            "name": "moving_on",
            "type": "date",
            "label": "引っ越しの予定日",
            "required": True,
        },
    ]
)
# 四日市市, 松阪市, 鈴鹿市: one published procedure each (division, name).
MORE_MUNICIPALITIES = [
    ("242021", "市民課", "マイナンバーカード出張申請受付の予約"),
    ("242047", "子育て推進課", "子育て応援講座の申込み"),
    ("242071", "環境政策課", "生ごみ処理機購入補助の事前相談"),
]
EVENT_FIELDS = [NAME, EMAIL, PHONE]
ADDRESS = {"postal_code": "514-0006", "address": "三重県津市広明町13番地", "building": ""}


def _received(procedure: Procedure, number: int, data: dict, days_ago: int) -> None:
    """Submits as a resident would, then dates it ``days_ago`` back (a demo needs a history)."""
    application = services.submit_application(
        procedure=procedure, data=data, idempotency_key=f"demo-busy-{procedure.pk}-{number}"
    ).application
    received = timezone.now() - timedelta(days=days_ago, hours=number % 7)
    dated_back(
        application,
        received,
        due_date=workload.due_date_for(procedure, timezone.localdate(received)),
    )


@transaction.atomic
def load() -> list[str]:
    tsu = Organization.objects.get(code="242012")
    lines = []
    certificate, created = _procedure(
        tsu,
        "市民課",
        CERTIFICATE_NAME,
        Procedure.Category.APPLICATION,
        CERTIFICATE_FIELDS,
        processing_days=5,
        description="郵送で住民票の写しをお送りします。本人または同じ世帯の方が請求できます。",
    )
    if created:
        for number in range(8):
            _received(
                certificate,
                number,
                {
                    "applicant": _person(number),
                    "email": f"tsu-certificate-{number}@example.jp",
                    "address": ADDRESS,
                    "copies": 1 + number % 2,
                    "purpose": ["年金の手続", "相続の手続", "その他"][number % 3],
                },
                days_ago=number * 2,
            )
        lines.append(f"津市 市民課: 「{CERTIFICATE_NAME}」8 件(期限超過・期限間近あり)")
    move, created = _procedure(
        tsu,
        "市民課",
        MOVE_NAME,
        Procedure.Category.NOTIFICATION,
        MOVE_FIELDS,
        processing_days=5,
        description="引っ越しの前に届け出ると、窓口での手続が短くなります。",
    )
    if created:
        translate_move(move)
        for number in range(24):
            _received(
                move,
                number,
                {
                    "applicant": _person(number),
                    "email": f"tsu-move-{number}@example.jp",
                    "birth_date": "昭和60年4月1日",
                    "new_address": ADDRESS,
                    "moving_on": str(timezone.localdate() + timedelta(days=14)),
                },
                days_ago=number % 8,
            )
        lines.append(
            f"津市 市民課: 「{MOVE_NAME}」24 件(未割当)、やさしい日本語・英語・ポルトガル語など 7 言語"
        )
    for code, division, name in MORE_MUNICIPALITIES:
        organization = Organization.objects.get(code=code)
        _procedure(
            organization,
            division,
            name,
            Procedure.Category.EVENT,
            EVENT_FIELDS,
            description="どなたでも申し込めます。",
            closes_at=timezone.now() + timedelta(days=60),
        )
    lines.append("四日市市・松阪市・鈴鹿市: 公開中の手続 各 1 件")
    return lines
