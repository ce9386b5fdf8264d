"""The texts a resident meets away from the form's own questions follow the language they chose
too: why a procedure does not accept applications now, a refused upload, a date outside its
era, a repeating group's answer of the wrong shape, the date a document was issued, and 時刻 and
日時 answers (09:30, 2026-04-01 09:30 for a reader who may not know 時・分 or the eras). Without
a language (staff pages, the API) they stay Japanese."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext

from jichitai.core.japanese import parse_date
from jichitai.core.tests.samples import pdf_bytes
from jichitai.core.uploads import UploadRejected, check_upload
from jichitai.procedures.availability import ProcedureUnavailable, unavailable_reason
from jichitai.procedures.fields import FieldInputError
from jichitai.procedures.models import Procedure
from jichitai.procedures.registry import field_types
from jichitai.procedures.repeats import _normalise as normalise_repeat
from jichitai.procedures.repeats import count_problem
from jichitai.procedures.services import (
    ApplicationInvalid,
    store_pending_upload,
    submit_application,
)
from jichitai.procedures.tests.factories import published_procedure
from jichitai.procedures.tests.languages import JAPANESE
from jichitai.procedures.translations import LANGUAGES, resident_language
from jichitai.procedures.when_and_where_fields import datetime_display, time_display

FIELDS = [
    {
        "name": "full_name",
        "type": "text",
        "label": "氏名",
        "required": True,
        "translations": {"pt": {"label": "Nome"}},
    }
]
TRANSLATED = sorted(set(LANGUAGES) - {"ja", "ja-easy", "en"})
# Chinese shares its characters with Japanese: no Japanese left is checked in the others.
LATIN_SCRIPT = sorted(set(TRANSLATED) - {"zh"})


def japanese_left(text: str, *allowed: str) -> list[str]:
    for name in allowed:
        text = text.replace(name, "")
    return JAPANESE.findall(text)


@pytest.mark.django_db
@pytest.mark.parametrize("closing", ["stopped", "ended", "not_open", "full"])
def test_a_closed_procedure_is_explained_in_the_residents_language(tsu, closing):
    procedure = published_procedure(tsu, fields=FIELDS, name="児童手当の届出")
    now = timezone.now()
    changes = {
        "stopped": {"status": Procedure.Status.CLOSED},
        "ended": {"closes_at": now - timedelta(days=1)},
        "not_open": {"opens_at": now + timedelta(days=1)},
        "full": {"capacity": 1, "seats_taken": 1},
    }[closing]
    Procedure.objects.filter(pk=procedure.pk).update(**changes)
    procedure.refresh_from_db()

    page = Client().get(f"/o/{tsu.code}/procedures/{procedure.pk}/?lang=pt")

    names = (procedure.name, tsu.name, procedure.division.name, *LANGUAGES.values())
    assert japanese_left(page.content.decode(), *names) == []
    reason = unavailable_reason(procedure)
    assert reason is not None
    with resident_language("pt"):
        assert japanese_left(reason.message) == []
    # The API, which has no language, keeps the Japanese reason and its stable code.
    assert JAPANESE.search(reason.message)
    assert reason.code == (
        "not_open" if closing == "not_open" else "full" if closing == "full" else "closed"
    )


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"", "shomei.pdf"),
        (b"x" * 2048, "shomei.pdf"),
        (b"%PDF-1.4", "shomei.exe"),
        (b"not a pdf", "shomei.pdf"),
        (b"%PDF-1.4 broken", "shomei.pdf"),
        (b"\x89PNG\r\n\x1a\nbroken", "shomei.png"),
    ],
)
@pytest.mark.parametrize("language", LATIN_SCRIPT)
def test_a_refused_upload_is_explained_in_the_residents_language(language, content, name):
    upload = SimpleUploadedFile(name, content)
    with resident_language(language), pytest.raises(UploadRejected) as refused:
        check_upload(upload, allowed=["pdf", "png"], max_bytes=1024)
    assert japanese_left(refused.value.messages[0]) == []
    # Staff pages never switch language: the same refusal is Japanese there.
    upload.seek(0)
    with pytest.raises(UploadRejected) as for_staff:
        check_upload(upload, allowed=["pdf", "png"], max_bytes=1024)
    assert JAPANESE.search(for_staff.value.messages[0])


@pytest.mark.django_db
@pytest.mark.parametrize("language", LATIN_SCRIPT)
def test_a_required_file_not_attached_is_asked_for_in_the_residents_language(tsu, language):
    fields = [
        {"name": "proof", "type": "file", "label": "Comprovante", "required": True},
        {
            "name": "photo",
            "type": "file",
            "label": "Foto",
            "required": True,
            "required_message": "Anexe a foto do documento.",
        },
    ]
    procedure = published_procedure(tsu, fields=fields)
    with resident_language(language), pytest.raises(ApplicationInvalid) as refused:
        submit_application(procedure=procedure, data={})
    messages = {name: errors[0].message for name, errors in refused.value.error_dict.items()}
    assert japanese_left(messages["proof"], "Comprovante") == []
    assert messages["photo"] == "Anexe a foto do documento."  # the form's own message


@pytest.mark.parametrize("language", LATIN_SCRIPT)
def test_a_date_outside_its_era_is_explained_in_the_residents_language(language):
    with resident_language(language), pytest.raises(ValueError) as refused:
        parse_date("平成40年1月1日")
    # What the resident typed (and the era they named) is all that stays Japanese.
    assert japanese_left(str(refused.value), "平成40年1月1日", "平成") == []


@pytest.mark.parametrize("language", LATIN_SCRIPT)
def test_a_repeating_answer_that_is_no_list_is_explained_in_the_residents_language(language):
    spec = {"name": "children", "type": "repeat", "label": "Filhos", "children": []}
    with resident_language(language), pytest.raises(FieldInputError) as refused:
        normalise_repeat("Ana", spec)
    assert japanese_left(str(refused.value)) == []


@pytest.mark.parametrize("language", LATIN_SCRIPT)
def test_the_parts_of_a_name_left_blank_are_listed_as_the_residents_language_lists(language):
    name = field_types.get("name")
    with resident_language(language), pytest.raises(FieldInputError) as refused:
        name.normalise({"family": "Silva"}, {})
    assert "・" not in str(refused.value) and ", " in str(refused.value)
    with pytest.raises(FieldInputError) as for_staff:
        name.normalise({"family": "三重"}, {})
    assert "名・セイ・メイ" in str(for_staff.value)


@pytest.mark.parametrize("language", LATIN_SCRIPT)
def test_rows_short_of_the_number_an_answer_asked_for_are_explained_in_the_residents_language(
    language,
):
    spec = {
        "name": "kids",
        "type": "repeat",
        "label": "Filhos",
        "repeat_count": "${n}",
        "children": [{"name": "kid", "type": "text", "label": "Nome"}],
    }
    with resident_language(language):
        problem = count_problem([{"kid": "Ana"}], spec, {"n": 2})
    assert "2" in problem and japanese_left(problem) == []


@pytest.mark.parametrize("language", LATIN_SCRIPT)
def test_the_date_a_document_was_issued_is_in_the_residents_language(language):
    with resident_language(language):
        issued = gettext("%(date)s 発行") % {"date": "2026-04-01 09:30"}
    assert japanese_left(issued) == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_times_are_shown_as_clock_times_to_a_reader_of_another_language(language):
    with resident_language(language):
        assert time_display("09:30", {}) == "09:30"
        assert datetime_display("2026-04-01T09:30", {}) == "2026-04-01 09:30"
    assert time_display("09:30", {}) == "9時30分"
    assert datetime_display("2026-04-01T09:30", {}) == "令和8年4月1日 9時30分"


@pytest.mark.parametrize("language", LATIN_SCRIPT)
def test_answers_of_yes_no_persons_and_several_choices_read_in_the_residents_language(language):
    """The confirmation and the status page show an answer as the resident gave it: 「はい」,
    「2人」 and 「A、B」 were Japanese whatever language the form was read in."""
    choices = {
        "name": "days",
        "type": "multiple_choice",
        "label": "Days",
        "choices": [{"value": "sat", "label": "Sat"}, {"value": "sun", "label": "Sun"}],
    }
    shown = {}
    with resident_language(language):
        shown["yes"] = field_types.get("yes_no").display(True, {})
        shown["no"] = field_types.get("yes_no").display(False, {})
        shown["consent"] = field_types.get("consent").display(True, {})
        shown["persons"] = field_types.get("persons").display(2, {})
        shown["choices"] = field_types.get("multiple_choice").display(["sat", "sun"], choices)
    assert {key: japanese_left(text) for key, text in shown.items() if japanese_left(text)} == {}
    assert shown["persons"].startswith("2") and shown["choices"] == "Sat, Sun"
    # Staff pages and exports keep them Japanese.
    assert field_types.get("yes_no").display(True, {}) == "はい"
    assert field_types.get("persons").display(2, {}) == "2人"
    assert field_types.get("multiple_choice").display(["sat", "sun"], choices) == "Sat、Sun"


@pytest.mark.django_db
def test_a_resident_confirms_their_email_address_in_their_language(
    tsu, settings, django_capture_on_commit_callbacks
):
    """The request page, the page telling the mail was sent, the mail itself and the message
    after the link is opened: all in the language chosen on the form's page."""
    settings.JICHITAI_BASE_URL = "http://testserver"
    procedure = published_procedure(
        tsu, fields=FIELDS, name="児童手当の届出", identity=Procedure.Identity.EMAIL
    )
    names = (procedure.name, tsu.name, procedure.division.name, *LANGUAGES.values())
    url = f"/o/{tsu.code}/procedures/{procedure.pk}/"
    client = Client()

    asked = client.get(url + "?lang=pt").content.decode()
    assert "Enviar e-mail de confirmação" in asked
    assert japanese_left(asked, *names) == []
    refused = client.post(url + "verify/", {"email": "maria"}).content.decode()
    assert japanese_left(refused, *names) == []
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url + "verify/", {"email": "maria@example.jp"}).content.decode()
    assert japanese_left(sent, *names) == []

    message = mail.outbox[-1]
    assert japanese_left(message.subject + message.body, *names) == []
    link = re.search(r"http://testserver(\S+)", message.body).group(1)
    form = client.get(link, follow=True).content.decode()
    assert "Seu e-mail foi confirmado." in form
    assert japanese_left(form, *names) == []


