"""The resident's side beyond one form: the prefecture-wide finder (municipality by postal code or
list), the status lookup by 受付番号 with the e-mail address or birth date, and the 受付票 PDF."""

import pytest
from django.core.cache import cache
from django.test import Client
from pypdf import PdfReader

from jichitai.procedures import services
from jichitai.procedures.resident import public_views, selectors
from jichitai.procedures.tests.factories import event_data, published_procedure

BIRTH_FIELDS = [
    {"name": "applicant", "type": "name", "label": "氏名", "required": True},
    {"name": "birth_date", "type": "date", "label": "生年月日", "required": True},
]


@pytest.fixture(autouse=True)
def quick_answers(monkeypatch):
    monkeypatch.setattr(public_views, "LOOKUP_ANSWER_SECONDS", 0.0)
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
class TestFinder:
    def test_one_search_over_the_prefecture_and_its_municipalities(self, prefecture, tsu, ise):
        published_procedure(prefecture, name="県の講座")
        published_procedure(tsu, name="津市の講座")
        published_procedure(ise, name="伊勢市の講座")
        page = Client().get("/procedures/", {"q": "講座"}).content.decode()
        assert "県の講座" in page and "津市の講座" in page and "伊勢市の講座" in page

    def test_the_number_found_is_said_and_a_cut_list_says_so(
        self, prefecture, tsu, ise, monkeypatch
    ):
        for owner in (prefecture, tsu, ise):
            published_procedure(owner, name=f"{owner.name}の講座")
        page = Client().get("/procedures/", {"q": "講座"}).content.decode()
        assert '<p role="status">3 件の手続が見つかりました。</p>' in page
        assert "件の手続が見つかりました" not in Client().get("/procedures/").content.decode()

        monkeypatch.setattr(public_views, "FINDER_LIMIT", 2)
        cut = Client().get("/procedures/", {"q": "講座"}).content.decode()
        assert "2 件より多く見つかりました。はじめの 2 件を表示しています" in cut
        assert cut.count('<li>\n    <h2><a href="/o/') == 2

    def test_a_postal_code_chooses_the_municipality(self, prefecture, tsu, ise):
        published_procedure(prefecture, name="県の講座")
        published_procedure(tsu, name="津市の講座")
        published_procedure(ise, name="伊勢市の講座")
        page = Client().get("/procedures/", {"postal_code": "５１４－０００６"}).content.decode()
        assert "津市 と三重県の手続を表示しています" in page
        assert "津市の講座" in page and "県の講座" in page and "伊勢市の講座" not in page
        assert page.index("津市の講座") < page.index("県の講座")
        chosen = Client().get("/procedures/", {"municipality": ise.pk}).content.decode()
        assert "伊勢市の講座" in chosen and "津市の講座" not in chosen

    @pytest.mark.django_db(transaction=True)
    def test_postal_codes_are_looked_up_on_any_of_the_servers_threads(self, tsu):
        from concurrent.futures import ThreadPoolExecutor

        from django.db import connections

        def on_a_server_thread(postal_code):
            try:
                return selectors.municipality_for_postal_code(postal_code)
            finally:
                # As a server thread does after each request: a connection left open would keep
                # a session on the test database and stop it being dropped at the end.
                connections.close_all()

        assert selectors.municipality_for_postal_code("514-0006") == tsu
        with ThreadPoolExecutor(max_workers=2) as pool:
            found = list(pool.map(on_a_server_thread, ["5140006", "514-8570"]))
        assert found == [tsu, tsu]

    def test_a_postal_code_outside_the_prefecture_is_told_next_to_the_field(self, prefecture):
        page = Client().get("/procedures/", {"postal_code": "100-0001"}).content.decode()
        assert "この郵便番号の市町が見つかりません" in page

    def test_the_page_names_the_installations_own_prefecture(self, prefecture, tsu):
        prefecture.name = "愛知県"
        prefecture.save()
        page = Client().get("/procedures/", {"municipality": tsu.pk}).content.decode()
        assert "愛知県と市町の手続をさがす" in page
        assert "津市 と愛知県の手続を表示しています" in page
        assert "三重県" not in page

    def test_paper_only_procedures_are_not_offered(self, prefecture, tsu):
        published_procedure(tsu, name="紙だけの届出", online=False)
        assert "紙だけの届出" not in Client().get("/procedures/").content.decode()


@pytest.mark.django_db
class TestStatusLookup:
    def test_the_receipt_number_and_the_email_lead_to_the_status(self, tsu):
        procedure = published_procedure(tsu)
        application = services.submit_application(
            procedure=procedure, data=event_data()
        ).application
        response = Client().post(
            "/status/",
            {"receipt_number": application.receipt_number, "email": "TARO0@example.jp"},
        )
        assert response.status_code == 302
        assert response["Location"].endswith(f"/{application.status_token}/")

    def test_a_birth_date_in_wareki_works_when_no_email_was_given(self, tsu):
        procedure = published_procedure(tsu, fields=BIRTH_FIELDS)
        application = services.submit_application(
            procedure=procedure,
            data={"applicant": event_data()["applicant"], "birth_date": "1985-04-01"},
        ).application
        response = Client().post(
            "/status/",
            {"receipt_number": application.receipt_number, "birth_date": "昭和60年4月1日"},
        )
        assert response.status_code == 302

    def test_wrong_number_and_wrong_secret_get_the_same_answer(self, tsu):
        procedure = published_procedure(tsu)
        application = services.submit_application(
            procedure=procedure, data=event_data()
        ).application
        client = Client()
        wrong_secret = client.post(
            "/status/",
            {"receipt_number": application.receipt_number, "email": "someone@example.jp"},
        )
        wrong_number = client.post(
            "/status/", {"receipt_number": "242012-2026-999999", "email": "someone@example.jp"}
        )
        assert wrong_secret.status_code == wrong_number.status_code == 404

        def text(response):
            import re

            return re.sub(
                r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode()
            )

        assert text(wrong_secret).replace(application.receipt_number, "N") == text(
            wrong_number
        ).replace("242012-2026-999999", "N")

    def test_guessing_is_rate_limited(self, tsu):
        client = Client(REMOTE_ADDR="192.0.2.50")
        answers = [
            client.post(
                "/status/", {"receipt_number": f"242012-2026-{n:06d}", "email": "a@example.jp"}
            ).status_code
            for n in range(11)
        ]
        assert answers[-1] == 429

    def test_both_refusals_compare_the_same_way(self, tsu):
        assert selectors.application_by_secret("999999-2026-000001", "a@example.jp") is None


@pytest.mark.django_db
def test_the_receipt_pdf_names_the_number_and_the_way_back(tsu, settings):
    settings.JICHITAI_BASE_URL = "https://shinsei.example.lg.jp"
    procedure = published_procedure(tsu, processing_days=5)
    application = services.submit_application(procedure=procedure, data=event_data()).application
    done = Client()
    response = done.get(
        f"/o/{tsu.code}/status/{application.receipt_number}/{application.status_token}/receipt.pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    import io

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert application.receipt_number in text
    assert "https://shinsei.example.lg.jp/status/" in text.replace("\n", "")
    assert (
        Client()
        .get(f"/o/{tsu.code}/status/{application.receipt_number}/wrong-token/receipt.pdf")
        .status_code
        == 404
    )
