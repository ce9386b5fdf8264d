"""pyxform's refusals of a workbook in Japanese, with the sheet and row they name.

pyxform words a refusal from one of its templates (``pyxform.errors.ErrorCode``), raised with
the code or already formatted, or from a sentence of its own. Each template is read back into its
values by a pattern made from the template itself, so a refusal is recognised however pyxform
raised it; the refusals a clerk meets (names, references, groups, choices, headings) have a
Japanese message here. One not known here keeps pyxform's words after a Japanese lead, so nothing
pyxform says is lost."""

import re
from functools import cache
from string import Formatter

from django.utils.translation import gettext_noop
from pyxform.errors import ErrorCode, PyXFormError

from jichitai.core.kept_texts import KeptText

# pyxform's own sentences that no template words.
_SENTENCES = {
    "DUPLICATE_HEADER": "Duplicate column header: {header}",
    "CHOICES_SHEET": "There should be a choices sheet in this xlsform.{rest}",
    "LIST_NAME": "[row : {row}] List name not in choices sheet: {list_name}",
    "NO_CALCULATION": "[row : {row}] Missing calculation.",
    "NO_NAME": "[row : {row}] Question or group with no name.",
}

_ROW = gettext_noop("%(sheet)s シート %(row)s行目: %(problem)s")
# Message per template or sentence, with the sheet its row is on when the template does not say.
_MESSAGES: dict[str, tuple[str, str]] = {
    "NAMES_001": (
        "survey",
        gettext_noop(
            "項目名(name)「%(value)s」が重複しています。同じグループの中では項目名を1つずつにしてください。"
        ),
    ),
    "NAMES_002": (
        "survey",
        gettext_noop(
            "項目名(name)「%(value)s」が、大文字と小文字の違いだけで別の項目名と同じです。別の名前にしてください。"
        ),
    ),
    "NAMES_004": (
        "survey",
        gettext_noop(
            "繰り返しの名前「%(value)s」が重複しています。フォーム全体で1つずつにしてください。"
        ),
    ),
    "NAMES_005": ("survey", gettext_noop("名前「meta」は使えません。別の名前にしてください。")),
    "NAMES_006": ("choices", gettext_noop("選択肢に name がありません。")),
    "NAMES_007": (
        "choices",
        gettext_noop("選択肢の name が同じリストの中で重複しています。1つずつにしてください。"),
    ),
    "NAMES_008": (
        "",
        gettext_noop(
            "%(column)s 列の値が使えません。英字か _ で始め、英数字・_・-・. だけで書いてください。"
        ),
    ),
    "LABEL_001": ("choices", gettext_noop("選択肢に label(表示する文)がありません。")),
    "HEADER_002": (
        "",
        gettext_noop(
            "%(sheet_name)s シートの見出し「%(other)s」と「%(header)s」は同じ列を指します。どちらか一方にしてください。"
        ),
    ),
    "HEADER_003": (
        "",
        gettext_noop(
            "%(sheet_name)s シートに必要な見出しがありません: %(missing)s。XLSForm の見本どおりの見出しを1行目に置いてください。"
        ),
    ),
    "HEADER_004": (
        "",
        gettext_noop(
            "choices シートの見出し「%(column)s」が使えません(空欄や空白を含む見出しは使えません)。"
        ),
    ),
    "PYREF_001": (
        "",
        gettext_noop("%(column)s 列の参照は「${項目名}」の形で書いてください。"),
    ),
    "PYREF_003": (
        "",
        gettext_noop("%(column)s 列の「${%(q)s}」にあたる項目が survey シートにありません。"),
    ),
    "PYREF_004": (
        "",
        gettext_noop(
            "%(column)s 列の「${%(q)s}」が指す項目名が survey シートに2つ以上あります。項目名を1つずつにしてください。"
        ),
    ),
    "RANGE_001": (
        "survey",
        gettext_noop("range の parameters の %(name)s は数値にしてください。"),
    ),
    "RANGE_002": (
        "survey",
        gettext_noop("range の parameters の %(name)s は 0 以外にしてください。"),
    ),
    "RANGE_003": (
        "survey",
        gettext_noop(
            "range の parameters の %(name)s が、start から end までの幅より大きくなっています。"
        ),
    ),
    "RANGE_004": (
        "survey",
        gettext_noop("range の parameters の %(name)s は step の倍数にしてください。"),
    ),
    "RANGE_005": (
        "survey",
        gettext_noop("range の parameters の %(name)s は start と end の間の値にしてください。"),
    ),
    "SURVEY_001": ("survey", gettext_noop("end_%(type)s に対応する begin_%(type)s がありません。")),
    "SURVEY_002": (
        "survey",
        gettext_noop("begin_%(type)s「%(name)s」に対応する end_%(type)s がありません。"),
    ),
    "SURVEY_004": (
        "survey",
        gettext_noop("parameters 列は「key1=value1 key2=value2」の形で書いてください。"),
    ),
    "DUPLICATE_HEADER": (
        "",
        gettext_noop("見出し「%(header)s」の列が2つあります。1つにしてください。"),
    ),
    "CHOICES_SHEET": (
        "",
        gettext_noop(
            "choices シートがありません。選択肢は choices シート(見出し list_name、name、label)に書いてください。"
        ),
    ),
    "NO_CALCULATION": (
        "survey",
        gettext_noop("calculate の行に calculation(計算式)がありません。"),
    ),
    "NO_NAME": ("survey", gettext_noop("項目またはグループに name がありません。")),
    "LIST_NAME": (
        "survey",
        gettext_noop("選択肢リスト「%(list_name)s」が choices シートにありません。"),
    ),
    "NAMES_003": (
        "survey",
        gettext_noop(
            "繰返しの名前に「%(value)s」は使えません(フォーム全体の名前です)。別の名前にしてください。"
        ),
    ),
    "SURVEY_005": (
        "survey",
        gettext_noop(
            "parameters 列の「%(rejected)s」はこの種類の質問には使えません(使えるのは %(accepted)s)。"
        ),
    ),
    "SURVEY_007": (
        "survey",
        gettext_noop("parameters 列の capture-accuracy は数値にしてください。"),
    ),
    "SURVEY_008": (
        "survey",
        gettext_noop("parameters 列の warning-accuracy は数値にしてください。"),
    ),
    "SURVEY_009": (
        "survey",
        gettext_noop("parameters 列の allow-mock-accuracy は true か false にしてください。"),
    ),
}
# A range's tick marks (tick_labelset, tick_interval, placeholder): a phone's slider draws them,
# a web form's number has none, and each of pyxform's refusals of them reads the same here.
_MESSAGES |= {
    f"RANGE_{number:03}": (
        "survey",
        gettext_noop(
            "range の parameters の目盛り(tick_labelset、tick_interval、placeholder)の指定が正しくありません。"
        ),
    )
    for number in range(6, 13)
}
# Entities (an entities sheet, a save_to column) feed ODK Central's lists; a web form has none,
# and whatever pyxform finds wrong with them, the way out is the same.
_MESSAGES |= {
    code.name: (
        "survey" if "'survey' sheet" in code.value.msg else "entities",
        gettext_noop(
            "エンティティ(entities シート、save_to 列)には対応していません。entities シートと save_to 列を削除してください。"
        ),
    )
    for code in ErrorCode
    if code.name.startswith("ENTITY_")
}


