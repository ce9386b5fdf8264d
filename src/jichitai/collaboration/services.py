"""Writes of the prefecture–municipality register: initiatives and who took part, each 市町's
adoption of the smart-government measures, and the after-meeting survey answered once per 市町."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jichitai.accounts.models import User
from jichitai.audit import services as audit
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
from jichitai.core.uploads import UploadRejected, check_upload
from jichitai.procedures import services as procedures
from jichitai.procedures.availability import ProcedureUnavailable
from jichitai.procedures.models import Procedure
from jichitai.tenancy.models import Organization
from jichitai.tenancy.selectors import for_tenant


def _refuse_unless_prefecture(organization: Organization) -> None:
    if organization.kind != Organization.Kind.PREFECTURE:
        raise ValidationError(_("市町連携の取組は都道府県が登録します。"))


def _refuse_unless_municipality_of(prefecture: Organization, municipality: Organization) -> None:
    if municipality.parent_id != prefecture.pk:
        raise ValidationError({"municipality": _("この都道府県の市町ではありません。")})


@transaction.atomic
def create_initiative(
    *,
    actor: User | None,
    organization: Organization,
    slug: str,
    name: str,
    kind: str,
    fiscal_year: int,
    description: str = "",
    survey: Procedure | None = None,
    survey_question: str = "",
    survey_positive_answers: list[str] | tuple[str, ...] = (),
) -> Initiative:
    _refuse_unless_prefecture(organization)
    if survey is not None and survey.organization_id != organization.pk:
        raise ValidationError({"survey": _("自団体の手続を選んでください。")})
    initiative = Initiative(
        organization=organization,
        slug=slug,
        name=name,
        kind=kind,
        fiscal_year=fiscal_year,
        description=description,
        survey=survey,
        survey_question=survey_question,
        survey_positive_answers=list(survey_positive_answers),
    )
    initiative.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            initiative.save()
    except IntegrityError:
        raise ValidationError({"slug": _("この識別子は既に使われています。")}) from None
    audit.record_created(
        instance=initiative, fields=["slug", "name", "kind", "fiscal_year"], actor=actor
    )
    return initiative


@transaction.atomic
def add_session(
    *,
    actor: User | None,
    initiative: Initiative,
    date: date,
    title: str,
    agenda: list[str] | None = None,
) -> Session:
    session = Session.objects.create(
        initiative=initiative, date=date, title=title, agenda=list(agenda or [])
    )
    audit.record_created(
        instance=session,
        fields=["title", "date"],
        actor=actor,
        organization=initiative.organization,
    )
    return session


MATERIAL_KINDS = ("pdf", "docx", "xlsx", "png", "jpeg", "csv", "txt")
MATERIAL_MAX_BYTES = 20 * 1024 * 1024


@transaction.atomic
def add_material(*, actor: User, session: Session, upload: UploadedFile) -> Material:
    """A session's material, refused unless it is a document of an allowed kind and size."""
    try:
        checked = check_upload(upload, allowed=MATERIAL_KINDS, max_bytes=MATERIAL_MAX_BYTES)
    except UploadRejected as error:
        raise ValidationError({"file": error.messages}) from None
    upload.seek(0)
    material = Material(
        session=session,
        name=checked.name,
        size=checked.size,
        content_type=checked.kind.content_type,
    )
    material.file.save(checked.name, upload, save=False)
    material.save()
    audit.record_created(
        instance=material,
        fields=["name", "size"],
        actor=actor,
        organization=session.initiative.organization,
    )
    return material


@transaction.atomic
def record_participation(
    *,
    actor: User | None,
    initiative: Initiative,
    municipality: Organization,
    staff_count: int = 1,
    session: Session | None = None,
) -> Participation:
    """Records (or corrects) that ``municipality`` took part, with how many of its staff."""
    _refuse_unless_municipality_of(initiative.organization, municipality)
    if session is not None and session.initiative_id != initiative.pk:
        raise ValidationError({"session": _("この取組の回ではありません。")})
    if staff_count < 1:
        raise ValidationError({"staff_count": _("参加人数は1以上で入力してください。")})
    participation, _created = Participation.objects.update_or_create(
        initiative=initiative,
        session=session,
        municipality=municipality,
        defaults={"staff_count": staff_count},
    )
    audit.record(
        action="collaboration.participation.recorded",
        actor=actor,
        organization=initiative.organization,
        target=participation,
        changes={"municipality": municipality.code, "staff_count": staff_count},
    )
    return participation


