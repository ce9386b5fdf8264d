"""The builder's question form keeps what it does not show: opening and saving a question
imported from XLSForm changes nothing the clerk did not change."""

import pytest

from jichitai.procedures.forms import FieldForm

IMPORTED = {
    "name": "county",
    "type": "single_choice",
    "label": "郡",
    "help": "",
    "required": True,
    "choices": [
        {"value": "king", "label": "King", "filters": {"state": "washington"}},
        {"value": "brewster", "label": "Brewster", "filters": {"state": "texas"}},
    ],
    "choice_filter": "state=${selected_state}",
    "relevant": "${selected_state} != ''",
    "constraint_message": "選び直してください",
    "translations": {"en": {"label": "County"}},
}


def resave(spec, **changes):
    form = FieldForm({**FieldForm.initial_from(spec), **changes}, earlier_fields=[])
    assert form.is_valid(), form.errors
    return form.to_spec(set(), previous=spec)


def test_opening_and_saving_a_choice_field_keeps_its_values_and_everything_else():
    assert resave(IMPORTED) == IMPORTED


def test_a_label_is_edited_without_changing_the_stored_value():
    spec = resave(IMPORTED, choices="king|King County\nbrewster|Brewster")
    assert spec["choices"][0] == {
        "value": "king",
        "label": "King County",
        "filters": {"state": "washington"},
    }


def test_a_new_choice_written_alone_is_its_own_value():
    form = FieldForm(
        {"label": "参加", "type": "single_choice", "choices": "出席\n欠席"}, earlier_fields=[]
    )
    assert form.is_valid()
    assert form.to_spec(set())["choices"] == [
        {"value": "出席", "label": "出席"},
        {"value": "欠席", "label": "欠席"},
    ]


def test_field_types_are_named_in_japanese_never_by_their_code():
    from jichitai.procedures.field_type_names import field_type_name
    from jichitai.procedures.forms import FIELD_TYPE_CHOICES

    assert field_type_name("single_choice") == "単一選択"
    assert field_type_name("yes_no") == "はい・いいえ"
    assert field_type_name("unknown_kind") == "unknown_kind"
    assert all(str(label) != code for code, label in FIELD_TYPE_CHOICES)


@pytest.mark.django_db
def test_the_builder_lists_questions_with_their_types_name(tsu, tsu_admin, login):
    from jichitai.procedures.tests.factories import published_procedure

    procedure = published_procedure(tsu)
    page = login(tsu_admin).get(f"/s/{tsu.code}/procedures/{procedure.pk}/form/").content.decode()
    assert '<span class="badge">単一選択</span>' in page
    assert ">single_choice<" not in page and ">consent<" not in page


@pytest.mark.django_db
def test_adding_a_question_with_bad_input_answers_422_with_the_messages_and_input_kept(
    tsu, tsu_admin, login
):
    from jichitai.procedures.models import Procedure
    from jichitai.procedures.tests.factories import published_procedure

    procedure = published_procedure(tsu)
    builder = f"/s/{tsu.code}/procedures/{procedure.pk}/form/"
    response = login(tsu_admin).post(
        builder, {"action": "add", "label": "", "name": "9bad", "type": "text", "help": "説明文"}
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "半角英小文字で始まる英数字と _ (40文字以内)にしてください。" in page
    assert 'id="id_label_error"' in page and 'value="説明文"' in page
    assert Procedure.objects.get(pk=procedure.pk).draft_fields == procedure.draft_fields


@pytest.mark.django_db
def test_the_xlsform_upload_page_opens_and_refuses_a_missing_file_next_to_its_field(
    tsu, tsu_admin, login
):
    from jichitai.procedures.tests.factories import published_procedure

    procedure = published_procedure(tsu)
    client = login(tsu_admin)
    url = f"/s/{tsu.code}/procedures/{procedure.pk}/xlsform/"
    page = client.get(url)
    assert page.status_code == 200 and "pyxform" in page.content.decode()
    # A browser always sends the CSRF token, so the form is read even without a file.
    refused = client.post(url, {"csrfmiddlewaretoken": "not-checked-by-the-test-client"})
    assert refused.status_code == 422 and 'id="id_workbook_error"' in refused.content.decode()


@pytest.mark.django_db
def test_a_move_that_would_break_a_condition_is_refused_in_words_and_nothing_moves(
    tsu, tsu_admin, login
):
    """Moving a question above the one its condition reads gave a server error."""
    from jichitai.procedures.models import Procedure
    from jichitai.procedures.tests.factories import published_procedure

    fields = [
        {
            "name": "has_car",
            "type": "single_choice",
            "label": "車をお持ちですか",
            "required": True,
            "choices": [{"value": "はい", "label": "はい"}, {"value": "いいえ", "label": "いいえ"}],
        },
        {
            "name": "plate",
            "type": "text",
            "label": "ナンバー",
            "show_if": {"field": "has_car", "values": ["はい"]},
        },
    ]
    procedure = published_procedure(tsu, fields=fields)
    builder = f"/s/{tsu.code}/procedures/{procedure.pk}/form/"
    client = login(tsu_admin)
    # The problems number the questions as they would stand after the change, which the page
    # does not show: the alert says which change it refused and in what order it counts.
    for action, position, refused in (
        ("up", 1, "「ナンバー」を上へ移動すると、次の問題が起きます(番号は移動後の並びです)。"),
        (
            "down",
            0,
            "「車をお持ちですか」を下へ移動すると、次の問題が起きます(番号は移動後の並びです)。",
        ),
        (
            "remove",
            0,
            "「車をお持ちですか」を削除すると、次の問題が起きます(番号は削除後の並びです)。",
        ),
    ):
        response = client.post(builder, {"action": action, "position": position})
        page = response.content.decode()
        assert response.status_code == 422, action
        assert 'role="alert"' in page and "表示条件" in page, action
        assert refused in page, action
        assert Procedure.objects.get(pk=procedure.pk).draft_fields == procedure.draft_fields
