"""Saving what the form editor built: the editor's definition becomes YAML (the stored form) and
goes through the same validation and versioning as YAML written by hand."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jichitai.accounts.models import User
from jichitai.automation import editor as editor_forms
from jichitai.automation.models import Scenario, ScenarioVersion
from jichitai.automation.services import create_scenario, new_version
from jichitai.tenancy.models import Organization


def _source(editor: editor_forms.Editor) -> str:
    data = editor_forms.to_definition(editor)
    if not editor.valid:
        raise ValidationError(
            editor.errors or [_("入力に誤りがあります。各項目の表示を確認してください。")]
        )
    return editor_forms.to_yaml(data)


def _kept(editor: editor_forms.Editor, error: ValidationError) -> ValidationError:
    editor.errors.extend(error.messages)
    return error


@transaction.atomic
def create_scenario_from_editor(
    *, actor: User, organization: Organization, editor: editor_forms.Editor
) -> Scenario:
    source = _source(editor)
    try:
        return create_scenario(actor=actor, organization=organization, source=source)
    except ValidationError as error:
        raise _kept(editor, error) from None


@transaction.atomic
def new_version_from_editor(
    *, actor: User, scenario: Scenario, editor: editor_forms.Editor
) -> ScenarioVersion:
    source = _source(editor)
    try:
        return new_version(actor=actor, scenario=scenario, source=source)
    except ValidationError as error:
        raise _kept(editor, error) from None
