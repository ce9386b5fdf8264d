"""Demo of the paper intake: 津市's 現況届 on paper, its template (the 現況届 layout of
``samples``), and a sample batch of scans (two clean, one skewed and noisy, one file that is not
an image) read by the background worker."""

import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from jichitai.ocr import samples, services
from jichitai.ocr.models import PaperTemplate
from jichitai.procedures import services as procedure_services
from jichitai.procedures.models import Procedure
from jichitai.tenancy.models import Division, Organization
from jichitai.tenancy.selectors import for_tenant

PROCEDURE_NAME = "児童扶養手当 現況届(紙の届出)"
FIELDS = [
    {"name": "name", "type": "text", "label": "氏名", "required": True},
    {"name": "kana", "type": "text", "label": "フリガナ", "required": False},
    {"name": "birth", "type": "date", "label": "生年月日", "required": True},
    {"name": "postal", "type": "postal_code", "label": "郵便番号", "required": False},
    {"name": "address", "type": "text", "label": "住所", "required": True},
    {"name": "phone", "type": "phone", "label": "電話番号", "required": False},
    {"name": "income", "type": "number", "label": "所得額(円)", "required": False},
    {"name": "children", "type": "number", "label": "対象児童数", "required": False},
    {"name": "married", "type": "yes_no", "label": "婚姻していますか", "required": False},
]


def paper_procedure(organization, division) -> Procedure:
    procedure = procedure_services.create_procedure(
        actor=None,
        organization=organization,
        division=division,
        name=PROCEDURE_NAME,
        category=Procedure.Category.NOTIFICATION,
        fields=FIELDS,
        # Paper only: residents are not offered an online form they cannot use.
        online=False,
        description="窓口または郵送で、紙の届出書を提出してください。",
    )
    return procedure_services.publish_procedure(actor=None, procedure=procedure)


def paper_template(procedure, *, double_entry: bool = False) -> PaperTemplate:
    blank = SimpleUploadedFile(
        "genkyo.png", samples.png_bytes(samples.blank_form("genkyo")), content_type="image/png"
    )
    definition = samples.template_for("genkyo").to_json().encode()
    return services.create_template(
        actor=None,
        organization=procedure.organization,
        procedure=procedure,
        name="現況届(紙)",
        blank=blank,
        double_entry=double_entry,
        definition=definition,
    )


def sample_scans(count: int = 3, seed: int = 24) -> list[SimpleUploadedFile]:
    rng = random.Random(seed)  # noqa: S311  (demo data)
    scans = []
    for number in range(count):
        written, _truth = samples.random_values("genkyo", rng)
        fonts = samples.available(samples.HANDWRITING_FONTS) or samples.PRINTED_FONTS
        image = samples.filled_form(
            "genkyo", written, font=fonts[0] if number == 2 else samples.PRINTED_FONTS[0]
        )
        if number == 2:
            image = samples.degrade(image, "noisy", rng)
        scans.append(
            SimpleUploadedFile(
                f"現況届-{number + 1}.png", samples.png_bytes(image), content_type="image/png"
            )
        )
    return scans


@transaction.atomic
def load() -> list[str]:
    tsu = Organization.objects.get(code="242012")
    if for_tenant(Procedure, tsu).filter(name=PROCEDURE_NAME).exists():
        return []
    # The 市民課 of the demo logins (tsu-clerk, tsu-manager), so the clerk one tries first has
    # the batch to check.
    division = for_tenant(Division, tsu).get(name="市民課")
    procedure = paper_procedure(tsu, division)
    paper = paper_template(procedure)
    not_an_image = SimpleUploadedFile("メモ.png", b"not an image", content_type="image/png")
    services.start_batch(actor=None, paper=paper, uploads=[*sample_scans(), not_an_image])
    return [
        "紙の届出(AI-OCR): 津市の現況届の様式と、読取バッチ 1 件(3 ページと読めないファイル 1 件)"
    ]
