"""Sample inputs for the reference scenarios, used by the demo, the tests and the benchmark:
per-division monthly electricity reports, a list for notices and payment slips, and a procedure
「自動車税 送付先変更届」 with approved applications."""

import io
from pathlib import Path

from django.db import transaction

from jichitai.core.exports import export_csv

ELECTRICITY_DIVISIONS = ["地球温暖化対策課", "自動車税事務所", "教育財務課", "県立病院課"]
FACILITIES = ["本庁舎", "分室", "倉庫"]


def electricity_workbook(division: str, month: str, *, seed: int = 0) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "電気使用量"
    sheet.append(["所属", "年月", "施設", "使用量(kWh)", "備考"])
    for index, facility in enumerate(FACILITIES):
        sheet.append([division, month, facility, 1000 + 137 * seed + 41 * index, ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_electricity_reports(folder: Path, *, months=("2021-04", "2021-05")) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for seed, division in enumerate(ELECTRICITY_DIVISIONS):
        for month in months:
            path = folder / f"{month}_{division}.xlsx"
            path.write_bytes(electricity_workbook(division, month, seed=seed))
            paths.append(path)
    return paths


NOTICE_COLUMNS = ["番号", "氏名", "郵便番号", "住所", "金額", "納期限"]
NOTICE_PEOPLE = [
    ("三重 花子", "514-0006", "三重県津市広明町13番地"),
    ("伊勢 一郎", "516-0037", "三重県伊勢市岩渕一丁目7番29号"),
    ("鈴鹿 美咲", "513-0801", "三重県鈴鹿市神戸一丁目18番18号"),
    ("桑名 健太", "511-0068", "三重県桑名市中央町二丁目37番地"),
]


def notice_rows(count: int = 4) -> list[list]:
    return [
        [
            f"{number:04d}",
            *NOTICE_PEOPLE[(number - 1) % len(NOTICE_PEOPLE)][:1],
            *NOTICE_PEOPLE[(number - 1) % len(NOTICE_PEOPLE)][1:],
            12000 + 500 * number,
            "令和8年1月31日",
        ]
        for number in range(1, count + 1)
    ]


def notice_list_csv(count: int = 4, *, encoding: str = "cp932") -> bytes:
    return export_csv(NOTICE_COLUMNS, notice_rows(count), encoding=encoding).content


VEHICLE_TAX_PROCEDURE = "自動車税 送付先変更届"
VEHICLE_TAX_FIELDS = [
    {"name": "applicant", "type": "name", "label": "氏名", "required": True},
    {"name": "email", "type": "email", "label": "メールアドレス", "required": True},
    {"name": "address", "type": "address", "label": "新しい送付先", "required": True},
    {"name": "plate", "type": "text", "label": "自動車登録番号", "required": True},
    {
        "name": "reason",
        "type": "single_choice",
        "label": "変更理由",
        "required": True,
        "choices": [{"value": v, "label": v} for v in ["転居", "住居表示の変更", "その他"]],
    },
]
PEOPLE = [
    ("三重", "花子", "ミエ", "ハナコ"),
    ("津", "一郎", "ツ", "イチロウ"),
    ("伊勢", "美咲", "イセ", "ミサキ"),
    ("鈴鹿", "健太", "スズカ", "ケンタ"),
    ("松阪", "陽子", "マツサカ", "ヨウコ"),
]


@transaction.atomic
def vehicle_tax_procedure(organization, *, approved: int = 3, received: int = 1, division=None):
    """The procedure with ``approved`` approved and ``received`` unreviewed applications."""
    from jichitai.procedures import services
    from jichitai.procedures.models import Procedure
    from jichitai.tenancy.models import Division
    from jichitai.tenancy.selectors import for_tenant

    procedure = for_tenant(Procedure, organization).filter(name=VEHICLE_TAX_PROCEDURE).first()
    if procedure is not None:
        return procedure
    division = (
        division
        or for_tenant(Division, organization).get_or_create(
            name="自動車税事務所", defaults={"organization": organization}
        )[0]
    )
    procedure = services.create_procedure(
        actor=None,
        organization=organization,
        division=division,
        name=VEHICLE_TAX_PROCEDURE,
        category=Procedure.Category.NOTIFICATION,
        fields=VEHICLE_TAX_FIELDS,
        description="自動車税の納税通知書の送付先を変更するときの届出です。",
    )
    services.publish_procedure(actor=None, procedure=procedure)
    for number in range(approved + received):
        family, given, family_kana, given_kana = PEOPLE[number % len(PEOPLE)]
        submission = services.submit_application(
            procedure=procedure,
            data={
                "applicant": {
                    "family": family,
                    "given": given,
                    "family_kana": family_kana,
                    "given_kana": given_kana,
                },
                "email": f"owner{number}@example.jp",
                "address": {
                    "postal_code": "514-0006",
                    "address": f"三重県津市広明町{number + 1}番地",
                    "building": "",
                },
                "plate": f"三重 300 さ {1000 + number}",
                "reason": "転居" if number % 2 == 0 else "住居表示の変更",
            },
            idempotency_key=f"vehicle-tax-{organization.code}-{number}",
        )
        if number < approved:
            services.change_status(
                actor=None, application=submission.application, to_status="approved"
            )
    return procedure
