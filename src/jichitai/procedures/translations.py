"""Form content in the resident's language: each field may carry translations of its label,
hint, messages and choices (``FieldSpec.translations``, filled by the XLSForm import from
``label::<language>`` columns). Answers are stored once, by value; staff pages always show the
Japanese labels."""

import copy

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from jichitai.procedures.fields import FieldSpec

# The languages a form can be offered in, each named in itself so a resident finds their own.
LANGUAGES = {
    "ja": "日本語",
    "ja-easy": "やさしい日本語",
    "en": "English",
    "pt": "Português",
    "es": "Español",
    "vi": "Tiếng Việt",
    "zh": "中文",
    "tl": "Tagalog",
}
TRANSLATED_KEYS = ("label", "help", "constraint_message", "required_message")
# How a repeating group's row is named in each language (「子ども 2 人目」 in Japanese, also
# やさしい日本語): the group's label and the row's number.
ROW_LEGENDS = {
    "en": "{label} no. {number}",
    "pt": "{label} n.º {number}",
    "es": "{label} n.º {number}",
    "vi": "{label} thứ {number}",
    "zh": "第{number}个{label}",
    "tl": "{label} blg. {number}",
}

# The form's own buttons and fixed texts around a translated form. Japanese and English come from
# the site's catalogue (the view activates English when the resident reads the form in English);
# the languages the site itself is not translated into carry these few texts here.
SITE_FORM_TEXTS = {
    "required": _("必須"),
    "next": _("次へ"),
    "back": _("戻る"),
    "to_confirm": _("入力内容を確認する"),
    "submit": _("送信する"),
    "edit": _("修正"),
    "back_to_form": _("入力画面に戻って修正する"),
    "received": _("受け付けました。"),
    "receipt_number": _("受付番号"),
    "step_input": _("入力"),
    "step_confirm": _("確認"),
    "step_done": _("完了"),
    "confirm_intro": _("次の内容で送信します。よろしければ「送信する」を押してください。"),
    "keep_number": _("受付番号は問い合わせのときに必要です。控えておいてください。"),
    "page": _("ページ %(number)s"),
    "page_of": _("ページ %(position)s / %(count)s"),
    "errors": _("入力内容に誤りがあります(%(count)s件)。"),
}
FORM_TEXTS = {
    "ja-easy": {
        "required": "かならず書く",
        "next": "つぎへ",
        "back": "もどる",
        "to_confirm": "書いたことをたしかめる",
        "submit": "おくる",
        "edit": "なおす",
        "back_to_form": "もどって なおす",
        "received": "うけつけました。",
        "receipt_number": "うけつけばんごう",
        "step_input": "かく",
        "step_confirm": "たしかめる",
        "step_done": "おわり",
        "confirm_intro": "このないようで おくります。よければ「おくる」を おしてください。",
        "keep_number": "うけつけばんごうは といあわせのときに つかいます。メモしてください。",
        "page": "ページ %(number)s",
        "page_of": "ページ %(position)s / %(count)s",
        "errors": "まちがいが あります(%(count)s こ)。",
    },
    "pt": {
        "required": "Obrigatório",
        "next": "Próximo",
        "back": "Voltar",
        "to_confirm": "Verificar respostas",
        "submit": "Enviar",
        "edit": "Corrigir",
        "back_to_form": "Voltar ao formulário para corrigir",
        "received": "Recebido.",
        "receipt_number": "Número de recebimento",
        "step_input": "Preencher",
        "step_confirm": "Verificar",
        "step_done": "Concluído",
        "confirm_intro": "Será enviado com o conteúdo abaixo. Se estiver correto, clique em “Enviar”.",
        "keep_number": "Guarde o número de recebimento: ele é necessário para qualquer consulta.",
        "page": "Página %(number)s",
        "page_of": "Página %(position)s de %(count)s",
        "errors": "Há erros nas respostas (%(count)s).",
    },
    "es": {
        "required": "Obligatorio",
        "next": "Siguiente",
        "back": "Atrás",
        "to_confirm": "Revisar respuestas",
        "submit": "Enviar",
        "edit": "Corregir",
        "back_to_form": "Volver al formulario para corregir",
        "received": "Recibido.",
        "receipt_number": "Número de recepción",
        "step_input": "Rellenar",
        "step_confirm": "Revisar",
        "step_done": "Completado",
        "confirm_intro": "Se enviará con el contenido siguiente. Si es correcto, pulse «Enviar».",
        "keep_number": "Guarde el número de recepción: lo necesitará para cualquier consulta.",
        "page": "Página %(number)s",
        "page_of": "Página %(position)s de %(count)s",
        "errors": "Hay errores en las respuestas (%(count)s).",
    },
    "vi": {
        "required": "Bắt buộc",
        "next": "Tiếp",
        "back": "Quay lại",
        "to_confirm": "Kiểm tra nội dung",
        "submit": "Gửi",
        "edit": "Sửa",
        "back_to_form": "Quay lại biểu mẫu để sửa",
        "received": "Đã tiếp nhận.",
        "receipt_number": "Số tiếp nhận",
        "step_input": "Nhập",
        "step_confirm": "Kiểm tra",
        "step_done": "Hoàn tất",
        "confirm_intro": "Nội dung dưới đây sẽ được gửi. Nếu đúng, hãy nhấn “Gửi”.",
        "keep_number": "Hãy giữ lại số tiếp nhận: cần khi liên hệ hỏi đáp.",
        "page": "Trang %(number)s",
        "page_of": "Trang %(position)s / %(count)s",
        "errors": "Có lỗi trong nội dung đã nhập (%(count)s).",
    },
    "zh": {
        "required": "必填",
        "next": "下一步",
        "back": "返回",
        "to_confirm": "确认填写内容",
        "submit": "提交",
        "edit": "修改",
        "back_to_form": "返回表单修改",
        "received": "已受理。",
        "receipt_number": "受理编号",
        "step_input": "填写",
        "step_confirm": "确认",
        "step_done": "完成",
        "confirm_intro": "将按以下内容提交。确认无误后请点击“提交”。",
        "keep_number": "咨询时需要受理编号，请记下。",
        "page": "第%(number)s页",
        "page_of": "第%(position)s页 / 共%(count)s页",
        "errors": "填写内容有误（%(count)s处）。",
    },
    "tl": {
        "required": "Kailangan",
        "next": "Susunod",
        "back": "Bumalik",
        "to_confirm": "Suriin ang mga sagot",
        "submit": "Ipadala",
        "edit": "Baguhin",
        "back_to_form": "Bumalik sa form para baguhin",
        "received": "Natanggap na.",
        "receipt_number": "Numero ng pagtanggap",
        "step_input": "Punan",
        "step_confirm": "Suriin",
        "step_done": "Tapos",
        "confirm_intro": "Ipapadala ang nilalaman sa ibaba. Kung tama, pindutin ang “Ipadala”.",
        "keep_number": "Itago ang numero ng pagtanggap: kailangan ito sa anumang tanong.",
        "page": "Pahina %(number)s",
        "page_of": "Pahina %(position)s ng %(count)s",
        "errors": "May mali sa mga sagot (%(count)s).",
    },
}


