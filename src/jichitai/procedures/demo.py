"""Demo procedures: the prefecture's staff survey 「スマート自治体の進展を実感しますか」, an event
with 定員, a 届出 with an attachment, shared templates, and procedures of 津市 and 伊勢市, each
with some applications submitted through the same service residents use."""

import io
from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from jichitai.procedures import selectors, services
from jichitai.procedures.models import Application, ApplicationEvent, Procedure
from jichitai.procedures.services import documents
from jichitai.tenancy.models import Organization
from jichitai.tenancy.selectors import divisions_of

SURVEY_CHOICES = ["実感している", "やや実感している", "あまり実感していない", "実感していない"]
NAME = {"name": "applicant", "type": "name", "label": "氏名", "required": True}
EMAIL = {
    "name": "email",
    "type": "email",
    "label": "メールアドレス",
    "required": True,
    "help": "受付番号と状況確認のリンクをお送りします。",
}
PHONE = {"name": "phone", "type": "phone", "label": "電話番号", "required": False}


def _choices(labels):
    return [{"value": label, "label": label} for label in labels]


SURVEY_FIELDS = [
    {
        "name": "division_kind",
        "type": "single_choice",
        "label": "所属の種類",
        "required": True,
        "choices": _choices(["本庁", "地域機関", "その他"]),
    },
    {
        "name": "feel_progress",
        "type": "single_choice",
        "label": "スマート自治体の進展を実感しますか",
        "required": True,
        "choices": _choices(SURVEY_CHOICES),
        "help": "ICTを活用した取組により、効率的な業務環境の整備が進み、働き方が変わったと感じるかをお答えください。",
    },
    {
        "name": "used_tools",
        "type": "multiple_choice",
        "label": "この1年で使ったもの",
        "required": False,
        "choices": _choices(
            ["RPA", "AI-OCR", "Web会議", "ビジネスチャット", "テレワーク", "電子申請"]
        ),
    },
    {
        "name": "comment",
        "type": "textarea",
        "label": "ご意見",
        "required": False,
        "max_length": 1000,
    },
]
EVENT_FIELDS = [
    NAME,
    EMAIL,
    PHONE,
    {
        "name": "participants",
        "type": "persons",
        "label": "参加人数",
        "required": True,
        "maximum": 5,
        "help": "ご本人を含む人数(5人まで)",
    },
    {
        "name": "attend_online",
        "type": "single_choice",
        "label": "参加方法",
        "required": True,
        "choices": _choices(["会場", "オンライン"]),
    },
    {
        "name": "needs_support",
        "type": "single_choice",
        "label": "手話通訳・要約筆記の希望",
        "required": False,
        "choices": _choices(["希望する", "希望しない"]),
    },
    {
        "name": "support_detail",
        "type": "textarea",
        "label": "希望する支援の内容",
        "required": True,
        "show_if": {"field": "needs_support", "values": ["希望する"]},
    },
    {"name": "agree", "type": "consent", "label": "個人情報の取扱いに同意します", "required": True},
]
NOTIFICATION_FIELDS = [
    NAME,
    {
        "name": "birth_date",
        "type": "date",
        "label": "生年月日",
        "required": True,
        "help": "和暦でも入力できます(例: 昭和60年4月1日)",
    },
    {"name": "address", "type": "address", "label": "住所", "required": True},
    PHONE,
    EMAIL,
    {
        "name": "children",
        "type": "number",
        "label": "対象となる児童の数",
        "required": True,
        "minimum": 1,
        "maximum": 10,
    },
    {
        "name": "income_proof",
        "type": "file",
        "label": "所得を証明する書類",
        "required": True,
        "help": "PDF または写真(JPEG/PNG)、10MBまで",
    },
    {
        "name": "agree",
        "type": "consent",
        "label": "記載内容に相違ないことを誓約します",
        "required": True,
    },
]

SAMPLE_PEOPLE = [
    ("三重", "花子", "ミエ", "ハナコ"),
    ("津", "一郎", "ツ", "イチロウ"),
    ("伊勢", "美咲", "イセ", "ミサキ"),
    ("鈴鹿", "健太", "スズカ", "ケンタ"),
    ("松阪", "陽子", "マツサカ", "ヨウコ"),
    ("桑名", "大輔", "クワナ", "ダイスケ"),
]


def _procedure(
    organization, division_name, name, category, fields, **settings
) -> tuple[Procedure, bool]:
    existing = selectors.procedures_of(organization).filter(name=name).first()
    if existing is not None:
        return existing, False
    division = divisions_of(organization, include_inactive=True).get(name=division_name)
    procedure = services.create_procedure(
        actor=None,
        organization=organization,
        division=division,
        name=name,
        category=category,
        fields=fields,
        **settings,
    )
    services.publish_procedure(actor=None, procedure=procedure)
    return procedure, True