@transaction.atomic
def set_adoption(
    *, actor: User, organization: Organization, fiscal_year: int, measure: str, state: str
) -> Adoption:
    """A 市町 records where it stands with one measure in a 年度."""
    if organization.parent_id is None:
        raise ValidationError(_("導入状況は市町が登録します。"))
    if measure not in Measure.values:
        raise ValidationError({"measure": _("取組を選んでください。")})
    if state not in AdoptionState.values:
        raise ValidationError({measure: _("状況を選んでください。")})
    adoption = (
        for_tenant(Adoption, organization).filter(fiscal_year=fiscal_year, measure=measure).first()
    )
    before = adoption.state if adoption else ""
    if adoption is None:
        adoption = Adoption.objects.create(
            organization=organization, fiscal_year=fiscal_year, measure=measure, state=state
        )
    elif adoption.state != state:
        adoption.state = state
        adoption.save(update_fields=["state", "updated_at"])
    if before != state:
        audit.record(
            action="collaboration.adoption.changed",
            actor=actor,
            organization=organization,
            target=adoption,
            changes={"state": [before, state]},
        )
    return adoption


@transaction.atomic
def send_survey(*, actor: User | None, initiative: Initiative) -> int:
    """Asks every 市町 that took part to answer the initiative's survey; returns how many
    requests were added (a 市町 already asked is not asked twice)."""
    if initiative.survey is None:
        raise ValidationError(_("この取組には事後アンケートがありません。"))
    municipalities = (
        Organization.objects.filter(
            pk__in=Participation.objects.filter(initiative=initiative).values("municipality")
        )
        .exclude(pk__in=SurveyRequest.objects.filter(initiative=initiative).values("organization"))
        .order_by("code")
    )
    requests = SurveyRequest.objects.bulk_create(
        [
            SurveyRequest(organization=municipality, initiative=initiative)
            for municipality in municipalities
        ]
    )
    audit.record(
        action="collaboration.survey.sent",
        actor=actor,
        organization=initiative.organization,
        target=initiative,
        changes={"requests": len(requests)},
    )
    return len(requests)


@transaction.atomic
def answer_survey(*, actor: User | None, request: SurveyRequest, data: dict) -> SurveyRequest:
    """The 市町's one answer, submitted to the prefecture's survey procedure like any other
    application (so it reaches the prefecture's inbox, tally and exports)."""
    request = SurveyRequest.objects.select_for_update().get(pk=request.pk)
    if request.application_id is not None:
        raise ValidationError(_("このアンケートには既に回答しています。"))
    survey = request.initiative.survey
    if survey is None:
        raise ValidationError(_("この取組には事後アンケートがありません。"))
    try:
        submission = procedures.submit_application(
            procedure=survey,
            data=data,
            idempotency_key=f"collaboration-survey-{request.pk}",
            applicant_name=request.organization.name,
            actor=actor,
            reject_unknown=True,
        )
    except ProcedureUnavailable as error:
        raise ValidationError(str(error)) from None
    request.application = submission.application
    request.answered_at = timezone.now()
    request.save(update_fields=["application", "answered_at"])
    audit.record(
        action="collaboration.survey.answered",
        actor=actor,
        organization=request.organization,
        target=request,
        summary=request.initiative.name,
    )
    return request


@transaction.atomic
def set_adoptions(
    *, actor: User, organization: Organization, fiscal_year: int, states: dict[str, str]
) -> int:
    """Saves the states a 市町 chose on its page (blank ones are left as they are); returns how
    many changed."""
    before = dict(
        for_tenant(Adoption, organization)
        .filter(fiscal_year=fiscal_year)
        .values_list("measure", "state")
    )
    changed = 0
    for measure, state in states.items():
        if state and before.get(measure) != state:
            set_adoption(
                actor=actor,
                organization=organization,
                fiscal_year=fiscal_year,
                measure=measure,
                state=state,
            )
            changed += 1
    return changed
