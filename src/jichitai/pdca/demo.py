"""The seeds' content as the demo: the policy 「スマート自治体の推進」 with its indicators, texts and
projects as published in R2 (seed 000) and then in R3 (seed 002), the budget list of seed 003, the
plan 「みえデジタル戦略推進計画」 with 8 initiatives, 34 actions and the effect figures of its R3
progress report (seed 001), and the prefecture–municipality meeting of seed 004. 津市 runs a plan of
its own for the current four 年度, copied from the policy's structure: its live indicators
measure 津市, the rest wait for 津市's figures."""

from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from jichitai.core import japanese
from jichitai.core.registry import metrics
from jichitai.core.safe_yaml import load_yaml
from jichitai.pdca import services
from jichitai.pdca.models import (
    Action,
    ActionYear,
    EffectFigure,
    Indicator,
    IndicatorYear,
    Meeting,
    MeetingSession,
    Node,
    Plan,
    PlanYearText,
    Project,
    ProjectYear,
    ReportSnapshot,
)
from jichitai.tenancy.models import Division, Organization
from jichitai.tenancy.selectors import for_tenant

DATA = Path(__file__).parent / "demo_data"


def _read(name: str) -> dict:
    return load_yaml((DATA / name).read_text(encoding="utf-8"))


def _division(organization, name):
    return for_tenant(Division, organization).filter(name=name).first()


def _set_year(indicator, year, values):
    IndicatorYear.objects.update_or_create(
        indicator=indicator,
        fiscal_year=year,
        defaults={
            "target": values.get("target"),
            "actual": values.get("actual"),
            "rationale": values.get("rationale", ""),
        },
    )


def _projects(plan, entries, year_of_sheet):
    for order, entry in enumerate(entries):
        # Each evaluation sheet has its own projects: the next sheet restates a 年度 in its own
        # structure and figures, which must not overwrite those the earlier sheet published.
        project, _created = Project.objects.update_or_create(
            plan=plan,
            name=entry["name"],
            group="",
            sheet_year=year_of_sheet,
            defaults={
                "order": order,
                "flag": entry.get("flag", ""),
                "department": entry.get("department", ""),
                "code": entry.get("code", ""),
                "code_name": entry.get("code_name", "")
                or Project.objects.filter(plan=plan, code=entry.get("code", ""))
                .exclude(code_name="")
                .values_list("code_name", flat=True)
                .first()
                or "",
            },
        )
        summary = (
            entry["summary"]
            if isinstance(entry["summary"], str)
            else entry["summary"].get(year_of_sheet, "")
        )
        for year, budget in entry["budgets"].items():
            ProjectYear.objects.update_or_create(
                project=project,
                fiscal_year=year,
                defaults={
                    "budget": budget,
                    "main": year == year_of_sheet,
                    **({"summary": summary} if year == year_of_sheet else {}),
                },
            )


def load_policy(prefecture) -> list[str]:
    data = _read("smart_government_policy.yaml")
    if for_tenant(Plan, prefecture).filter(slug=data["slug"]).exists():
        return [f"{data['name']}: 読込済み"]
    plan = Plan.objects.create(
        organization=prefecture,
        slug=data["slug"],
        name=data["name"],
        kind=Plan.Kind.POLICY,
        department=data["department"],
        owner_division=_division(prefecture, data["owner_division"]),
        first_year=data["period"][0],
        last_year=data["period"][1],
        goal=data["goal"],
    )
    indicators = {}
    for order, item in enumerate(data["indicators"]):
        indicators[item["name"]] = Indicator.objects.create(
            plan=plan,
            kind=item["kind"],
            order=order,
            name=item["name"],
            unit=item["unit"],
            decimals=item["decimals"],
            direction=item["direction"],
            description=item.get("description", ""),
            baseline_year=item["baseline"]["year"],
            baseline_value=item["baseline"]["value"],
        )
    # As published in R2 (seed 000) …
    for name, years in data["published_2020"]["indicator_years"].items():
        for year, values in years.items():
            _set_year(indicators[name], year, values)
    PlanYearText.objects.create(plan=plan, fiscal_year=2020, **data["texts"][2020])
    _projects(plan, data["projects"], 2020)
    services.publish_report(
        actor=None, plan=plan, kind=ReportSnapshot.Kind.EVALUATION, fiscal_year=2020
    )
    services.lock_year(actor=None, plan=plan, fiscal_year=2020)
    # … then as revised and published in R3 (seed 002). R2 is closed, so its figures are entered
    # as a manager would after reopening it.
    plan.locks.filter(fiscal_year=2020).delete()
    for item in data["indicators"]:
        for year, values in item["years"].items():
            _set_year(indicators[item["name"]], year, values)
    PlanYearText.objects.create(plan=plan, fiscal_year=2021, **data["texts"][2021])
    _projects(plan, data["projects_2021"], 2021)
    services.lock_year(actor=None, plan=plan, fiscal_year=2020)
    services.publish_report(
        actor=None, plan=plan, kind=ReportSnapshot.Kind.EVALUATION, fiscal_year=2021
    )
    # The budget list of seed 003.
    budget_list = data["budget_list"]
    order = 100
    for group in budget_list["groups"]:
        for entry in group["projects"]:
            order += 1
            project = Project.objects.create(
                plan=plan,
                group=group["name"],
                order=order,
                department=entry["department"],
                name=entry["name"],
            )
            ProjectYear.objects.create(
                project=project,
                fiscal_year=budget_list["fiscal_year"],
                budget=entry["budget"],
                summary=entry["summary"],
            )
    return [
        f"{data['name']}: 指標 {len(indicators)}、施策評価表(R2・R3)を公開、事業一覧 {order - 100} 事業"
    ]