def form_texts(code: str) -> dict:
    """The form's buttons and fixed texts for a resident reading ``code``."""
    return FORM_TEXTS.get(code, SITE_FORM_TEXTS)


def site_language(code: str) -> str | None:
    """The site language (Django catalogue) a form read in ``code`` switches the page to. Japanese,
    every form's own language, switches nothing: a resident who reads the site in English keeps
    English buttons around a form they did not ask to read in another language."""
    return code if code != "ja" and code in dict(settings.LANGUAGES) else None


def form_languages(fields: list[FieldSpec]) -> list[tuple[str, str]]:
    """(code, name) of the languages the form is offered in: Japanese and every selectable
    language some field is translated into."""
    every = [*fields, *(child for spec in fields for child in spec.get("children", []))]
    codes = {code for spec in every for code in spec.get("translations", {})}
    return [(code, name) for code, name in LANGUAGES.items() if code == "ja" or code in codes]


def html_lang(code: str) -> str:
    return "ja" if code == "ja-easy" else code


def translate(fields: list[FieldSpec], code: str) -> list[FieldSpec]:
    """The fields as a resident reading ``code`` sees them; what is not translated stays in
    Japanese."""
    if code == "ja":
        return fields
    shown = copy.deepcopy(fields)
    # A repeating group's child fields are translated like the form's own.
    for spec in [*shown, *(child for field in shown for child in field.get("children", []))]:
        texts = spec.get("translations", {}).get(code, {})
        for key in TRANSLATED_KEYS:
            if texts.get(key):
                spec[key] = texts[key]
        for choice in spec.get("choices", []):
            label = choice.get("translations", {}).get(code, {}).get("label")
            if label:
                choice["label"] = label
        if spec.get("children") and code in ROW_LEGENDS:
            spec["row_legend"] = ROW_LEGENDS[code]
    return shown
