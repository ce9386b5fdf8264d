"""Reads of the prefecture–municipality register. Every figure here counts 市町 or staff; none
names a person or shows an answer."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from jichitai.collaboration.models import (
    Adoption,
    AdoptionState,
    Initiative,
    Material,
    Measure,
    Participation,
    Session,
    SurveyRequest,
)
from jichitai.tenancy.models import Organization
from jichitai.tenancy.selectors import for_tenant, tenant_get


def initiatives_of(organization: Organization) -> QuerySet[Initiative]:
    return for_tenant(Initiative, organization).prefetch_related("sessions")


def initiative_of(organization: Organization, initiative_id: int) -> Initiative:
    return tenant_get(Initiative, organization, pk=initiative_id)


def initiative_by_slug(organization: Organization, slug: str) -> Initiative | None:
    return for_tenant(Initiative, organization).filter(slug=slug).first()


def municipalities_of(prefecture: Organization) -> QuerySet[Organization]:
    return prefecture.municipalities.filter(is_active=True).order_by("code")


def prefectures_with_municipalities() -> QuerySet[Organization]:
    """The prefectures in use that have 市町 on the platform (those with figures across 市町)."""
    return Organization.objects.filter(
        kind=Organization.Kind.PREFECTURE, is_active=True, municipalities__isnull=False
    ).distinct()


def participation_figures(initiative: Initiative) -> dict:
    """How many 市町 took part, how many staff in all (for a council: the most any session
    brought, per 市町) and how many sessions were held."""
    rows = Participation.objects.filter(initiative=initiative)
    return _participation(
        rows.values_list("municipality_id", "staff_count"), initiative.sessions.count()
    )


def _participation(rows: Iterable[tuple[int, int]], sessions: int) -> dict[str, int]:
    staff_per_municipality: dict[int, int] = {}
    for municipality_id, staff in rows:
        staff_per_municipality[municipality_id] = max(
            staff, staff_per_municipality.get(municipality_id, 0)
        )
    return {
        "municipalities": len(staff_per_municipality),
        "staff": sum(staff_per_municipality.values()),
        "sessions": sessions,
    }


def initiatives_overview(prefecture: Organization) -> list[dict]:
    """Each initiative of the prefecture with its participation and survey figures, read for all
    of them at once (three queries, whatever the number of initiatives and 市町)."""
    initiatives = list(initiatives_of(prefecture))
    participations: dict[int, list[tuple[int, int]]] = {}
    for initiative_id, municipality_id, staff in Participation.objects.filter(
        initiative__in=initiatives
    ).values_list("initiative_id", "municipality_id", "staff_count"):
        participations.setdefault(initiative_id, []).append((municipality_id, staff))
    answers: dict[int, list] = {}
    for initiative_id, application_id, data in SurveyRequest.objects.filter(
        initiative__in=[initiative for initiative in initiatives if initiative.survey_id]
    ).values_list("initiative_id", "application_id", "application__data"):
        answers.setdefault(initiative_id, []).append((application_id, data))
    return [
        {
            "initiative": initiative,
            "figures": _participation(
                participations.get(initiative.pk, []), len(initiative.sessions.all())
            ),
            "survey": _survey(initiative, answers.get(initiative.pk, []))
            if initiative.survey_id is not None
            else None,
        }
        for initiative in initiatives
    ]


def participations_of(initiative: Initiative) -> QuerySet[Participation]:
    return Participation.objects.filter(initiative=initiative).select_related(
        "municipality", "session"
    )


def adoption_states(organization: Organization, fiscal_year: int) -> dict[str, str]:
    """``{measure: state}`` of a 市町 in a 年度 (measures not recorded are absent)."""
    return dict(
        for_tenant(Adoption, organization)
        .filter(fiscal_year=fiscal_year)
        .values_list("measure", "state")
    )


def last_adoption_year_before(
    organizations: Iterable[Organization], fiscal_year: int
) -> int | None:
    """The latest 年度 before ``fiscal_year`` in which any of ``organizations`` recorded a state:
    where a new 年度 starts from, and where the prefecture looks while it is still empty."""
    return (
        Adoption.objects.filter(organization__in=organizations, fiscal_year__lt=fiscal_year)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .first()
    )


def adoption_overview(prefecture: Organization, fiscal_year: int) -> dict:
    """Per measure, how many of the prefecture's 市町 are in each state (未登録 for those that
    recorded nothing), and each 市町's states."""
    municipalities = list(municipalities_of(prefecture))
    recorded = Adoption.objects.filter(
        organization__in=municipalities, fiscal_year=fiscal_year
    ).values_list("organization_id", "measure", "state")
    states: dict[int, dict[str, str]] = {}
    for organization_id, measure, state in recorded:
        states.setdefault(organization_id, {})[measure] = state
    measures = []
    for measure, label in Measure.choices:
        counts = dict.fromkeys(AdoptionState.values, 0)
        for municipality in municipalities:
            recorded_state = states.get(municipality.pk, {}).get(measure)
            if recorded_state:
                counts[recorded_state] += 1
        measures.append(
            {
                "measure": measure,
                "label": label,
                "counts": [counts[state] for state in AdoptionState.values],
                "unrecorded": len(municipalities) - sum(counts.values()),
            }
        )
    return {
        "fiscal_year": fiscal_year,
        "states": AdoptionState.choices,
        "measures": measures,
        "municipalities": [
            {
                "name": municipality.name,
                "code": municipality.code,
                "states": [
                    AdoptionState(states[municipality.pk][measure]).label
                    if measure in states.get(municipality.pk, {})
                    else ""
                    for measure in Measure.values
                ],
            }
            for municipality in municipalities
        ],
        "total": len(municipalities),
        "last_recorded_year": None
        if states
        else last_adoption_year_before(municipalities, fiscal_year),
    }


