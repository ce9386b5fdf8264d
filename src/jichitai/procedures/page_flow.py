"""The resident's way through a form with pages, one POST per page so it works without
JavaScript: which page a request is on (``?page=N``), where 次へ and 戻る lead, each page rendered
in the resident's language with its progress (``render_in_language``), and the
confirmation grouped by page with a 修正 link to each. The answers so far live in the
resident's session; the one validator judges them, and a page only chooses which of its
messages are shown."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext

from jichitai.procedures import pages
from jichitai.procedures.definitions import persons_field, persons_of
from jichitai.procedures.fields import FieldSpec
from jichitai.procedures.repeats import display_rows
from jichitai.procedures.translations import html_lang, in_page_language, resident_page_language

# The names of a form page's own controls: its buttons, the language the page was read in and
# the way back to the confirmation. A question's name starts with a letter
# (``definitions.NAME_PATTERN``), so no question's answer shares them.
ACTION, LANGUAGE, RETURN = "_action", "_lang", "_return"


def later_page_without_answers(request, session_key: str) -> bool:
    """A later page (``?page=N``, N > 1) sent while the session no longer holds the answers of
    the pages before it (``SESSION_COOKIE_AGE``, or cookies cleared)."""
    return (
        request.method == "POST"
        and request.GET.get("page", "1") != "1"
        and session_key not in request.session
    )


def tell_answers_expired(request) -> None:
    """What the first page, shown again, says when the answers were no longer kept, in the
    active language."""
    messages.warning(
        request,
        gettext(
            "入力内容の保存期間が過ぎたため、送信できませんでした。"
            "お手数ですが、もう一度入力してください。"
        ),
    )


def page_url(procedure, page: pages.Page | None = None, **query) -> str:
    url = reverse(
        "procedures_public:form",
        kwargs={"org_code": procedure.organization.code, "procedure_id": procedure.pk},
    )
    if page is not None and page.number > 1:
        query = {"page": page.number, **query}
    return f"{url}?{urlencode(query)}" if query else url


def current_page(form_pages: list[pages.Page], number, cleaned: dict) -> pages.Page:
    """The page asked for, or the first page asked when the answers skip it (or it is none)."""
    page = pages.find(form_pages, number)
    if page is not None and page.applies(cleaned):
        return page
    return next(iter(pages.asked(form_pages, cleaned)), form_pages[0])


def on_page(page: pages.Page, errors: dict) -> dict:
    return {key: messages for key, messages in errors.items() if page.holds(key)}


def after_page(procedure, form_pages, page, cleaned: dict, errors: dict, *, to_confirm: bool):
    """Where 次へ leads once the page is answered well: the next page asked, or (on the last
    page, or back from a 修正 link) the confirmation, unless another page asked still has
    errors, which is then shown with them."""
    following = None if to_confirm else pages.following(form_pages, page, cleaned)
    if following is not None:
        return page_url(procedure, following)
    unfinished = pages.first_with_errors(form_pages, cleaned, errors)
    if unfinished is not None:
        return page_url(procedure, unfinished, check=1)
    return reverse(
        "procedures_public:confirm",
        kwargs={"org_code": procedure.organization.code, "procedure_id": procedure.pk},
    )


def navigation(form_pages, page, cleaned: dict) -> dict:
    position, count = pages.progress(form_pages, page, cleaned)
    return {
        "page": page,
        "page_position": position,
        "page_count": count,
        "has_previous": pages.preceding(form_pages, page, cleaned) is not None,
        "has_next": pages.following(form_pages, page, cleaned) is not None,
    }


def confirmation_groups(
    procedure, fields: list[FieldSpec], cleaned: dict, attached: dict[str, str]
) -> list[dict]:
    """The answers of each page asked, in the form's order, with the link to correct them."""
    groups = []
    for page in pages.asked(pages.split(fields), cleaned):
        rows = []
        for spec in page.fields:
            name = spec["name"]
            if name in attached:
                rows.append((spec["label"], attached[name]))
            else:  # a repeat gives a line per answer of each row
                rows += display_rows([spec], cleaned)
        groups.append(
            {
                "number": page.number,
                "title": page.title,
                "rows": rows,
                "edit_url": page_url(procedure, page, **{"return": "confirm"}),
            }
        )
    return groups


def fee_for_persons(procedure, fields: list[FieldSpec], cleaned: dict) -> dict | None:
    """The total a fee per person comes to for the number of persons answered (as the fee is
    charged on receipt), for the confirmation: {"total", "persons"}; None for any other fee."""
    if (
        procedure.fee_kind != procedure.FeeKind.PER_PERSON
        or not procedure.fee_amount
        or persons_field(fields) is None
    ):
        return None
    persons = persons_of(fields, cleaned)
    return {"total": procedure.fee_amount * persons, "persons": persons}


def render_in_language(
    language: str, request, template: str, context: dict, status: int = 200, *, choices=()
):
    """A resident page in the form's chosen language (``translations.resident_language``),
    marked with it (``translations.in_page_language``); ``choices`` are the form's languages
    when the page can be switched to them by ``?lang=``."""
    context = {
        **in_page_language(context, language, choices=choices),
        "html_lang": html_lang(language),
    }
    with resident_page_language(language):
        if context.get("page_count", 0) > 1:
            context["page_progress"] = gettext("ページ %(position)s / %(count)s") % {
                "position": context["page_position"],
                "count": context["page_count"],
            }
        # Pages are counted as the resident met them (routing may skip some).
        for position, group in enumerate(context.get("groups", []), start=1):
            group["heading"] = group["title"] or gettext("ページ %(number)s") % {"number": position}
        response = render(request, template, context, status=status)
    return response
