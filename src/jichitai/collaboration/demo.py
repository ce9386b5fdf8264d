"""The seeds' 市町連携 records: the initiatives of R2 and R3 with the 市町 that took part, and the
council's after-meeting survey answered once by each participating 市町 (seeds 001 and 004); and
津市's adoption states of the current 年度."""

from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from jichitai.collaboration import selectors, services
from jichitai.core.japanese import fiscal_year
from jichitai.core.safe_yaml import load_yaml
from jichitai.procedures import services as procedures
from jichitai.procedures.models import Procedure
from jichitai.tenancy.models import Division, Organization
from jichitai.tenancy.selectors import for_tenant

DATA = Path(__file__).parent / "demo_data"


def _survey(prefecture: Organization, data: dict) -> Procedure:
    procedure = procedures.create_procedure(
        actor=None,
        organization=prefecture,
        division=for_tenant(Division, prefecture).filter(name="スマート改革推進課").first(),
        name=data["name"],
        category=Procedure.Category.SURVEY,
        listed=False,
        fields=[
            {
                "name": "progress",
                "type": "single_choice",
                "label": data["question"],
                "required": True,
                "choices": [{"value": choice, "label": choice} for choice in data["choices"]],
            }
        ],
    )
    procedures.publish_procedure(actor=None, procedure=procedure)
    return procedure


def _load_initiative(prefecture: Organization, entry: dict) -> None:
    survey_data = entry.get("survey")
    initiative = services.create_initiative(
        actor=None,
        organization=prefecture,
        slug=entry["slug"],
        name=entry["name"],
        kind=entry["kind"],
        fiscal_year=entry["fiscal_year"],
        survey=_survey(prefecture, survey_data) if survey_data else None,
        survey_question="progress" if survey_data else "",
        survey_positive_answers=survey_data["positive"] if survey_data else (),
    )
    municipalities = list(selectors.municipalities_of(prefecture))
    if entry["municipalities"] != "all":
        municipalities = municipalities[: entry["municipalities"]]
    sessions = [
        services.add_session(
            actor=None,
            initiative=initiative,
            date=date.fromisoformat(session["date"]),
            title=session["title"],
            agenda=session.get("agenda", []),
        )
        for session in entry.get("sessions", [])
    ]
    staff = entry.get("staff", len(municipalities))
    for number, municipality in enumerate(municipalities):
        # The staff are shared as evenly as the total allows, the first 市町 taking the remainder.
        count = staff // len(municipalities) + (1 if number < staff % len(municipalities) else 0)
        for session in sessions or [None]:
            services.record_participation(
                actor=None,
                initiative=initiative,
                municipality=municipality,
                staff_count=count,
                session=session,
            )
    if survey_data:
        services.send_survey(actor=None, initiative=initiative)
        requests = list(selectors.survey_requests_of_initiative(initiative))
        answers = [survey_data["positive"][n % 2] for n in range(survey_data["positive_count"])]
        answers += [
            survey_data["choices"][2 + n % 2]
            for n in range(survey_data["answered"] - survey_data["positive_count"])
        ]
        for request, answer in zip(requests, answers, strict=False):
            services.answer_survey(actor=None, request=request, data={"progress": answer})


@transaction.atomic
def load() -> list[str]:
    data = load_yaml((DATA / "initiatives.yaml").read_text(encoding="utf-8"))
    prefecture = Organization.objects.get(code=data["organization"])
    lines = []
    for entry in data["initiatives"]:
        if selectors.initiative_by_slug(prefecture, entry["slug"]) is not None:
            lines.append(f"{entry['name']}({entry['fiscal_year']}年度): 読込済み")
            continue
        _load_initiative(prefecture, entry)
        lines.append(f"{entry['name']}({entry['fiscal_year']}年度): 参加記録を登録")
    lines.append(_load_adoptions())
    return lines


def _load_adoptions() -> str:
    data = load_yaml((DATA / "adoptions.yaml").read_text(encoding="utf-8"))
    municipality = Organization.objects.get(code=data["organization"])
    year = fiscal_year(timezone.localdate())
    if selectors.adoption_states(municipality, year):
        return f"{municipality.name}の導入状況({year}年度): 読込済み"
    services.set_adoptions(
        actor=None, organization=municipality, fiscal_year=year, states=data["states"]
    )
    return f"{municipality.name}の導入状況({year}年度): {len(data['states'])}件を登録"
