"""Staff translate a published form beside its Japanese, one language at a time: every label,
hint, choice and message (a repeat's rows included); saving publishes a new version with them,
the version residents were answering stays as it was, and the resident reads the form in that
language."""

import pytest
from django.test import Client

from jichitai.procedures.models import FormVersion
from jichitai.procedures.tests.factories import published_procedure
from jichitai.procedures.translation_table import TRANSLATABLE_LANGUAGES, carried_over, texts

FIELDS = [
    {
        "name": "count",
        "type": "number",
        "label": "子どもの人数",
        "help": "中学生までの子ども",
        "required": True,
        "constraint": ". <= 5",
        "constraint_message": "5人までです",
    },
    {
        "name": "school",
        "type": "single_choice",
        "label": "学校",
        "required": True,
        "choices": [
            {"value": "yes", "label": "通っている"},
            {"value": "no", "label": "通っていない"},
        ],
    },
    {
        "name": "children",
        "type": "repeat",
        "label": "子ども",
        "row_unit": "人",
        "min_repeat": 0,
        "max_repeat": 3,
        "children": [{"name": "child_name", "type": "text", "label": "氏名", "required": True}],
    },
]


def url(procedure, language=""):
    base = f"/s/{procedure.organization.code}/procedures/{procedure.pk}/translations/"
    return f"{base}?lang={language}" if language else base


def table_post(procedure, **texts_by_index):
    return {"version": str(procedure.current_version.pk), **texts_by_index}


def test_every_text_of_the_form_is_in_the_table_in_the_forms_order():
    calculated = {"name": "total", "type": "calculate", "label": "合計", "calculation": "1"}
    rows = [(t.path, t.key, t.choice, t.japanese) for t in texts([*FIELDS, calculated], "pt")]
    assert rows == [
        ("count", "label", "", "子どもの人数"),
        ("count", "help", "", "中学生までの子ども"),
        ("count", "constraint_message", "", "5人までです"),
        ("school", "label", "", "学校"),
        ("school", "choice", "yes", "通っている"),
        ("school", "choice", "no", "通っていない"),
        ("children", "label", "", "子ども"),
        ("children/child_name", "label", "", "氏名"),
    ]


def test_a_translation_of_words_since_changed_is_not_carried_into_the_form_being_edited():
    source = [{**FIELDS[0], "translations": {"pt": {"label": "Filhos", "help": "Até 15 anos"}}}]
    target = [{**FIELDS[0], "label": "子どもの数(18歳未満)"}]
    carried = carried_over(source, target, "pt")
    assert carried[0]["translations"] == {"pt": {"help": "Até 15 anos"}}


@pytest.mark.django_db
def test_the_selectable_languages_each_open_a_table(tsu, tsu_admin, login):
    procedure = published_procedure(tsu, fields=FIELDS)
    client = login(tsu_admin)
    choose = client.get(url(procedure)).content.decode()
    assert all(name in choose for name in TRANSLATABLE_LANGUAGES.values())
    assert "やさしい日本語" in choose
    assert set(TRANSLATABLE_LANGUAGES) == {"en", "ja-easy", "pt", "es", "vi", "zh", "tl"}
    for code in TRANSLATABLE_LANGUAGES:
        page = client.get(url(procedure, code))
        assert page.status_code == 200 and "通っていない" in page.content.decode()
    assert client.get(url(procedure, "xx")).status_code == 404


@pytest.mark.django_db
def test_saving_publishes_a_new_version_and_the_resident_reads_it_in_portuguese(
    tsu, tsu_admin, login
):
    procedure = published_procedure(tsu, fields=FIELDS)
    first = procedure.current_version
    client = login(tsu_admin)
    page = client.get(url(procedure, "pt")).content.decode()
    assert 'name="text_0"' in page and 'name="text_7"' in page and 'name="text_8"' not in page
    response = client.post(
        url(procedure, "pt"),
        table_post(
            procedure,
            text_0="Número de filhos",
            text_2="No máximo 5",
            text_3="Vai à escola?",
            text_4="Sim",
            text_5="Não",
            text_6="Filhos",
            text_7="Nome",
        ),
    )
    assert response.status_code == 302
    procedure.refresh_from_db()
    second = procedure.current_version
    assert second.number == first.number + 1
    first.refresh_from_db()
    assert first.fields == FIELDS  # a published version never changes
    assert second.fields[0]["translations"] == {
        "pt": {"label": "Número de filhos", "constraint_message": "No máximo 5"}
    }
    assert second.fields[1]["choices"][1]["translations"] == {"pt": {"label": "Não"}}
    assert second.fields[2]["children"][0]["translations"] == {"pt": {"label": "Nome"}}
    # The form being edited keeps them, so the next publication does too.
    assert procedure.draft_fields == second.fields
    table = client.get(response["Location"]).content.decode()
    assert 'value="Vai à escola?"' in table and f"{procedure.organization.code}" in table
    assert f"/o/{tsu.code}/procedures/{procedure.pk}/?lang=pt" in table  # the preview link

    resident = Client().get(f"/o/{tsu.code}/procedures/{procedure.pk}/?lang=pt").content.decode()
    assert 'lang="pt"' in resident and "Número de filhos" in resident and ">Não</label>" in resident
    assert "中学生までの子ども" in resident  # left empty: shown in Japanese

    # Emptying a translation removes it, in another new version.
    rest = {f"text_{i}": v for i, v in enumerate(["Número de filhos", "", "No máximo 5"])}
    client.post(url(procedure, "pt"), table_post(procedure, **rest))
    procedure.refresh_from_db()
    assert procedure.current_version.number == second.number + 1
    assert "translations" not in procedure.current_version.fields[1]


@pytest.mark.django_db
def test_bad_input_is_refused_next_to_its_field_with_what_was_typed_kept(tsu, tsu_admin, login):
    procedure = published_procedure(tsu, fields=FIELDS)
    client = login(tsu_admin)
    too_long = "x" * 201
    response = client.post(
        url(procedure, "en"), table_post(procedure, text_0=too_long, text_3="School")
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "200 文字以内にしてください(いま 201 文字です)。" in page
    assert f'value="{too_long}"' in page and 'value="School"' in page
    assert FormVersion.objects.filter(procedure=procedure).count() == 1


@pytest.mark.django_db
def test_a_table_filled_in_on_a_version_published_over_since_is_not_saved(tsu, tsu_admin, login):
    procedure = published_procedure(tsu, fields=FIELDS)
    client = login(tsu_admin)
    stale = table_post(procedure, text_0="Children")
    client.post(url(procedure, "en"), table_post(procedure, text_3="School"))
    response = client.post(url(procedure, "en"), stale)
    assert response.status_code == 409
    assert "公開し直されました" in response.content.decode()
    procedure.refresh_from_db()
    assert "en" not in procedure.current_version.fields[0].get("translations", {})
    assert FormVersion.objects.filter(procedure=procedure).count() == 2


@pytest.mark.django_db
def test_a_form_never_published_has_nothing_to_translate(tsu, tsu_admin, login):
    from jichitai.procedures import services
    from jichitai.tenancy.tests.factories import DivisionFactory

    procedure = services.create_procedure(
        actor=None,
        organization=tsu,
        division=DivisionFactory(organization=tsu),
        name="下書き",
        fields=FIELDS,
    )
    client = login(tsu_admin)
    page = client.get(url(procedure, "pt"))
    assert page.status_code == 200 and "公開してから翻訳してください" in page.content.decode()
    assert client.post(url(procedure, "pt"), {"version": "1"}).status_code == 404
