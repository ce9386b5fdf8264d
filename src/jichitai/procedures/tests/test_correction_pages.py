"""差戻し and correction page by page: a returned application of a form with pages is corrected
on the same pages as the form (``?page=N`` on the status page, one POST per page, without
JavaScript), starting from the answers sent; a changed answer re-routes the pages, and the
answers of a page now skipped are not stored."""

import pytest
from django.test import Client

from jichitai.procedures.models import Application
from jichitai.procedures.tests.factories import published_procedure, returned_application
from jichitai.procedures.tests.test_pages import HOUSEHOLD

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(tsu, tsu_admin):
    procedure = published_procedure(tsu, fields=HOUSEHOLD, name="児童手当の相談")
    return returned_application(
        procedure,
        actor=tsu_admin,
        data={
            "applicant": "三重 花子",
            "has_children": "yes",
            "children": 2,
            "school": "津小",
            "email": "hanako@example.jp",
        },
        message="お子さんの人数を確認してください。",
    )


def status_url(application, query=""):
    return (
        f"/o/{application.organization.code}/status/{application.receipt_number}/"
        f"{application.status_token}/{query}"
    )


def test_a_returned_application_is_corrected_page_by_page_from_the_answers_sent(returned):
    client = Client()
    first = client.get(status_url(returned)).content.decode()
    assert "お子さんの人数を確認してください。" in first
    assert "ページ 1 / 3" in first and 'value="三重 花子"' in first
    assert 'name="email"' not in first and 'name="children"' not in first  # one page at a time
    assert 'value="next"' in first and 'value="resubmit"' not in first

    response = client.post(
        status_url(returned), {"applicant": "三重 花子", "has_children": "yes", "_action": "next"}
    )
    assert response["Location"] == status_url(returned, "?page=2")
    second = client.get(response["Location"]).content.decode()
    assert "ページ 2 / 3" in second and 'value="2"' in second and 'value="津小"' in second

    # This page's errors, here, with what was typed kept.
    response = client.post(
        status_url(returned, "?page=2"), {"children": "", "school": "津中", "_action": "next"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "「お子さんの人数」を入力してください。" in page and 'value="津中"' in page

    # 戻る keeps what was typed on both pages.
    response = client.post(
        status_url(returned, "?page=2"), {"children": "3", "school": "津中", "_action": "back"}
    )
    assert response["Location"] == status_url(returned)
    assert 'value="3"' in client.get(status_url(returned, "?page=2")).content.decode()

    response = client.post(
        status_url(returned, "?page=2"), {"children": "3", "school": "津中", "_action": "next"}
    )
    assert response["Location"] == status_url(returned, "?page=3")
    last = client.get(response["Location"]).content.decode()
    assert "ページ 3 / 3" in last and 'value="resubmit"' in last
    assert 'value="hanako@example.jp"' in last
    response = client.post(
        status_url(returned, "?page=3"), {"email": "hanako@example.jp", "_action": "resubmit"}
    )
    assert response.status_code == 302
    returned.refresh_from_db()
    assert returned.status == Application.Status.RECEIVED
    assert returned.data == {
        "applicant": "三重 花子",
        "has_children": "yes",
        "children": 3,
        "school": "津中",
        "email": "hanako@example.jp",
    }
    # Received again: nothing to correct, and an old tab's POST changes nothing.
    again = client.get(status_url(returned)).content.decode()
    assert 'value="resubmit"' not in again and "ページ 1 / 3" not in again
    assert client.post(status_url(returned, "?page=3"), {"email": "x@example.jp"}).status_code == (
        302
    )
    returned.refresh_from_db()
    assert returned.data["email"] == "hanako@example.jp"


def test_a_changed_answer_jumps_over_a_page_whose_answers_are_then_not_stored(returned):
    client = Client()
    response = client.post(
        status_url(returned), {"applicant": "三重 花子", "has_children": "no", "_action": "next"}
    )
    assert response["Location"] == status_url(returned, "?page=3")
    last = client.get(response["Location"]).content.decode()
    assert "ページ 2 / 2" in last
    client.post(status_url(returned, "?page=3"), {"email": "h@example.jp", "_action": "resubmit"})
    returned.refresh_from_db()
    assert returned.status == Application.Status.RECEIVED
    assert returned.data == {
        "applicant": "三重 花子",
        "has_children": "no",
        "email": "h@example.jp",
    }


def test_a_refusal_on_sending_shows_the_page_it_concerns(returned):
    client = Client()
    client.post(
        status_url(returned), {"applicant": "三重 花子", "has_children": "yes", "_action": "next"}
    )
    # The answers of page 2 are emptied in the session through a page the form still asks.
    client.post(status_url(returned, "?page=2"), {"children": "", "school": "", "_action": "back"})
    response = client.post(
        status_url(returned, "?page=3"), {"email": "h@example.jp", "_action": "resubmit"}
    )
    # Nothing is sent while page 2 is unanswered: the flow shows page 2 with its message.
    assert response["Location"] == status_url(returned, "?page=2&check=1")
    page = client.get(response["Location"])
    assert page.status_code == 422
    assert "「お子さんの人数」を入力してください。" in page.content.decode()
    returned.refresh_from_db()
    assert returned.status == Application.Status.RETURNED


@pytest.mark.parametrize("paged", [True, False], ids=["earlier-page", "one-page"])
def test_a_file_chosen_again_replaces_the_one_sent(tsu, tsu_admin, paged):
    """On a page before the last it waits on the server until the correction is sent; on the
    last page it is sent with it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jichitai.core.tests.samples import pdf_bytes

    fields = [
        HOUSEHOLD[0],
        {"name": "certificate", "type": "file", "label": "在学証明書", "required": True},
        *([{"name": "contact_page", "type": "page", "label": "連絡先"}] if paged else []),
        {"name": "email", "type": "email", "label": "メールアドレス", "required": True},
    ]
    procedure = published_procedure(tsu, fields=fields, attachment_kinds=["pdf"])
    application = returned_application(
        procedure,
        actor=tsu_admin,
        data={"applicant": "三重 花子", "email": "h@example.jp"},
        uploads={"certificate": SimpleUploadedFile("古い証明書.pdf", pdf_bytes())},
        message="証明書を新しいものにしてください。",
    )
    client = Client()
    assert "古い証明書.pdf" in client.get(status_url(application)).content.decode()
    first_page = {
        "applicant": "三重 花子",
        "certificate": SimpleUploadedFile("新しい証明書.pdf", pdf_bytes()),
    }
    if paged:
        response = client.post(status_url(application), {**first_page, "_action": "next"})
        assert response["Location"] == status_url(application, "?page=2")
        sent = client.post(response["Location"], {"email": "h@example.jp", "_action": "resubmit"})
    else:
        sent = client.post(
            status_url(application),
            {**first_page, "email": "h@example.jp", "_action": "resubmit"},
        )
    assert sent["Location"] == status_url(application)
    application.refresh_from_db()
    assert application.status == Application.Status.RECEIVED
    assert application.data["certificate"]["name"] == "新しい証明書.pdf"


def test_a_later_page_of_a_correction_sent_after_the_session_ended_says_so(returned):
    """The corrections of the earlier pages lived in the session: page 2 sent without it starts
    the correction again from page 1 with the reason, rather than sending the answers of before
    those corrections without a word."""
    client = Client()
    client.post(
        status_url(returned),
        {"applicant": "三重 花子(訂正)", "has_children": "yes", "_action": "next"},
    )
    client.cookies.clear()
    response = client.post(
        status_url(returned, "?page=2"), {"children": "3", "school": "津中", "_action": "next"}
    )
    assert response.status_code == 302 and response["Location"] == status_url(returned)
    page = client.get(response["Location"]).content.decode()
    assert "入力内容の保存期間が過ぎたため、送信できませんでした。" in page
    returned.refresh_from_db()
    assert returned.status == Application.Status.RETURNED
