"""「申請した手続の一覧」: a resident asks for a link by e-mail, opens it once, and sees every
application made with that address in any organization — and nobody else's."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from jichitai.procedures import applicant_links as links
from jichitai.procedures import services
from jichitai.procedures.models import ApplicantLink, Application
from jichitai.procedures.tests.factories import event_data, published_procedure


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ask_for_link(django_capture_on_commit_callbacks):
    """Asks for the link as a browser would; the mail goes out once the request has committed."""

    def ask(client: Client, email: str):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/my-applications/", {"email": email})

    return ask


def apply(procedure, number, **overrides) -> Application:
    return services.submit_application(
        procedure=procedure, data=event_data(number, **overrides)
    ).application


def mailed_link() -> str:
    (message,) = [m for m in mail.outbox if m.subject == "申請した手続の一覧"]
    return re.search(r"https?://\S+/my-applications/open/\S+/", message.body).group(0)


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def open_list(client: Client, link: str):
    return client.post(path_of(link), follow=True)


@pytest.mark.django_db
class TestTheLink:
    def test_the_list_shows_the_persons_applications_in_every_organization(
        self, tsu, ise, ask_for_link
    ):
        tsu_procedure = published_procedure(tsu, name="津市の講座")
        ise_procedure = published_procedure(ise, name="伊勢市の講座")
        own_tsu = apply(tsu_procedure, 1)
        own_ise = apply(ise_procedure, 2, email="TARO1@example.jp")
        someone_else = apply(tsu_procedure, 3)
        client = Client()
        assert ask_for_link(client, "taro1@example.jp").status_code == 200
        page = open_list(client, mailed_link()).content.decode()
        assert own_tsu.receipt_number in page and own_ise.receipt_number in page
        assert "津市" in page and "伊勢市" in page and "受付" in page
        assert someone_else.receipt_number not in page
        for own in (own_tsu, own_ise):
            assert (
                f"/o/{own.organization.code}/status/{own.receipt_number}/{own.status_token}/"
                in page
            )
        assert someone_else.status_token not in page

    def test_on_a_phone_each_application_reads_as_labelled_lines_without_javascript(
        self, tsu, ask_for_link
    ):
        """Residents' pages work without JavaScript: the list's cells carry their column's
        heading from the server, which the stylesheet shows on a phone as 「状況: 受付」."""
        apply(published_procedure(tsu, name="津市の講座"), 1)
        client = Client()
        ask_for_link(client, "taro1@example.jp")
        page = open_list(client, mailed_link()).content.decode()
        assert '<table class="stacked-table" data-labelled>' in page
        assert '<td data-label="状況">受付</td>' in page

    def test_opening_the_mailed_link_only_asks_to_continue(self, tsu, ask_for_link):
        apply(published_procedure(tsu), 1)
        client = Client()
        ask_for_link(client, "taro1@example.jp")
        link = path_of(mailed_link())
        assert client.get(link).status_code == 200
        assert client.get(link).status_code == 200, "a mail filter fetching it does not spend it"
        assert client.post(link).status_code == 302

    def test_a_link_is_used_once(self, tsu, ask_for_link):
        apply(published_procedure(tsu), 1)
        client = Client()
        ask_for_link(client, "taro1@example.jp")
        link = mailed_link()
        assert open_list(client, link).status_code == 200
        reused = Client().post(path_of(link))
        assert reused.status_code == 410
        assert "すでに使われています" in reused.content.decode()
        assert Client().get(path_of(link)).status_code == 410

    def test_a_link_expires(self, tsu, monkeypatch, ask_for_link):
        apply(published_procedure(tsu), 1)
        client = Client()
        ask_for_link(client, "taro1@example.jp")
        link = mailed_link()
        later = timezone.now() + links.LINK_LIFETIME + timedelta(seconds=5)
        monkeypatch.setattr("django.core.signing.time.time", lambda: later.timestamp())
        assert client.post(path_of(link)).status_code == 410
        assert ApplicantLink.objects.get().used_at is None

    def test_a_stored_link_past_its_time_is_refused_even_with_a_fresh_signature(
        self, tsu, ask_for_link
    ):
        apply(published_procedure(tsu), 1)
        ask_for_link(Client(), "taro1@example.jp")
        link = ApplicantLink.objects.get()
        ApplicantLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())
        assert Client().post(f"/my-applications/open/{links.sign(link.nonce)}/").status_code == 410

    def test_a_forged_token_is_refused(self, tsu, ask_for_link):
        apply(published_procedure(tsu), 1)
        ask_for_link(Client(), "taro1@example.jp")
        nonce = ApplicantLink.objects.get().nonce
        assert Client().post(f"/my-applications/open/{nonce}:forged/").status_code == 410

    def test_the_list_needs_an_opened_link_and_stays_in_that_browser(self, tsu, ask_for_link):
        apply(published_procedure(tsu), 1)
        client = Client()
        assert client.get("/my-applications/list/")["Location"] == "/my-applications/"
        ask_for_link(client, "taro1@example.jp")
        open_list(client, mailed_link())
        opened = client.get("/my-applications/list/")
        assert opened.status_code == 200 and "no-store" in opened["Cache-Control"]
        assert Client().get("/my-applications/list/").status_code == 302

    def test_the_opened_list_closes_after_its_time(self, tsu, monkeypatch, ask_for_link):
        apply(published_procedure(tsu), 1)
        client = Client()
        ask_for_link(client, "taro1@example.jp")
        open_list(client, mailed_link())
        later = timezone.now() + links.SESSION_LIFETIME + timedelta(seconds=5)
        monkeypatch.setattr("jichitai.procedures.resident.public_views.timezone.now", lambda: later)
        assert client.get("/my-applications/list/").status_code == 302

    def test_erased_applications_are_not_listed(self, tsu, ask_for_link):
        procedure = published_procedure(tsu)
        kept = apply(procedure, 1)
        erased = apply(procedure, 1, participants=2)
        Application.objects.filter(pk=erased.pk).update(purged_at=timezone.now())
        client = Client()
        ask_for_link(client, "taro1@example.jp")
        page = open_list(client, mailed_link()).content.decode()
        assert kept.receipt_number in page and erased.receipt_number not in page


@pytest.mark.django_db
class TestAsking:
    def test_the_answer_is_the_same_with_or_without_applications(self, tsu, ask_for_link):
        apply(published_procedure(tsu), 1)

        def answer(email):
            response = ask_for_link(Client(), email)
            text = re.sub(r'value="[^"]*"', "", response.content.decode())
            return response.status_code, text.replace(email, "ADDRESS")

        assert answer("taro1@example.jp") == answer("nobody@example.jp")

    def test_an_address_without_applications_is_told_so_by_mail_without_a_link(
        self, tsu, ask_for_link
    ):
        apply(published_procedure(tsu), 1)
        ask_for_link(Client(), "nobody@example.jp")
        (message,) = mail.outbox
        assert message.to == ["nobody@example.jp"]
        assert "見つかりませんでした" in message.body
        assert "/my-applications/open/" not in message.body

    def test_the_link_starts_at_the_sites_public_address(self, tsu, settings, ask_for_link):
        settings.JICHITAI_BASE_URL = "https://shinsei.example.lg.jp"
        apply(published_procedure(tsu), 1)
        ask_for_link(Client(), "taro1@example.jp")
        assert mailed_link().startswith("https://shinsei.example.lg.jp/my-applications/open/")

    def test_a_bad_address_is_told_next_to_the_field_and_kept(self):
        response = Client().post("/my-applications/", {"email": "taro@"})
        page = response.content.decode()
        assert response.status_code == 422
        assert 'value="taro@"' in page and "error-summary" in page
        assert not mail.outbox

    def test_asking_is_rate_limited_per_client(self, tsu, ask_for_link):
        client = Client(REMOTE_ADDR="192.0.2.60")
        answers = [ask_for_link(client, f"p{n}@example.jp").status_code for n in range(6)]
        assert answers[:5] == [200] * 5 and answers[5] == 429

    def test_mail_to_one_address_is_rate_limited_from_many_clients(
        self, tsu, settings, ask_for_link
    ):
        settings.JICHITAI_MAIL_RATE_PER_ADDRESS = "2/h"
        answers = [
            ask_for_link(Client(REMOTE_ADDR=f"192.0.2.{70 + n}"), "taro1@example.jp").status_code
            for n in range(3)
        ]
        assert answers == [200, 200, 429]
        assert ApplicantLink.objects.count() == 2

    def test_requests_and_uses_are_audited_without_the_address(self, tsu, ask_for_link):
        from jichitai.audit.models import AuditEvent

        apply(published_procedure(tsu), 1)
        client = Client()
        ask_for_link(client, "taro1@example.jp")
        open_list(client, mailed_link())
        events = AuditEvent.objects.filter(action__startswith="procedures.applicant_link.")
        assert sorted(events.values_list("action", flat=True)) == [
            "procedures.applicant_link.requested",
            "procedures.applicant_link.used",
        ]
        assert not any("taro1" in str(e.__dict__) for e in events)


@pytest.mark.django_db
def test_a_portuguese_resident_asks_opens_and_reads_the_list_in_portuguese(
    tsu, django_capture_on_commit_callbacks
):
    """From the finder in Portuguese: the request page, the page saying the mail went, the mail,
    the page the link opens and the list are all in Portuguese; Japanese remains only in what
    the municipality wrote (its name, the procedure's)."""
    from jichitai.procedures.tests.languages import JAPANESE

    procedure = published_procedure(tsu)
    apply(procedure, 1)

    def japanese_in(response, *names):
        main = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
        text = re.sub(r"<[^>]+>", " ", main)
        for name in names:
            text = text.replace(name, "")
        return JAPANESE.findall(text)

    client = Client()
    finder = client.get("/procedures/?lang=pt").content.decode()
    assert 'href="/my-applications/?lang=pt"' in finder
    asked = client.get("/my-applications/?lang=pt")
    assert '<html lang="pt">' in asked.content.decode() and japanese_in(asked) == []
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/my-applications/?lang=pt", {"email": "taro1@example.jp"})
    assert japanese_in(sent) == [] and "E-mail enviado" in sent.content.decode()
    (message,) = mail.outbox
    assert message.subject == "Lista dos seus pedidos"
    assert JAPANESE.findall(message.body.replace(tsu.name, "")) == []
    link = path_of(re.search(r"https?://\S+/my-applications/open/\S+/", message.body).group(0))
    opening = client.get(link)
    assert '<html lang="pt">' in opening.content.decode() and japanese_in(opening) == []
    listed = client.post(link, follow=True)
    assert japanese_in(listed, tsu.name, procedure.name) == []
    assert "1 pedido" in listed.content.decode()


@pytest.mark.django_db
def test_the_mail_is_english_when_the_site_is_read_in_english(tsu, ask_for_link):
    procedure = published_procedure(tsu)
    apply(procedure, 1)
    mail.outbox.clear()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    ask_for_link(client, "taro1@example.jp")
    (message,) = mail.outbox
    assert message.subject == "Your applications" and "can be opened" in message.body


@pytest.mark.django_db
def test_a_link_used_already_says_so_in_the_language_it_was_asked_in(
    tsu, django_capture_on_commit_callbacks
):
    procedure = published_procedure(tsu)
    apply(procedure, 1)
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/my-applications/?lang=pt", {"email": "taro1@example.jp"})
    (message,) = mail.outbox
    link = path_of(re.search(r"https?://\S+/my-applications/open/\S+/", message.body).group(0))
    client.post(link)
    again = Client().get(link)
    page = again.content.decode()
    assert again.status_code == 410 and '<html lang="pt">' in page
    assert 'href="/my-applications/?lang=pt"' in page