def _person(number: int) -> dict:
    family, given, family_kana, given_kana = SAMPLE_PEOPLE[number % len(SAMPLE_PEOPLE)]
    return {"family": family, "given": given, "family_kana": family_kana, "given_kana": given_kana}


def _pdf() -> SimpleUploadedFile:
    from jichitai.core.pdf import html_to_pdf

    content = html_to_pdf("<html lang='ja'><body><p>所得証明書(デモ)</p></body></html>")
    return SimpleUploadedFile(
        "所得証明書.pdf", io.BytesIO(content).getvalue(), content_type="application/pdf"
    )


# The same survey as held each November of the plan period 「スマート自治体の推進」 (令和3〜5年度):
# (answers, of which 実感している or やや実感している) — 20.0%, 35.6%, 62.0%.
SURVEY_IN_PLAN_PERIOD = {2021: (40, 8), 2022: (45, 16), 2023: (50, 31)}


def dated_back(application: Application, received: datetime, **fields) -> None:
    """Dates an application back to when it was received, its 受付 in the history with it (a
    demo needs a past)."""
    Application.objects.filter(pk=application.pk).update(submitted_at=received, **fields)
    ApplicationEvent.objects.filter(
        application=application, kind=ApplicationEvent.Kind.SUBMITTED
    ).update(at=received)


def _survey_in_plan_period(survey) -> str:
    for year, (answers, feeling) in SURVEY_IN_PLAN_PERIOD.items():
        held = timezone.make_aware(datetime(year, 11, 10, 10, 0))
        for number in range(answers):
            application = services.submit_application(
                procedure=survey,
                data={
                    "division_kind": ["本庁", "地域機関", "その他"][number % 3],
                    "feel_progress": SURVEY_CHOICES[number % 2 if number < feeling else 2],
                },
                idempotency_key=f"demo-survey-{year}-{number}",
            ).application
            dated_back(application, held + timedelta(minutes=number), fiscal_year=year)
    return "職員アンケート: 令和3〜5年度の回答 " + "・".join(
        f"{answers}件" for answers, _feeling in SURVEY_IN_PLAN_PERIOD.values()
    )


@transaction.atomic
def load() -> list[str]:
    prefecture = Organization.objects.get(code="240001")
    tsu = Organization.objects.get(code="242012")
    ise = Organization.objects.get(code="242039")
    lines = []

    survey, created = _procedure(
        prefecture,
        "スマート改革推進課",
        "スマート自治体に関する職員アンケート",
        Procedure.Category.SURVEY,
        SURVEY_FIELDS,
        description="スマート自治体の取組の効果を把握するための職員アンケートです(所要時間 約3分)。",
        listed=False,
    )
    if created:
        # 50 answers; 実感している + やや実感している = 14 (28.0%).
        pattern = [0] * 5 + [1] * 9 + [2] * 21 + [3] * 15
        for number, choice in enumerate(pattern):
            services.submit_application(
                procedure=survey,
                data={
                    "division_kind": ["本庁", "地域機関", "その他"][number % 3],
                    "feel_progress": SURVEY_CHOICES[choice],
                    "used_tools": ["Web会議", "電子申請"]
                    if number % 2
                    else ["RPA", "Web会議", "テレワーク"],
                },
                idempotency_key=f"demo-survey-{number}",
            )
        lines.append("職員アンケート: 回答 50 件")
        lines.append(_survey_in_plan_period(survey))

    seminar, created = _procedure(
        prefecture,
        "デジタル戦略企画課",
        "スマート自治体推進セミナー(市町職員向け)",
        Procedure.Category.EVENT,
        EVENT_FIELDS,
        capacity=30,
        description="県と市町の職員を対象に、AI-OCR と RPA の活用事例を紹介します。定員30人(先着順)。",
        closes_at=timezone.now() + timedelta(days=60),
        one_per_email=True,
        listed=False,
    )
    if created:
        for number in range(6):
            services.submit_application(
                procedure=seminar,
                data={
                    "applicant": _person(number),
                    "email": f"staff{number}@example.jp",
                    "participants": 1 + number % 2,
                    "attend_online": "会場" if number % 2 else "オンライン",
                    "agree": True,
                },
                idempotency_key=f"demo-seminar-{number}",
            )
        lines.append("セミナー: 申込み 6 件")

    status_report, created = _procedure(
        prefecture,
        "少子化対策課",
        "児童扶養手当 現況届",
        Procedure.Category.NOTIFICATION,
        NOTIFICATION_FIELDS,
        attachment_kinds=["pdf", "jpeg", "png"],
        retention_years=5,
        is_shared_template=True,
        description="毎年8月に提出が必要な届出です。所得を証明する書類を添付してください。",
    )
    if created:
        for number in range(3):
            services.submit_application(
                procedure=status_report,
                data={
                    "applicant": _person(number + 2),
                    "birth_date": "昭和60年4月1日",
                    "address": {
                        "postal_code": "514-0006",
                        "address": "三重県津市広明町13番地",
                        "building": "",
                    },
                    "email": f"resident{number}@example.jp",
                    "children": 1 + number,
                    "agree": True,
                },
                uploads={"income_proof": _pdf()},
                idempotency_key=f"demo-status-report-{number}",
            )
        lines.append("現況届: 3 件(添付あり)")

    _certificate_request, created = _procedure(
        prefecture,
        "自動車税事務所",
        "自動車税 納税証明書の交付申請(電子署名)",
        Procedure.Category.APPLICATION,
        [
            NAME,
            {
                "name": "plate",
                "type": "text",
                "label": "自動車登録番号",
                "required": True,
                "help": "例: 三重 300 あ 12-34",
            },
            {
                "name": "copies",
                "type": "number",
                "label": "必要な枚数",
                "required": True,
                "minimum": 1,
                "maximum": 5,
            },
            EMAIL,
        ],
        needs_signature=True,
        fee_kind=Procedure.FeeKind.FIXED,
        fee_amount=400,
        description="マイナンバーカードの電子証明書で署名して申請します。手数料は納付書またはオンライン決済でお支払いいただけます。",
    )
    if created:
        lines.append("電子署名と手数料のある手続: 「自動車税 納税証明書の交付申請(電子署名)」")

    lines += _room_permits(tsu)

    for organization, division, name in (
        (tsu, "情報政策課", "オープンデータ活用講座"),
        (ise, "情報政策課", "デジタル活用支援講座(スマホ教室)"),
    ):
        procedure, created = _procedure(
            organization,
            division,
            name,
            Procedure.Category.EVENT,
            EVENT_FIELDS,
            capacity=20,
            closes_at=timezone.now() + timedelta(days=45),
            description="どなたでも参加できます。定員20人(先着順)。",
        )
        if created:
            for number in range(3):
                services.submit_application(
                    procedure=procedure,
                    data={
                        "applicant": _person(number + 1),
                        "email": f"{organization.code}-{number}@example.jp",
                        "participants": 1,
                        "attend_online": "会場",
                        "agree": True,
                    },
                    idempotency_key=f"demo-{organization.code}-event-{number}",
                )
            lines.append(f"{organization.name}: 「{name}」申込み 3 件")
    return lines or ["手続: 読込済み"]


