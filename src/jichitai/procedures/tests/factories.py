from jichitai.procedures import services
from jichitai.procedures.models import Application, Procedure
from jichitai.tenancy.tests.factories import DivisionFactory

EVENT_FIELDS = [
    {"name": "applicant", "type": "name", "label": "氏名", "required": True},
    {"name": "email", "type": "email", "label": "メールアドレス", "required": True},
    {
        "name": "participants",
        "type": "persons",
        "label": "参加人数",
        "required": True,
        "maximum": 5,
    },
    {
        "name": "needs_support",
        "type": "single_choice",
        "label": "支援の希望",
        "required": False,
        "choices": [
            {"value": "希望する", "label": "希望する"},
            {"value": "希望しない", "label": "希望しない"},
        ],
    },
    {
        "name": "support_detail",
        "type": "textarea",
        "label": "希望する支援の内容",
        "required": True,
        "show_if": {"field": "needs_support", "values": ["希望する"]},
    },
    {"name": "agree", "type": "consent", "label": "個人情報の取扱いに同意します", "required": True},
]

# A file an earlier answer makes required (XLSForm's conditional required).
CAR_INSPECTION_FIELDS = [
    {"name": "has_car", "type": "yes_no", "label": "車をお持ちですか", "required": True},
    {
        "name": "inspection",
        "type": "file",
        "label": "車検証",
        "required_if": "${has_car} = 'yes'",
    },
]


def published_procedure(organization, *, fields=None, **settings) -> Procedure:
    division = settings.pop("division", None) or DivisionFactory(organization=organization)
    procedure = services.create_procedure(
        actor=None,
        organization=organization,
        division=division,
        name=settings.pop("name", "テスト講座"),
        category=settings.pop("category", Procedure.Category.EVENT),
        fields=fields if fields is not None else EVENT_FIELDS,
        **settings,
    )
    return services.publish_procedure(actor=None, procedure=procedure)


def returned_application(
    procedure, *, actor, data: dict, message: str, **submission
) -> Application:
    """An application sent back to its applicant (差戻し) by ``actor`` with ``message``, as a
    correction page meets it; ``submission`` goes to ``submit_application`` (``uploads``,
    ``language``)."""
    application = services.submit_application(
        procedure=procedure, data=data, **submission
    ).application
    services.change_status(
        actor=actor,
        application=application,
        to_status=Application.Status.RETURNED,
        message=message,
    )
    return application


def event_data(number: int = 0, **overrides) -> dict:
    data = {
        "applicant": {
            "family": "三重",
            "given": f"太郎{number}",
            "family_kana": "ミエ",
            "given_kana": "タロウ",
        },
        "email": f"taro{number}@example.jp",
        "participants": 1,
        "agree": True,
    }
    data.update(overrides)
    return data