@pytest.mark.django_db
@pytest.mark.parametrize("language", LATIN_SCRIPT)
def test_a_refusal_met_while_submitting_is_read_in_the_residents_language(tsu, language):
    """The refusal is raised where no language is active (the service, shared with the API) and
    told on the resident's page in theirs."""
    procedure = published_procedure(tsu, fields=FIELDS, one_per_email=True)
    data = {"full_name": "Maria"}
    submit_application(procedure=procedure, data=data, applicant_email="maria@example.jp")
    with pytest.raises(ProcedureUnavailable) as refused:
        submit_application(procedure=procedure, data=data, applicant_email="maria@example.jp")
    assert refused.value.code == "duplicate"
    assert JAPANESE.search(refused.value.message)
    with resident_language(language):
        assert japanese_left(refused.value.message) == []


@pytest.mark.django_db
@pytest.mark.parametrize("language", LATIN_SCRIPT)
def test_the_files_a_session_may_keep_are_explained_in_the_residents_language(
    tsu, settings, language
):
    """The input page keeps only so many files and bytes per browser session; a file beyond
    either limit is refused in the resident's language, on staff pages in Japanese."""
    fields = [{"name": "proof", "type": "file", "label": "証明書", "required": False}]
    procedure = published_procedure(tsu, fields=fields, attachment_kinds=["pdf"])

    def attach(name: str) -> None:
        upload = SimpleUploadedFile(name, pdf_bytes())
        store_pending_upload(
            procedure=procedure, field_name="proof", upload=upload, upload_token="browser"
        )

    attach("first.pdf")
    settings.JICHITAI_PENDING_UPLOAD_MAX_FILES = 1
    with resident_language(language), pytest.raises(UploadRejected) as too_many:
        attach("second.pdf")
    settings.JICHITAI_PENDING_UPLOAD_MAX_FILES = 5
    settings.JICHITAI_PENDING_UPLOAD_MAX_BYTES = len(pdf_bytes()) * 3 // 2
    with resident_language(language), pytest.raises(UploadRejected) as too_large:
        attach("second.pdf")
    for refused in (too_many, too_large):
        [message] = refused.value.messages
        assert "second.pdf" in message and japanese_left(message) == []
    with pytest.raises(UploadRejected) as for_staff:
        attach("second.pdf")
    assert for_staff.value.messages[0].startswith("「second.pdf」を添付できません。")


