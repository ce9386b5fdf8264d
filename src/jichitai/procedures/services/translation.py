"""Translations of a published form, typed by staff in the translation table
(``translation_table``). Published versions never change: the translations make a new version,
which residents get from then on, and are carried into the form being edited so that the next
publication keeps them. The procedure's own name and description are not versioned: their
translations are kept on the procedure, each with the Japanese it was made from."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jichitai.accounts.models import User
from jichitai.audit import services as audit
from jichitai.core.actors import signed_in
from jichitai.procedures.definitions import build_schema
from jichitai.procedures.models import FormVersion, Procedure
from jichitai.procedures.translation_table import (
    TRANSLATABLE_LANGUAGES,
    carried_over,
    translated,
    translated_procedure,
)


@transaction.atomic
def save_translations(
    *,
    actor: User | None,
    procedure: Procedure,
    language: str,
    based_on: FormVersion,
    by_place: dict[tuple[str, str, str], str],
) -> FormVersion:
    """Saves the texts ``by_place`` translated into ``language`` (an empty text removes a
    translation): the procedure's name and description on the procedure, the form's texts as a
    new published version when they changed. ``based_on`` is the version the table was filled
    in on: if another version was published since, nothing is saved. Returns the version
    residents get from now on."""
    if language not in TRANSLATABLE_LANGUAGES:
        raise ValidationError(_("翻訳できない言語です。"))
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    current = procedure.current_version
    if current is None or current.pk != based_on.pk:
        raise ValidationError(
            _("この間にフォームが公開し直されました。翻訳の画面を開き直してから入力してください。")
        )
    own = translated_procedure(procedure, language, by_place)
    fields = translated(current.fields, language, by_place)
    if fields == current.fields and own == procedure.translations:
        return current
    changes: dict[str, list] = {}
    if own != procedure.translations:
        changes["translations"] = [
            sorted(procedure.translations.get(language, {})),
            sorted(own.get(language, {})),
        ]
        procedure.translations = own
    version = current
    if fields != current.fields:
        version = FormVersion.objects.create(
            procedure=procedure,
            number=(
                procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0
            )
            + 1,
            fields=fields,
            schema=build_schema(fields, title=procedure.name),
            created_by=signed_in(actor),
        )
        changes["version"] = [current.number, version.number]
        procedure.current_version = version
        procedure.draft_fields = carried_over(fields, procedure.draft_fields, language)
    procedure.save(update_fields=["translations", "current_version", "draft_fields", "updated_at"])
    audit.record(
        action="procedures.form.translated",
        actor=actor,
        target=procedure,
        changes=changes,
        summary=f"{TRANSLATABLE_LANGUAGES[language]} の翻訳 第{version.number}版",
    )
    return version
