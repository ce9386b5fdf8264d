"""Staff pages of 市町連携: the prefecture's overview of its 市町 and initiatives; a 市町's
adoption states and the surveys it is asked to answer."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jichitai.collaboration import peers, selectors, services
from jichitai.collaboration.forms import (
    AdoptionForm,
    InitiativeForm,
    MaterialForm,
    ParticipationForm,
    SessionForm,
    SurveyAnswerForm,
)
from jichitai.core import japanese, params
from jichitai.core.files import private_file_response
from jichitai.core.forms import add_service_errors
from jichitai.tenancy.middleware import requires_role
from jichitai.tenancy.models import Organization, Role


def _fiscal_year(request) -> tuple[int, str]:
    """The 年度 asked for (令和8年度, R8 or 2026), and the message for a text that is no 年度 (the
    current 年度 is shown then)."""
    current = japanese.fiscal_year(timezone.localdate())
    try:
        return params.fiscal_year(
            request.POST.get("year") or request.GET.get("year") or None, default=current
        ), ""
    except params.InvalidParameter as error:
        return current, error.message


@requires_role(Role.VIEWER)
def home(request, org_code):
    fiscal_year, year_error = _fiscal_year(request)
    if request.tenant.kind == Organization.Kind.PREFECTURE:
        return render(
            request,
            "collaboration/prefecture.html",
            {
                "fiscal_year": fiscal_year,
                "year_error": year_error,
                "asked_year": request.GET.get("year", ""),
                "overview": selectors.adoption_overview(request.tenant, fiscal_year),
                "table": peers.peer_table(request.tenant, fiscal_year),
                "initiatives": selectors.initiatives_overview(request.tenant),
            },
            status=400 if year_error else 200,
        )
    states = selectors.adoption_states(request.tenant, fiscal_year)
    carried_from = None
    if not states:
        carried_from = selectors.last_adoption_year_before([request.tenant], fiscal_year)
        if carried_from is not None:
            states = selectors.adoption_states(request.tenant, carried_from)
    return _municipality_page(
        request,
        fiscal_year,
        AdoptionForm(initial={**states, "year": fiscal_year}),
        carried_from=carried_from,
        year_error=year_error,
    )


def _municipality_page(
    request, fiscal_year: int, form: AdoptionForm, *, carried_from=None, year_error=""
):
    """The 市町's page: its surveys, meetings, own figures and the adoption form (as saved, or as
    sent and refused)."""
    own = peers.own_beside_peers(request.tenant, fiscal_year)
    form.show_recorded_use(peers.recorded_use(own))
    return render(
        request,
        "collaboration/municipality.html",
        {
            "fiscal_year": fiscal_year,
            "year_error": year_error,
            "asked_year": request.GET.get("year", ""),
            "carried_from": carried_from,
            "form": form,
            "requests": selectors.survey_requests_for(request.tenant),
            "peers": own,
            "joined": selectors.initiatives_joined(request.tenant),
        },
        status=400 if form.errors or year_error else 200,
    )


@require_POST
@requires_role(Role.CLERK)
def adoption(request, org_code):
    fiscal_year, _year_error = _fiscal_year(request)
    form = AdoptionForm(request.POST)
    if form.is_valid():
        try:
            changed = services.set_adoptions(
                actor=request.user,
                organization=request.tenant,
                fiscal_year=fiscal_year,
                states=form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("導入状況を保存しました(変更 %(count)d 件)。") % {"count": changed}
            )
            home_url = reverse("collaboration:home", kwargs={"org_code": org_code})
            return redirect(f"{home_url}?year={fiscal_year}")
    return _municipality_page(request, fiscal_year, form)


@require_http_methods(["GET", "POST"])
@requires_role(Role.CLERK)
def survey_answer(request, org_code, request_id):
    survey_request = selectors.survey_request_of(request.tenant, request_id)
    survey = survey_request.initiative.survey
    fields = survey.current_version.fields if survey and survey.current_version else []
    form = SurveyAnswerForm(request.POST or None, fields=fields)
    if request.method == "POST" and survey_request.application_id is None and form.is_valid():
        try:
            services.answer_survey(
                actor=request.user, request=survey_request, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("アンケートに回答しました。"))
            return redirect("collaboration:home", org_code=org_code)
    return render(
        request,
        "collaboration/survey.html",
        {"survey_request": survey_request, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _participation_form(request, initiative, data=None):
    return ParticipationForm(
        data,
        municipalities=selectors.municipalities_of(request.tenant),
        sessions=selectors.sessions_of(initiative),
    )


def _initiative_page(
    request, initiative, *, session_form=None, participation_form=None, material_form=None
):
    return render(
        request,
        "collaboration/initiative.html",
        {
            "initiative": initiative,
            "figures": selectors.participation_figures(initiative),
            "attendance": selectors.attendance(initiative),
            "survey": selectors.survey_figures(initiative),
            "session_form": session_form or SessionForm(),
            "participation_form": participation_form or _participation_form(request, initiative),
            "material_form": material_form or MaterialForm(),
        },
        status=400 if session_form or participation_form or material_form else 200,
    )


@requires_role(Role.VIEWER, organization_kind=Organization.Kind.PREFECTURE)
def initiative_detail(request, org_code, initiative_id):
    return _initiative_page(request, selectors.initiative_of(request.tenant, initiative_id))


@require_http_methods(["GET", "POST"])
@requires_role(Role.CLERK, organization_kind=Organization.Kind.PREFECTURE)
def initiative_create(request, org_code):
    form = InitiativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.create_initiative(
                actor=request.user, organization=request.tenant, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("取組を登録しました。"))
            return redirect(
                "collaboration:initiative", org_code=org_code, initiative_id=initiative.pk
            )
    return render(
        request,
        "collaboration/initiative_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@requires_role(Role.CLERK, organization_kind=Organization.Kind.PREFECTURE)
def session_add(request, org_code, initiative_id):
    initiative = selectors.initiative_of(request.tenant, initiative_id)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.add_session(actor=request.user, initiative=initiative, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("開催回を追加しました。"))
            return redirect(
                "collaboration:initiative", org_code=org_code, initiative_id=initiative.pk
            )
    return _initiative_page(request, initiative, session_form=form)


@require_POST
@requires_role(Role.CLERK, organization_kind=Organization.Kind.PREFECTURE)
def participation_record(request, org_code, initiative_id):
    initiative = selectors.initiative_of(request.tenant, initiative_id)
    form = _participation_form(request, initiative, request.POST)
    if form.is_valid():
        try:
            services.record_participation(
                actor=request.user, initiative=initiative, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("参加を記録しました。"))
            return redirect(
                "collaboration:initiative", org_code=org_code, initiative_id=initiative.pk
            )
    return _initiative_page(request, initiative, participation_form=form)


@require_POST
@requires_role(Role.MANAGER, organization_kind=Organization.Kind.PREFECTURE)
def send_survey(request, org_code, initiative_id):
    initiative = selectors.initiative_of(request.tenant, initiative_id)
    try:
        sent = services.send_survey(actor=request.user, initiative=initiative)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)d 市町にアンケートを依頼しました。") % {"count": sent})
    return redirect("collaboration:initiative", org_code=org_code, initiative_id=initiative.pk)


@require_POST
@requires_role(Role.CLERK, organization_kind=Organization.Kind.PREFECTURE)
def material_add(request, org_code, initiative_id, session_id):
    initiative = selectors.initiative_of(request.tenant, initiative_id)
    session = selectors.session_of(request.tenant, initiative, session_id)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_material(
                actor=request.user, session=session, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("資料を登録しました。"))
            return redirect(
                "collaboration:initiative", org_code=org_code, initiative_id=initiative.pk
            )
    return _initiative_page(request, initiative, material_form=form)


@requires_role(Role.VIEWER)
def material_download(request, org_code, material_id):
    material = selectors.material_for(request.tenant, material_id)
    return private_file_response(
        material.file, filename=material.name, content_type=material.content_type
    )