# What Django's own validators say on the e-mail step, in each language whose catalogue Django
# lacks (やさしい日本語, Tagalog) or names otherwise (Chinese is Django's zh_Hans).
DJANGO_MESSAGES = {
    "ja-easy": ("320 もじ までで かいてください", "つかえない もじが はいっています。"),
    "zh": ("最多可输入320个字符", "不能包含空字符。"),
    "tl": ("Hanggang 320 na character lang ang puwede", "Hindi puwede ang null character."),
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", sorted(DJANGO_MESSAGES))
def test_djangos_own_messages_on_the_email_step_are_in_the_residents_language(tsu, language):
    translated = {"label": "Name", "required_message": "-"}
    fields = [{**FIELDS[0], "translations": {language: translated}}]
    procedure = published_procedure(tsu, fields=fields, identity=Procedure.Identity.EMAIL)
    url = f"/o/{tsu.code}/procedures/{procedure.pk}/"
    client = Client()
    client.get(f"{url}?lang={language}")

    too_long = client.post(url + "verify/", {"email": "a" * 320 + "@example.jp"}).content
    null = client.post(url + "verify/", {"email": "maria\x00@example.jp"}).content
    too_long_message, null_message = DJANGO_MESSAGES[language]
    assert too_long_message in too_long.decode()
    assert null_message in null.decode()
    # Django's Japanese, the fallback of a language without a catalogue, is not shown.
    assert "文字以下でなければなりません" not in too_long.decode()
    assert "何か文字を入力してください" not in null.decode()


def test_chinese_pages_take_the_messages_django_has_in_chinese():
    with resident_language("zh"):
        assert gettext("Enter a valid date.") == "输入一个有效的日期。"
        # The journey's own texts still come from this app's Chinese catalogue.
        assert gettext("送信する") == "提交"