def load_strategy(prefecture) -> list[str]:
    data = _read("mie_digital_strategy.yaml")
    if for_tenant(Plan, prefecture).filter(slug=data["slug"]).exists():
        return [f"{data['name']}: 読込済み"]
    plan = Plan.objects.create(
        organization=prefecture,
        slug=data["slug"],
        name=data["name"],
        kind=Plan.Kind.PLAN,
        owner_division=_division(prefecture, data["owner_division"]),
        first_year=data["period"][0],
        last_year=data["period"][1],
        level_name=data["level_name"],
        description=data["description"],
    )
    nodes = {
        item["number"]: Node.objects.create(
            plan=plan,
            number=item["number"],
            title=item["title"],
            summary=item["summary"],
            highlights=item["highlights"],
        )
        for item in data["initiatives"]
    }
    actions = {}
    for item in data["actions"]:
        action = Action.objects.create(
            plan=plan,
            node=nodes[item["initiative"]],
            number=item["number"],
            policies=str(item["policies"]),
            title=item["title"],
            division_name=item["division"],
            category=item["category"],
        )
        actions[item["number"]] = action
        years = set(item["schedule"]) | set(item["status"])
        for year in sorted(years):
            ActionYear.objects.create(
                action=action,
                fiscal_year=year,
                schedule=item["schedule"].get(year, ""),
                status_text=item["status"].get(year, ""),
            )
    for reprint in data["reprints"]:
        nodes[reprint["initiative"]].reprinted_actions.add(actions[reprint["number"]])
    for item in data["effects"]:
        EffectFigure.objects.create(
            plan=plan,
            node=nodes[item["initiative"]],
            fiscal_year=item["fiscal_year"],
            title=item["title"],
            kind=item["kind"],
            measure=item["measure"],
            unit=item["unit"],
            before_label=item.get("before_label", ""),
            after_label=item.get("after_label", ""),
            before=item.get("before"),
            after=item.get("after"),
            part=item.get("part"),
            whole=item.get("whole"),
            note=item.get("note", ""),
            percent_decimals=item.get("percent_decimals", 1),
            items=item["items"],
            source_metric=item.get("source_metric", ""),
        )
    services.publish_report(
        actor=None,
        plan=plan,
        kind=ReportSnapshot.Kind.PROGRESS,
        fiscal_year=2021,
        dated=date.fromisoformat(data["dated"]),
    )
    return [f"{data['name']}: 個別取組 {len(nodes)}、取組 {len(actions)}、進捗報告(R3)を公開"]


def _synthetic_survey(prefecture, data):
    """The survey and the seed's answers, without the municipalities behind them."""
    from jichitai.procedures import services as procedures
    from jichitai.procedures.models import Procedure

    survey_data = data["survey"]
    choices = [{"value": choice, "label": choice} for choice in survey_data["choices"]]
    survey = procedures.create_procedure(
        actor=None,
        organization=prefecture,
        division=_division(prefecture, "スマート改革推進課"),
        name=f"{data['name']} 事後アンケート",
        category=Procedure.Category.SURVEY,
        listed=False,
        fields=[
            {
                "name": "progress",
                "type": "single_choice",
                "label": survey_data["question"],
                "required": True,
                "choices": choices,
            }
        ],
    )
    procedures.publish_procedure(actor=None, procedure=survey)
    positive, others = (
        survey_data["positive_count"],
        survey_data["respondents"] - survey_data["positive_count"],
    )
    answers = [survey_data["positive"][n % 2] for n in range(positive)] + [
        survey_data["choices"][2 + n % 2] for n in range(others)
    ]
    for number, answer in enumerate(answers):
        procedures.submit_application(
            procedure=survey,
            data={"progress": answer},
            idempotency_key=f"demo-meeting-survey-{number}",
        )
    procedures.close_procedure(actor=None, procedure=survey)
    return survey


