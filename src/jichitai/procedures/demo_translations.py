"""The demo's 転入・転居の事前届 in the languages Mie's residents read (やさしい日本語, English,
Portuguese, Spanish, Vietnamese, Chinese, Tagalog): its name, its description and every text of
its form, as staff would type them in the translation table."""

import copy

from jichitai.procedures import services
from jichitai.procedures.fields import FieldSpec
from jichitai.procedures.models import Procedure

# {language: {"name", "description", field name: {text key: translation}}}
MOVE = {
    "ja-easy": {
        "name": "引っ越し(ひっこし)の 前に する 届け出(とどけで)",
        "description": "ひっこす まえに とどけでを すると、しやくしょの まどぐちで まつ じかんが みじかく なります。",
        "applicant": {"label": "名前(なまえ)"},
        "email": {
            "label": "メールアドレス",
            "help": "うけつけばんごう と、いま どう なって いるかを みる リンクを おくります。",
        },
        "phone": {"label": "電話番号(でんわばんごう)"},
        "birth_date": {
            "label": "生まれた 日(うまれた ひ)",
            "help": "「昭和60年4月1日」のように かいても いいです。",
        },
        "new_address": {"label": "新しい 住所(じゅうしょ)"},
        "moving_on": {"label": "引っ越す 日(ひっこす ひ)"},
    },
    "en": {
        "name": "Advance notice of moving in or moving house",
        "description": "Notify us before you move and your visit to the counter will be shorter.",
        "applicant": {"label": "Name"},
        "email": {
            "label": "E-mail address",
            "help": "We will send you your receipt number and a link to check the status.",
        },
        "phone": {"label": "Phone number"},
        "birth_date": {
            "label": "Date of birth",
            "help": "You may also enter a Japanese era date (e.g. 昭和60年4月1日).",
        },
        "new_address": {"label": "New address"},
        "moving_on": {"label": "Planned moving date"},
    },
    "pt": {
        "name": "Aviso prévio de mudança (chegada ao município ou mudança de endereço)",
        "description": "Avisando antes da mudança, o atendimento no balcão será mais rápido.",
        "applicant": {"label": "Nome"},
        "email": {
            "label": "E-mail",
            "help": "Enviaremos o número de recebimento e um link para acompanhar o pedido.",
        },
        "phone": {"label": "Telefone"},
        "birth_date": {
            "label": "Data de nascimento",
            "help": "Também pode usar o calendário japonês (ex.: 昭和60年4月1日).",
        },
        "new_address": {"label": "Novo endereço"},
        "moving_on": {"label": "Data prevista da mudança"},
    },
    "es": {
        "name": "Aviso previo de mudanza (llegada al municipio o cambio de domicilio)",
        "description": "Si avisa antes de mudarse, el trámite en la ventanilla será más corto.",
        "applicant": {"label": "Nombre"},
        "email": {
            "label": "Correo electrónico",
            "help": "Le enviaremos el número de recepción y un enlace para consultar el estado.",
        },
        "phone": {"label": "Teléfono"},
        "birth_date": {
            "label": "Fecha de nacimiento",
            "help": "También puede usar el calendario japonés (p. ej., 昭和60年4月1日).",
        },
        "new_address": {"label": "Nueva dirección"},
        "moving_on": {"label": "Fecha prevista de la mudanza"},
    },
    "vi": {
        "name": "Thông báo trước về việc chuyển đến hoặc chuyển nhà",
        "description": "Nếu thông báo trước khi chuyển nhà, thủ tục tại quầy sẽ nhanh hơn.",
        "applicant": {"label": "Họ tên"},
        "email": {
            "label": "Địa chỉ email",
            "help": "Chúng tôi sẽ gửi số tiếp nhận và đường dẫn để xem tình trạng hồ sơ.",
        },
        "phone": {"label": "Số điện thoại"},
        "birth_date": {
            "label": "Ngày sinh",
            "help": "Cũng có thể nhập theo lịch Nhật Bản (ví dụ: 昭和60年4月1日).",
        },
        "new_address": {"label": "Địa chỉ mới"},
        "moving_on": {"label": "Ngày dự định chuyển nhà"},
    },
    "zh": {
        "name": "迁入・迁居事先申报",
        "description": "在搬家前申报，可以缩短在窗口办理的时间。",
        "applicant": {"label": "姓名"},
        "email": {"label": "电子邮箱", "help": "我们将发送受理编号和查询办理状态的链接。"},
        "phone": {"label": "电话号码"},
        "birth_date": {
            "label": "出生日期",
            "help": "也可以用日本年号填写（例：昭和60年4月1日）。",
        },
        "new_address": {"label": "新住址"},
        "moving_on": {"label": "预定搬家日期"},
    },
    "tl": {
        "name": "Paunang abiso ng paglipat (paglipat sa lungsod o paglipat ng tirahan)",
        "description": "Kung mag-aabiso bago lumipat, mas mabilis ang proseso sa counter.",
        "applicant": {"label": "Pangalan"},
        "email": {
            "label": "Email address",
            "help": "Ipapadala namin ang numero ng pagtanggap at link para makita ang katayuan.",
        },
        "phone": {"label": "Numero ng telepono"},
        "birth_date": {
            "label": "Petsa ng kapanganakan",
            "help": "Maaari ring gamitin ang kalendaryong Hapon (hal. 昭和60年4月1日).",
        },
        "new_address": {"label": "Bagong address"},
        "moving_on": {"label": "Petsa ng nakaplanong paglipat"},
    },
}


def move_fields(fields: list[FieldSpec]) -> list[FieldSpec]:
    """The move form's fields with their translations."""
    translated = copy.deepcopy(fields)
    for spec in translated:
        spec["translations"] = {code: texts[spec["name"]] for code, texts in MOVE.items()}
    return translated


def translate_move(procedure: Procedure) -> None:
    """The procedure's name and description in each language, through the translation table's
    own service (its form is published with its translations already)."""
    for code, texts in MOVE.items():
        services.save_translations(
            actor=None,
            procedure=procedure,
            language=code,
            based_on=procedure.current_version,
            by_place={("", key, ""): texts[key] for key in ("name", "description")},
        )