def adopting_municipalities(
    prefecture: Organization, fiscal_year: int, measure: str, state: str = AdoptionState.ADOPTED
) -> int:
    return Adoption.objects.filter(
        organization__parent=prefecture, fiscal_year=fiscal_year, measure=measure, state=state
    ).count()


def survey_figures(initiative: Initiative) -> dict | None:
    """Requests sent, 市町 that answered, those that chose one of the positive answers, and their
    share of the answers (%, one decimal). None without a survey."""
    if initiative.survey_id is None:
        return None
    return _survey(
        initiative,
        SurveyRequest.objects.filter(initiative=initiative).values_list(
            "application_id", "application__data"
        ),
    )


def _survey(
    initiative: Initiative, requests: Iterable[tuple[int | None, dict[str, Any] | None]]
) -> dict[str, Any]:
    """The survey figures from ``(application id or None, the answer's data)`` per request."""
    wanted = set(initiative.survey_positive_answers)
    requested = answered = positive = 0
    for application_id, data in requests:
        requested += 1
        if application_id is None:
            continue
        answered += 1
        positive += _chose((data or {}).get(initiative.survey_question), wanted)
    return {
        "requested": requested,
        "answered": answered,
        "positive": positive,
        "share": (Decimal(positive * 100) / answered).quantize(Decimal("0.1"))
        if answered
        else None,
    }


def _chose(value: object, wanted: set[str]) -> bool:
    values = value if isinstance(value, list) else [value]
    return any(item in wanted for item in values if item is not None)


def survey_requests_for(municipality: Organization) -> QuerySet[SurveyRequest]:
    return for_tenant(SurveyRequest, municipality).select_related(
        "initiative", "initiative__organization", "initiative__survey"
    )


def survey_request_of(municipality: Organization, request_id: int) -> SurveyRequest:
    return tenant_get(
        SurveyRequest.objects.select_related("initiative__survey__current_version"),
        municipality,
        pk=request_id,
    )


def attendance(initiative: Initiative) -> dict:
    """Who took part, as a table: per 市町 that took part or was asked to answer the survey (by
    団体コード), its staff count per session — and for the initiative as a whole where no session
    is named (``whole``) — or None, and whether it answered the survey (None when not asked;
    never what it answered)."""
    sessions = list(sessions_of(initiative))
    staff: dict[tuple[int, int | None], int] = {}
    municipalities: dict[int, Organization] = {}
    for participation in participations_of(initiative):
        staff[(participation.municipality_id, participation.session_id)] = participation.staff_count
        municipalities[participation.municipality_id] = participation.municipality
    answered: dict[int, bool] = {}
    for request in survey_requests_of_initiative(initiative).select_related("organization"):
        answered[request.organization_id] = request.answered_at is not None
        municipalities[request.organization_id] = request.organization
    whole = any(session_id is None for _municipality, session_id in staff)
    columns = [session.pk for session in sessions] + ([None] if whole else [])
    return {
        "sessions": sessions,
        "whole": whole,
        "survey": initiative.survey_id is not None,
        "rows": [
            {
                "municipality": municipality,
                "staff": [staff.get((municipality.pk, column)) for column in columns],
                "answered": answered.get(municipality.pk),
            }
            for municipality in sorted(municipalities.values(), key=lambda item: item.code)
        ],
    }


def survey_requests_of_initiative(initiative: Initiative) -> QuerySet[SurveyRequest]:
    return SurveyRequest.objects.filter(initiative=initiative).order_by("organization__code")


def sessions_of(initiative: Initiative) -> QuerySet[Session]:
    return initiative.sessions.all()


def session_of(prefecture: Organization, initiative: Initiative, session_id: int) -> Session:
    try:
        return initiative.sessions.get(pk=session_id)
    except (Session.DoesNotExist, ValueError):
        raise Http404 from None


def material_for(organization: Organization, material_id: int) -> Material:
    """A material the organization may read: the prefecture that ran the initiative, or a 市町
    that took part in it; 404 for anyone else."""
    materials = Material.objects.select_related("session__initiative")
    if organization.parent_id is None:
        initiatives = for_tenant(Initiative, organization)
    else:
        initiatives = Initiative.objects.filter(participations__municipality=organization)
    try:
        return materials.filter(session__initiative__in=initiatives).distinct().get(pk=material_id)
    except (Material.DoesNotExist, ValueError):
        raise Http404 from None


def initiatives_joined(municipality: Organization) -> QuerySet[Initiative]:
    """The initiatives a 市町 took part in, with their sessions and materials."""
    return (
        Initiative.objects.filter(participations__municipality=municipality)
        .distinct()
        .select_related("organization")
        .prefetch_related("sessions__materials")
    )
