from datetime import date

from jichitai.collaboration import services
from jichitai.collaboration.models import Initiative
from jichitai.procedures import services as procedures
from jichitai.procedures.models import Procedure
from jichitai.tenancy.models import Division
from jichitai.tenancy.tests.factories import DivisionFactory

CHOICES = ["かなり深まった", "少し深まった", "あまり深まらなかった", "深まらなかった"]


def council_survey(prefecture) -> Procedure:
    survey = procedures.create_procedure(
        actor=None,
        organization=prefecture,
        division=Division.objects.filter(organization=prefecture, name="スマート改革推進課").first()
        or DivisionFactory(organization=prefecture, name="スマート改革推進課"),
        name="検討会議 事後アンケート",
        category=Procedure.Category.SURVEY,
        fields=[
            {
                "name": "knowledge",
                "type": "single_choice",
                "label": "テレワーク・Web会議・RPA・AIについての知識は深まりましたか",
                "required": True,
                "choices": [{"value": choice, "label": choice} for choice in CHOICES],
            },
            {"name": "comment", "type": "textarea", "label": "ご意見"},
        ],
    )
    procedures.publish_procedure(actor=None, procedure=survey)
    return survey


def seminar(prefecture, *, fiscal_year=2020) -> Initiative:
    """An open data seminar of ``prefecture`` (slug ``seminar``), nobody recorded yet."""
    return services.create_initiative(
        actor=None,
        organization=prefecture,
        slug="seminar",
        name="オープンデータセミナー",
        kind=Initiative.Kind.SEMINAR,
        fiscal_year=fiscal_year,
    )


def council(prefecture, municipalities, *, slug="council") -> Initiative:
    """A council of ``prefecture`` with one session every municipality attended, its survey sent."""
    initiative = services.create_initiative(
        actor=None,
        organization=prefecture,
        slug=slug,
        name="スマート自治体推進検討会議",
        kind=Initiative.Kind.COUNCIL,
        fiscal_year=2020,
        survey=council_survey(prefecture),
        survey_question="knowledge",
        survey_positive_answers=CHOICES[:2],
    )
    session = services.add_session(
        actor=None, initiative=initiative, date=date(2020, 6, 17), title="第1回", agenda=["議題"]
    )
    for municipality in municipalities:
        services.record_participation(
            actor=None,
            initiative=initiative,
            municipality=municipality,
            staff_count=2,
            session=session,
        )
    services.send_survey(actor=None, initiative=initiative)
    return initiative