def load_meeting(prefecture) -> list[str]:
    data = _read("meeting_2020.yaml")
    if for_tenant(Meeting, prefecture).filter(name=data["name"]).exists():
        return [f"{data['name']}: 読込済み"]
    from jichitai.procedures.models import Procedure

    survey_data = data["survey"]
    # Where the 市町連携 register is installed it has already sent this survey to the 市町 and
    # recorded their answers; the meeting takes its figure from those.
    survey = for_tenant(Procedure, prefecture).filter(
        name=f"{data['name']} 事後アンケート"
    ).first() or _synthetic_survey(prefecture, data)
    meeting = Meeting.objects.create(
        organization=prefecture,
        plan=for_tenant(Plan, prefecture).filter(slug="smart-government-policy").first(),
        name=data["name"],
        fiscal_year=data["fiscal_year"],
        goal=data["goal"],
        outcome=data["outcome"],
        survey=survey,
        survey_question="progress",
        survey_positive_answers=survey_data["positive"],
    )
    meeting.participants.set(Organization.objects.filter(parent=prefecture))
    for session in data["sessions"]:
        MeetingSession.objects.create(
            meeting=meeting,
            date=date.fromisoformat(session["date"]),
            title=session["title"],
            agenda=session["agenda"],
        )
    return [f"{data['name']}: 3回の会議と事後アンケート({survey_data['respondents']}市町回答)"]


# The indicators of 「スマート自治体の推進」 the platform measures itself, once the published
# sheets are frozen: the staff survey (answers per 年度) and the applications received online.
# The pages read by AI-OCR (``ocr.pages_read``) are measured too, but neither plan of the seeds has an
# indicator counting them, so that metric stays available for a plan that adds one.
LIVE_INDICATORS = {
    "スマート自治体の進展を実感する職員の割合": (
        "procedures.survey_answer_share",
        {
            "procedure": "スマート自治体に関する職員アンケート",
            "question": "feel_progress",
            "answers": ["実感している", "やや実感している"],
        },
    ),
    "電子申請・届出システムによる申請件数": ("procedures.applications", {"channel": "online"}),
}


def bind_live_indicators(prefecture) -> list[str]:
    """Binds the policy's measurable indicators to the platform's live metrics (through the
    metrics registry: a metric whose module is not installed is left unbound)."""
    plan = for_tenant(Plan, prefecture).filter(slug="smart-government-policy").first()
    if plan is None:
        return []
    bound = []
    for name, (metric_name, parameters) in LIVE_INDICATORS.items():
        indicator = plan.indicators.filter(name=name, metric_name="").first()
        if indicator is None or metric_name not in metrics:
            continue
        parameters = dict(parameters)
        procedure = parameters.pop("procedure", None)
        if procedure is not None:
            choices = metrics.get(metric_name).parameters[0].choices(prefecture)
            found = [value for value, label in choices if label == procedure]
            if not found:
                continue
            parameters["procedure_id"] = found[0]
        indicator.metric_name, indicator.metric_parameters = metric_name, parameters
        indicator.save(update_fields=["metric_name", "metric_parameters"])
        bound.append(name)
    return [f"自動計測に接続した指標: {'、'.join(bound)}"] if bound else []


MUNICIPAL_PLAN = {"name": "津市スマート自治体推進計画", "slug": "tsu-smart-government"}


def load_municipal_plan(prefecture) -> list[str]:
    municipality = Organization.objects.get(code="242012")
    policy = for_tenant(Plan, prefecture).get(slug="smart-government-policy")
    if for_tenant(Plan, municipality).filter(slug=MUNICIPAL_PLAN["slug"]).exists():
        return [f"{municipality.name}「{MUNICIPAL_PLAN['name']}」: 読込済み"]
    this_year = japanese.fiscal_year(timezone.localdate())
    plan = services.create_plan(
        actor=None,
        organization=municipality,
        name=MUNICIPAL_PLAN["name"],
        slug=MUNICIPAL_PLAN["slug"],
        kind=policy.kind,
        first_year=this_year - 2,
        last_year=this_year + 1,
        copy_from=policy,
    )
    return [
        f"{municipality.name}「{plan.name}」: 県の計画の構成から作成(指標 {plan.indicators.count()})"
    ]


@transaction.atomic
def load() -> list[str]:
    prefecture = Organization.objects.get(code="240001")
    return (
        load_policy(prefecture)
        + load_strategy(prefecture)
        + load_meeting(prefecture)
        + bind_live_indicators(prefecture)
        + load_municipal_plan(prefecture)
    )