ROOM_FIELDS = [
    NAME,
    EMAIL,
    PHONE,
    {
        "name": "use_date",
        "type": "date",
        "label": "使用日",
        "required": True,
        "help": "和暦でも入力できます(例: 令和9年1月20日)",
        "constraint": ". >= today() and . <= date(today() + 92)",
        "constraint_message": "使用日は今日から3か月以内の日付を入力してください。",
    },
    {
        "name": "room",
        "type": "single_choice",
        "label": "会議室",
        "required": True,
        "choices": _choices(["第1会議室(20人)", "第2会議室(40人)"]),
    },
    {"name": "purpose", "type": "text", "label": "使用の目的", "required": True},
]
ROOM_PERMIT_BODY = """{申請者} 様

{受付日}に申請のあった「{手続}」(受付番号 {受付番号})について、次のとおり使用を許可します。

使用日: {使用日}
会議室: {会議室}
使用の目的: {使用の目的}

使用の条件
1. 使用料は納付期限までに納付してください。
2. 使用後は机といすを元の配置に戻してください。"""


def _room_permits(tsu) -> list[str]:
    """A procedure with a fee owed on receipt and a 許可証 issued on approval: one application
    approved with its permit issued, one waiting (its 納付書 unpaid)."""
    room, created = _procedure(
        tsu,
        "市民課",
        "市民活動センター 会議室の使用申請",
        Procedure.Category.APPLICATION,
        ROOM_FIELDS,
        fee_kind=Procedure.FeeKind.FIXED,
        fee_amount=1200,
        payment_due_days=14,
        description="使用日の3か月前から申請できます。1回3時間までです。承認後に使用許可証を発行します。",
    )
    if not created:
        return []
    documents.save_document_template(
        actor=None,
        procedure=room,
        kind="permit",
        title="市民活動センター会議室使用許可証",
        body=ROOM_PERMIT_BODY,
    )
    use_date = timezone.localdate() + timedelta(days=30)
    received = []
    for number, purpose in enumerate(("自治会役員会", "子ども会の打合せ")):
        received.append(
            services.submit_application(
                procedure=room,
                data={
                    "applicant": _person(number + 4),
                    "email": f"room-{number}@example.jp",
                    "use_date": use_date.isoformat(),
                    "room": "第1会議室(20人)",
                    "purpose": purpose,
                },
                idempotency_key=f"demo-room-{number}",
            ).application
        )
    services.change_status(actor=None, application=received[0], to_status="approved")
    documents.issue_document(actor=None, application=received[0])
    return [
        "手数料と許可証のある手続: 「市民活動センター 会議室の使用申請」(津市) 申請 2 件、"
        f"うち {received[0].receipt_number} は承認して使用許可証を発行"
    ]
