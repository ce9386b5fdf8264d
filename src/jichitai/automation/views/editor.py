"""The form editor's pages: a scenario built or changed without typing YAML (the editor's
state travels in the form POST; see ``automation/editor.py``)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jichitai.automation import editor as editor_forms
from jichitai.automation import selectors
from jichitai.automation.services import editing
from jichitai.tenancy.middleware import requires_role
from jichitai.tenancy.models import Role


def _editor_page(request, editor, scenario=None, status=200):
    plan, plan_items = selectors.plan_preview(request.tenant, scenario) if scenario else (None, [])
    return render(
        request,
        "automation/scenario_editor.html",
        {
            "editor": editor,
            "scenario": scenario,
            "step_choices": editor_forms.step_choices(),
            "section_labels": editor_forms.SECTION_LABELS,
            "input_kinds": editor_forms.INPUT_KINDS,
            "plan": plan,
            "plan_items": plan_items,
        },
        status=status,
    )


@requires_role(Role.CLERK)
@require_http_methods(["GET", "POST"])
def scenario_compose(request, org_code):
    """A new scenario built in the form editor (no YAML typed)."""
    procedures = selectors.procedure_names(request.tenant)
    if request.method == "GET":
        editor = editor_forms.from_definition({}, procedures=procedures)
        return _editor_page(request, editor)
    editor, action = editor_forms.from_post(request.POST, procedures=procedures)
    if action != "save":
        return _editor_page(request, editor)
    try:
        scenario = editing.create_scenario_from_editor(
            actor=request.user, organization=request.tenant, editor=editor
        )
    except ValidationError:
        return _editor_page(request, editor, status=400)
    messages.success(
        request, _("シナリオを登録しました。計画(ドライラン)で内容を確認し、承認を受けてください。")
    )
    return redirect("automation:scenario", org_code=org_code, scenario_id=scenario.pk)


@requires_role(Role.CLERK)
@require_http_methods(["GET", "POST"])
def scenario_editor(request, org_code, scenario_id):
    """An existing scenario opened in the form editor; saving makes a new version."""
    scenario = selectors.scenario_of(request.tenant, scenario_id)
    procedures = selectors.procedure_names(request.tenant)
    if request.method == "GET":
        editor = editor_forms.from_definition(
            scenario.current_version.definition, procedures=procedures
        )
        return _editor_page(request, editor, scenario)
    editor, action = editor_forms.from_post(request.POST, procedures=procedures)
    if action != "save":
        return _editor_page(request, editor, scenario)
    try:
        version = editing.new_version_from_editor(
            actor=request.user, scenario=scenario, editor=editor
        )
    except ValidationError:
        return _editor_page(request, editor, scenario, status=400)
    messages.success(
        request,
        _("第%(number)s版として保存しました。本番実行の前に承認が必要です。")
        % {"number": version.number},
    )
    return redirect("automation:scenario", org_code=org_code, scenario_id=scenario.pk)
