"""Pages of a form. A field of type ``page`` starts a new page: its label is the page's title
(it may be empty), its ``show_if`` / ``relevant`` the condition to ask the page, decided on the
answers of the pages before it. The fields before the first page field form the first page; a
form without page fields is one page.

Pages only decide what a resident is asked on which screen and in which order (a page whose
condition does not hold is skipped: the flow "jumps" over it). What is stored is decided by the
one validator for every channel, which drops the answers of a skipped page
(``definitions.Scope``): the API takes the whole answer set at once and applies the same rule."""

from collections.abc import Iterable
from dataclasses import dataclass

from jichitai.procedures.definitions import is_visible
from jichitai.procedures.fields import FieldSpec


@dataclass(frozen=True)
class Page:
    number: int  # 1-based, among all the form's pages (asked or not)
    marker: FieldSpec | None  # the page field starting it; None for fields before the first
    fields: tuple[FieldSpec, ...]  # what is on it, the page field not included
    earlier: frozenset[str]  # the names of the fields on the pages before it

    @property
    def title(self) -> str:
        return self.marker["label"] if self.marker else ""

    @property
    def names(self) -> frozenset[str]:
        return frozenset(spec["name"] for spec in self.fields)

    def holds(self, error_key: str) -> bool:
        """Whether an error is on this page: its field's, or one of a repeat's rows
        (``children.1.birth_date``)."""
        return error_key.partition(".")[0] in self.names

    def applies(self, cleaned: dict) -> bool:
        """Whether the page is asked, given the answers the validator kept (only those of the
        pages before it count, as when the validator reached it)."""
        if self.marker is None:
            return True
        return is_visible(
            self.marker, {name: value for name, value in cleaned.items() if name in self.earlier}
        )


def split(fields: Iterable[FieldSpec]) -> list[Page]:
    pages: list[Page] = []
    marker: FieldSpec | None = None
    current: list[FieldSpec] = []
    earlier: set[str] = set()

    def close() -> None:
        if marker is not None or current:
            pages.append(Page(len(pages) + 1, marker, tuple(current), frozenset(earlier)))

    for spec in fields:
        if spec["type"] == "page":
            close()
            earlier.update(s["name"] for s in current)
            if marker is not None:
                earlier.add(marker["name"])
            marker, current = spec, []
        else:
            current.append(spec)
    close()
    return pages or [Page(1, None, (), frozenset())]


def asked(pages: list[Page], cleaned: dict) -> list[Page]:
    """The pages a resident goes through, given the answers so far."""
    return [page for page in pages if page.applies(cleaned)]


def find(pages: list[Page], number) -> Page | None:
    """The page ``number`` (as the URL carries it), if the form has it."""
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        return None
    return next((page for page in pages if page.number == wanted), None)


def following(pages: list[Page], page: Page, cleaned: dict) -> Page | None:
    """The next page asked after ``page``; None when the answers go to the confirmation."""
    return next((p for p in asked(pages, cleaned) if p.number > page.number), None)


def preceding(pages: list[Page], page: Page, cleaned: dict) -> Page | None:
    return next((p for p in reversed(asked(pages, cleaned)) if p.number < page.number), None)


def progress(pages: list[Page], page: Page, cleaned: dict) -> tuple[int, int]:
    """(position, count) of ``page`` among the pages asked given the answers so far: the count
    follows the answers, as later pages may be skipped."""
    route = asked(pages, cleaned)
    position = sum(1 for p in route if p.number <= page.number)
    return max(position, 1), len(route)


def first_with_errors(pages: list[Page], cleaned: dict, errors: dict) -> Page | None:
    return next((p for p in asked(pages, cleaned) if any(map(p.holds, errors))), None)


def choice_condition(spec: FieldSpec, values: list[str]) -> str:
    """The expression "the choice field ``spec`` has one of ``values``", as a page's
    ``relevant`` reads it."""

    def literal(value: str) -> str:
        return f'"{value}"' if "'" in value else f"'{value}'"

    if spec["type"] == "multiple_choice":
        tests = [f"selected(${{{spec['name']}}}, {literal(value)})" for value in values]
    else:
        tests = [f"${{{spec['name']}}} = {literal(value)}" for value in values]
    return " or ".join(tests)


def with_jump(
    fields: list[FieldSpec], *, source: int, target: int | None, condition: str
) -> list[FieldSpec]:
    """The form in which, once page ``source`` is answered so that ``condition`` holds, the
    resident goes on to page ``target`` (None: to the confirmation). A jump is no model of its
    own: each page in between is asked only when the condition does not hold (``not(…)``
    joined to its own ``relevant``), so the pages, the validator and the API all decide it as
    any other page condition."""
    skipped = {
        page.marker["name"]
        for page in split(fields)
        if page.marker is not None
        and page.number > source
        and (target is None or page.number < target)
    }
    result = []
    for spec in fields:
        if spec["name"] in skipped:
            own = spec.get("relevant")
            spec = {
                **spec,
                "relevant": f"({own}) and not({condition})" if own else f"not({condition})",
            }
        result.append(spec)
    return result
