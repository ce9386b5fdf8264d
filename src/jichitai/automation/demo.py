"""The automation demo: the three reference scenarios in the prefecture (集計, 転記, 帳票発行),
the procedure whose approved applications the 転記 scenario enters into the legacy system, the
legacy system's password in the vault, sample input files under var/automation-demo/, the
集計 scenario once planned, approved and run on them (so a run, its workbook and this 年度's
ledger line are there to open), and the R3 (2021年度) effect ledger of the 13 tasks of seed 001:
2,681 h → 1,479 h (−1,202 h, −44.8%).

The seed gives only the total before and after; the split per task below is illustrative."""

from decimal import Decimal

from django.conf import settings
from django.db import transaction

from jichitai.automation import samples, services
from jichitai.automation.models import LedgerLine, Run, Scenario, Secret
from jichitai.automation.registry import scenarios
from jichitai.automation.runner import execute
from jichitai.tenancy.models import Organization
from jichitai.tenancy.selectors import for_tenant, members_of

PREFECTURE_CODE = "240001"
LEGACY_PASSWORD = "legacy-demo-pass"  # noqa: S105  (the demo legacy system's own default)

# (所属, 業務, 導入前 h, 導入後 h) — seed 001 lists the tasks; the per-task hours are illustrative
# and add up to the seed's totals.
R3_TASKS = [
    ("自動車税事務所", "自動車税送付先変更届に係る情報の入力", 420, 230),
    ("少子化対策課", "福祉行政報告例のとりまとめ作業", 180, 100),
    ("児童相談センター(総務調整課)", "支払調書の作成", 150, 80),
    ("地球温暖化対策課", "県の電気使用量集計、省エネ法定期報告等", 260, 140),
    ("ダイバーシティ社会推進課", "外国人住民人口調査", 120, 70),
    ("大気・水環境課", "歳出決算額集計表の作成", 140, 75),
    ("廃棄物・リサイクル課", "産業廃棄物処理業者から提出される実績報告書の集計", 310, 175),
    ("県土整備総務課", "契約率の算出", 95, 50),
    ("道路管理課", "橋梁点検結果のデータベース登録", 280, 150),
    ("松阪建設事務所", "港湾統計の一部(津松阪港管理分所担当)", 160, 90),
    ("教育財務課", "奨学金返還金に係る納付書、現金受入票等の発行業務", 240, 130),
    ("学校経理・施設課", "予算令達処理に係る通知文作成(転記)", 186, 99),
    ("県立病院課", "例月出納検査資料作成", 140, 90),
]
R3 = 2021


@transaction.atomic
def load() -> list[str]:
    prefecture = Organization.objects.get(code=PREFECTURE_CODE)
    lines = []
    for name, shipped in scenarios.items():
        if not for_tenant(Scenario, prefecture).filter(name=name).exists():
            services.create_scenario(actor=None, organization=prefecture, source=shipped.source)
            lines.append(f"RPA シナリオ: {shipped.title}")
    procedure = samples.vehicle_tax_procedure(prefecture)
    if not for_tenant(Secret, prefecture).filter(name="legacy_password").exists():
        services.set_secret(
            actor=None, organization=prefecture, name="legacy_password", value=LEGACY_PASSWORD
        )
    folder = settings.VAR_DIR / "automation-demo"
    samples.write_electricity_reports(folder / "electricity")
    lines += _summary_run_once(prefecture, folder / "electricity")
    (folder / "scholarship-list.csv").write_bytes(samples.notice_list_csv(6))
    if not for_tenant(LedgerLine, prefecture).filter(fiscal_year=R3).exists():
        for division, task, before, after in R3_TASKS:
            services.add_ledger_line(
                actor=None,
                organization=prefecture,
                fiscal_year=R3,
                task=task,
                division=division,
                hours_before=Decimal(before),
                hours_after=Decimal(after),
                note="取込: 令和3年度 RPA等導入業務の実績(業務別の内訳は例示)",
            )
        lines.append("RPA 効果台帳: 令和3年度 13業務 2,681時間 → 1,479時間")
    lines.append(f"RPA 入力例: {folder}(転記の手続: {procedure.name})")
    return lines


def _summary_run_once(prefecture: Organization, reports) -> list[str]:
    """電気使用量の集計 as a division first uses a scenario: the clerk plans it on the sample
    reports, a manager approves the version, the clerk runs it."""
    scenario = for_tenant(Scenario, prefecture).get(name="electricity-summary")
    if Run.objects.filter(version__scenario=scenario).exists():
        return []
    staff = {
        membership.user.username: membership
        for membership in members_of(prefecture).filter(
            user__username__in=["pref-clerk", "pref-manager"]
        )
    }
    clerk, manager = staff["pref-clerk"], staff["pref-manager"]
    inputs = {"paths": {"reports": str(reports)}}
    execute(
        services.start_run(
            actor=clerk.user, scenario=scenario, mode=Run.Mode.PLAN, background=False, **inputs
        ).pk
    )
    services.approve_version(
        actor=manager.user, membership=manager, version=scenario.current_version
    )
    run = execute(
        services.start_run(
            actor=clerk.user, scenario=scenario, mode=Run.Mode.APPLY, background=False, **inputs
        ).pk
    )
    return [f"RPA 実行例: {scenario.title}(計画 → 承認 → 本番実行、{run.items.count()} 件)"]
