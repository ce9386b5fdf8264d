"""A resident learns what a procedure costs before applying, not on the 完了 page: the form's
first page and the confirmation name the fee (定額, 1人あたり, or set after review) and how long
they have to pay it, in the language the form is read in."""

import pytest
from django.test import Client

from jichitai.procedures.models import Procedure
from jichitai.procedures.tests.factories import published_procedure

pytestmark = pytest.mark.django_db

FIELDS = [
    {
        "name": "full_name",
        "type": "text",
        "label": "氏名",
        "required": True,
        "translations": {"pt": {"label": "Nome"}},
    }
]


def _form(procedure, query=""):
    client = Client()
    page = client.get(f"/o/{procedure.organization.code}/procedures/{procedure.pk}/{query}")
    return client, page.content.decode()


@pytest.mark.parametrize(
    ("kind", "amount", "told"),
    [
        (Procedure.FeeKind.FIXED, 1200, "1,200 円(申請から 14 日以内にお支払いください)"),
        (
            Procedure.FeeKind.PER_PERSON,
            300,
            "1人あたり 300 円(申請から 14 日以内にお支払いください)",
        ),
        (Procedure.FeeKind.AFTER_REVIEW, None, "審査のあとで金額をお知らせします"),
    ],
)
def test_the_forms_first_page_and_the_confirmation_name_the_fee(tsu, kind, amount, told):
    procedure = published_procedure(
        tsu, fields=FIELDS, fee_kind=kind, fee_amount=amount, payment_due_days=14
    )
    client, page = _form(procedure)
    assert f"<dt>手数料</dt><dd>{told}</dd>" in page
    url = f"/o/{tsu.code}/procedures/{procedure.pk}/"
    confirm = client.get(client.post(url, {"full_name": "三重 花子"})["Location"])
    assert f"手数料: {told}" in confirm.content.decode()


def test_a_procedure_without_a_fee_says_nothing_of_fees(tsu):
    _client, page = _form(published_procedure(tsu, fields=FIELDS))
    assert "手数料" not in page


def test_the_fee_is_told_in_the_forms_language(tsu):
    procedure = published_procedure(
        tsu, fields=FIELDS, fee_kind=Procedure.FeeKind.FIXED, fee_amount=1200
    )
    _client, page = _form(procedure, "?lang=pt")
    assert "<dt>Taxa</dt><dd>¥1,200 (pague em até 14 dias após o pedido)</dd>" in page


def test_the_finder_names_the_fee_beside_each_procedure(tsu):
    published_procedure(
        tsu,
        fields=FIELDS,
        name="会議室の使用申請",
        fee_kind=Procedure.FeeKind.FIXED,
        fee_amount=1200,
        listed=True,
    )
    page = Client().get("/procedures/", {"q": "会議室"}).content.decode()
    assert "手数料: 1,200 円(申請から 14 日以内にお支払いください)" in page


def test_staff_write_the_fee_as_they_write_amounts(tsu, login, make_member):
    """1,200 or 1200円, as the fee is shown to residents; it comes back as 1,200."""
    from jichitai.tenancy.models import Role
    from jichitai.tenancy.tests.factories import DivisionFactory

    client = login(make_member(tsu, Role.MANAGER))
    division = DivisionFactory(organization=tsu)
    settings = {
        "name": "会議室の使用申請",
        "division": division.pk,
        "category": "application",
        "attachment_max_mb": "10",
        "retention_years": "3",
        "identity": "none",
        "fee_kind": "fixed",
        "fee_amount": "1,200円",
        "payment_due_days": "14",
    }
    client.post(f"/s/{tsu.code}/procedures/new/", settings)
    procedure = Procedure.objects.get(name="会議室の使用申請")
    assert procedure.fee_amount == 1200
    page = client.get(f"/s/{tsu.code}/procedures/{procedure.pk}/edit/").content.decode()
    assert 'value="1,200"' in page and "住民には" in page


def test_a_fee_per_person_is_added_up_on_the_confirmation(tsu):
    fields = [*FIELDS, {"name": "participants", "type": "persons", "label": "参加人数"}]
    procedure = published_procedure(
        tsu, fields=fields, fee_kind=Procedure.FeeKind.PER_PERSON, fee_amount=300
    )
    client = Client()
    url = f"/o/{tsu.code}/procedures/{procedure.pk}/"
    client.get(url)
    answers = client.post(url, {"full_name": "三重 花子", "participants": "3"})
    confirm = client.get(answers["Location"]).content.decode()
    assert "合計 900 円(3 人分)" in confirm
