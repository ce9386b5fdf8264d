"""The API answers in one language: Japanese by default, English when the client asks for it with
Accept-Language, in the summary (`detail`) as in the per-field errors."""

import re

import pytest
from django.test import Client

from jichitai.procedures.tests.factories import event_data, published_procedure
from jichitai.procedures.tests.languages import JAPANESE

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(tsu):
    return published_procedure(tsu, capacity=3)


def post(tsu, event, body, language=None, **headers):
    if language:
        headers["HTTP_ACCEPT_LANGUAGE"] = language
    return Client().post(
        f"/api/v1/o/{tsu.code}/procedures/{event.pk}/applications",
        body,
        content_type="application/json",
        **headers,
    )


def texts(answer: dict) -> list[str]:
    """The answer's own words: a question's label in quotes is the form's content, written by
    staff in the form's language, not the API's."""
    messages = [answer["detail"]]
    for field_messages in answer.get("errors", {}).values():
        messages.extend(field_messages)
    return [re.sub(r'"[^"]*"', "", message) for message in messages]


def refusals(tsu, event, language=None):
    missing = {key: value for key, value in event_data().items() if key != "email"}
    return [
        post(tsu, event, missing, language),
        post(tsu, event, ["not", "an", "object"], language),
        post(tsu, event, event_data(), language, HTTP_IDEMPOTENCY_KEY="k" * 101),
        post(tsu, event, event_data(), language, HTTP_X_SIGNATURE="%%%"),
    ]


def test_a_client_asking_for_english_is_refused_in_english_throughout(tsu, event):
    for response in refusals(tsu, event, language="en"):
        assert response.status_code == 422, response.content
        leftovers = [JAPANESE.findall(text) for text in texts(response.json())]
        assert not any(leftovers), response.json()


def test_without_accept_language_the_api_answers_in_japanese(tsu, event):
    for response in refusals(tsu, event):
        assert response.status_code == 422
        assert JAPANESE.search(response.json()["detail"]), response.json()


def test_an_unknown_api_path_answers_in_the_language_asked_for():
    answer = Client().get("/api/v1/no-such-thing", HTTP_ACCEPT_LANGUAGE="en").json()
    assert answer["code"] == "not_found" and not JAPANESE.search(answer["detail"])
