from django import template
from django.utils.translation import gettext

from jichitai.procedures import selectors, translation_table
from jichitai.procedures.field_type_names import field_type_name as name_of
from jichitai.procedures.translations import LANGUAGES, LANGUAGES_FOR_STAFF, language_links
from jichitai.procedures.translations import html_lang as html_lang_of

register = template.Library()


@register.filter
def field_type_name(code: str) -> str:
    return name_of(code)


@register.simple_tag(takes_context=True)
def procedure_text(context, procedure, key: str) -> str:
    """The procedure's name or description in the language of the resident's form
    (``language`` in a resident page's context), else in the language active now."""
    language = context.get("language")
    return translation_table.procedure_text(
        procedure, key, language if language in LANGUAGES else None
    )


@register.filter
def other_languages(procedure) -> list[tuple[str, str, str]]:
    """(code, name, HTML lang) of the languages besides Japanese the procedure's published form
    is offered in."""
    return language_links(
        selectors.offered_languages(
            procedure.current_version.fields if procedure.current_version_id else None
        )
    )


@register.filter
def language_name(code: str) -> str:
    """A form language's name in itself (Português), as the resident chose it."""
    return LANGUAGES.get(code, code)


@register.filter
def language_name_for_staff(code: str) -> str:
    """A form language's name in the staff's language (ポルトガル語)."""
    return str(LANGUAGES_FOR_STAFF.get(code, code))


@register.filter
def html_lang(code: str) -> str:
    """The HTML ``lang`` of a form language (やさしい日本語 is Japanese)."""
    return html_lang_of(code)


@register.filter
def fee_terms(procedure) -> str:
    """What applying costs, told before applying (1,200 円(申請から 14 日以内にお支払いください)),
    in the language active now; empty for a procedure without a fee."""
    kinds = procedure.FeeKind
    if procedure.fee_kind == kinds.AFTER_REVIEW:
        return gettext("審査のあとで金額をお知らせします")
    if procedure.fee_kind not in (kinds.FIXED, kinds.PER_PERSON) or not procedure.fee_amount:
        return ""
    terms = {"amount": f"{procedure.fee_amount:,}", "days": procedure.payment_due_days}
    if procedure.fee_kind == kinds.PER_PERSON:
        return (
            gettext("1人あたり %(amount)s 円(申請から %(days)s 日以内にお支払いください)") % terms
        )
    return gettext("%(amount)s 円(申請から %(days)s 日以内にお支払いください)") % terms
