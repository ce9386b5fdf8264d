"""The foundation's demo: the prefecture and its 29 municipalities (from the shipped CSV), the
prefecture's divisions named in the plans, a few municipal divisions and demo staff."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from jichitai.core import japanese
from jichitai.demo.registry import DemoLoader, demo_loaders
from jichitai.tenancy.models import Division, Membership, Organization, Role
from jichitai.tenancy.selectors import for_tenant

DATA_DIR = Path(__file__).parent / "data"
DEMO_PASSWORD = "jichitai-demo-2026"  # noqa: S105  (printed by `make run`; demo accounts only)
PREFECTURE_CODE = "240001"
TSU_CODE = "242012"
ISE_CODE = "242039"
# Municipalities whose residents find published procedures in the demo (津市 and 伊勢市 have staff).
DEMO_MUNICIPALITY_CODES = [TSU_CODE, "242021", ISE_CODE, "242047", "242071"]

# Divisions of the prefecture as the plans name them: (部局, 所属).
PREFECTURE_DIVISIONS = [
    ("総務部", "スマート改革推進課"),
    ("デジタル社会推進局", "デジタル戦略企画課"),
    ("デジタル社会推進局", "デジタル改革推進課"),
    ("子ども・福祉部", "少子化対策課"),
    ("子ども・福祉部", "児童相談センター"),
    ("総務部", "自動車税事務所"),
    ("環境生活部", "地球温暖化対策課"),
    ("環境生活部", "ダイバーシティ社会推進課"),
    ("環境生活部", "大気・水環境課"),
    ("環境生活部", "廃棄物・リサイクル課"),
    ("県土整備部", "県土整備総務課"),
    ("県土整備部", "道路管理課"),
    ("県土整備部", "松阪建設事務所"),
    ("教育委員会", "教育財務課"),
    ("教育委員会", "学校経理・施設課"),
    ("病院事業庁", "県立病院課"),
    ("地域連携部", "市町行財政課"),
]
MUNICIPAL_DIVISIONS = [
    ("総務部", "情報政策課"),
    ("市民部", "市民課"),
    ("健康福祉部", "子育て推進課"),
    ("環境部", "環境政策課"),
]


@dataclass(frozen=True)
class DemoStaff:
    username: str
    full_name: str
    organization_code: str
    role: str
    division: str | None


# One login per role for the prefecture and 津市; each clerk and viewer belongs to a division that
# owns live procedures with applications waiting (procedures.demo_busy_day).
DEMO_STAFF = [
    DemoStaff("pref-admin", "三重 太郎", PREFECTURE_CODE, Role.ADMIN, "スマート改革推進課"),
    DemoStaff("pref-manager", "鈴鹿 花子", PREFECTURE_CODE, Role.MANAGER, "デジタル戦略企画課"),
    DemoStaff("pref-clerk", "伊賀 次郎", PREFECTURE_CODE, Role.CLERK, "少子化対策課"),
    DemoStaff("pref-viewer", "名張 三郎", PREFECTURE_CODE, Role.VIEWER, "少子化対策課"),
    DemoStaff("tsu-admin", "津 一郎", TSU_CODE, Role.ADMIN, "情報政策課"),
    DemoStaff("tsu-manager", "津 和子", TSU_CODE, Role.MANAGER, "市民課"),
    DemoStaff("tsu-clerk", "津 さくら", TSU_CODE, Role.CLERK, "市民課"),
    DemoStaff("tsu-viewer", "津 誠", TSU_CODE, Role.VIEWER, "市民課"),
    DemoStaff("ise-admin", "伊勢 健", ISE_CODE, Role.ADMIN, "情報政策課"),
    DemoStaff("ise-clerk", "伊勢 みどり", ISE_CODE, Role.CLERK, "子育て推進課"),
]


def read_local_governments() -> list[dict[str, str]]:
    with (DATA_DIR / "mie_local_governments.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        japanese.validate_local_government_code(row["全国地方公共団体コード"])
    return rows


@transaction.atomic
def load() -> list[str]:
    lines = []
    prefecture = None
    for row in read_local_governments():
        kind = row["種別"]
        organization, created = Organization.objects.update_or_create(
            code=row["全国地方公共団体コード"],
            defaults={
                "name": row["団体名"],
                "name_kana": row["よみ"],
                "kind": kind,
                "parent": None if kind == Organization.Kind.PREFECTURE else prefecture,
            },
        )
        if kind == Organization.Kind.PREFECTURE:
            prefecture = organization
            Organization.objects.filter(pk=organization.pk).update(
                postal_code="514-8570",
                address="三重県津市広明町13番地",
                phone="059-224-3070",
                website="https://www.pref.mie.lg.jp/",
            )
    # 津市, the demo's busiest municipality, answers residents' questions from its city hall.
    Organization.objects.filter(code="242012", phone="").update(
        postal_code="514-8611",
        address="三重県津市西丸之内23番1号",
        phone="059-229-3111",
        website="https://www.info.city.tsu.mie.jp/",
    )
    lines.append(f"団体: {Organization.objects.count()} (三重県と29市町)")
    # An example 個人情報の取扱い for the demo's organizations, kept once an admin has written one;
    # the other municipalities show the page that says none is written yet.
    Organization.objects.filter(
        code__in=[prefecture.code, *DEMO_MUNICIPALITY_CODES], privacy_policy=""
    ).update(privacy_policy=(DATA_DIR / "privacy_policy.txt").read_text(encoding="utf-8").strip())

    for department, name in PREFECTURE_DIVISIONS:
        Division.objects.get_or_create(
            organization=prefecture, name=name, defaults={"department": department}
        )
    for code in DEMO_MUNICIPALITY_CODES:
        organization = Organization.objects.get(code=code)
        for department, name in MUNICIPAL_DIVISIONS:
            Division.objects.get_or_create(
                organization=organization, name=name, defaults={"department": department}
            )
    lines.append(f"所属: {Division.objects.count()}")

    user_model = get_user_model()
    for staff in DEMO_STAFF:
        user, created = user_model.objects.get_or_create(
            username=staff.username,
            defaults={
                "full_name": staff.full_name,
                "email": f"{staff.username}@demo.jichitai.localhost",
                "is_demo": True,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        organization = Organization.objects.get(code=staff.organization_code)
        division = for_tenant(Division, organization).filter(name=staff.division).first()
        Membership.objects.update_or_create(
            user=user,
            organization=organization,
            defaults={"role": staff.role, "division": division, "is_active": True},
        )
    lines.append(f"デモ職員: {len(DEMO_STAFF)} 名")
    return lines


demo_loaders.register("foundation", DemoLoader(load=load, order=0))