@cache
def _patterns() -> dict[str, re.Pattern]:
    templates = {code.name: code.value.msg for code in ErrorCode if code.name in _MESSAGES}
    templates |= _SENTENCES
    return {key: _pattern(template) for key, template in templates.items()}


def _pattern(template: str) -> re.Pattern:
    """A template's words exactly, each ``{value}`` read back (the same name twice, the same
    value twice)."""
    parts, seen = [], set()
    for literal, name, _spec, _conversion in Formatter().parse(template):
        parts.append(re.escape(literal))
        if name is None:
            continue
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.*?)")
        seen.add(name)
    return re.compile("".join(parts), re.DOTALL)


def problem_text(error: PyXFormError) -> KeptText:
    """The refusal, to be told in its reader's language, led by its sheet and row where pyxform
    names them."""
    words = str(error)
    for key, pattern in _patterns().items():
        found = pattern.fullmatch(words)
        if found is None:
            continue
        values = found.groupdict()
        fixed_sheet, message = _MESSAGES[key]
        problem = KeptText(message, values)
        sheet = fixed_sheet or values.get("sheet", "")
        if "row" in values and sheet:
            return KeptText(_ROW, {"sheet": sheet, "row": values["row"], "problem": problem})
        return problem
    return KeptText(gettext_noop("XLSForm として正しくありません: %(words)s"), {"words": words})
