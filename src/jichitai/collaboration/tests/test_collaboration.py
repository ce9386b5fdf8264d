"""The prefecture–municipality register as its users meet it: figures counted from participation
records, each 市町's adoption states, the after-meeting survey answered once per 市町, and figures
that never carry a person."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from jichitai.collaboration import selectors, services
from jichitai.collaboration.models import Initiative
from jichitai.collaboration.tests.factories import council, seminar
from jichitai.core.registry import metrics
from jichitai.pdca import selectors as pdca_selectors
from jichitai.pdca.models import ActionYear
from jichitai.pdca.tests.factories import plan_with_action
from jichitai.procedures.models import Application
from jichitai.tenancy.models import Role
from jichitai.tenancy.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def figure(name, organization, fiscal_year=2020, **parameters):
    return metrics.get(name).compute(organization, fiscal_year, **parameters)


def test_participation_figures_are_counted_from_the_records(prefecture, tsu, ise, kameyama):
    initiative = seminar(prefecture)
    services.record_participation(
        actor=None, initiative=initiative, municipality=tsu, staff_count=2
    )
    services.record_participation(
        actor=None, initiative=initiative, municipality=ise, staff_count=3
    )
    assert figure("collaboration.municipalities", prefecture, initiative="seminar") == 2
    assert figure("collaboration.staff", prefecture, initiative="seminar") == 5
    # Correcting a record replaces it: 津市 sent one person, not two.
    services.record_participation(
        actor=None, initiative=initiative, municipality=tsu, staff_count=1
    )
    assert figure("collaboration.staff", prefecture, initiative="seminar") == 4
    assert figure("collaboration.municipalities", prefecture, initiative="unknown") is None


def test_an_indicator_chooses_its_initiative_by_name_and_fiscal_year_in_wareki(prefecture):
    from django.utils import translation

    seminar(prefecture, fiscal_year=2021)
    choices = metrics.get("collaboration.municipalities").parameters[0].choices
    assert choices(prefecture) == [("seminar", "オープンデータセミナー(令和3年度)")]
    with translation.override("en"):
        assert choices(prefecture) == [("seminar", "オープンデータセミナー(FY2021)")]


def test_a_council_counts_each_municipality_once_over_its_sessions(prefecture, tsu, ise):
    initiative = council(prefecture, [tsu, ise])
    from datetime import date

    second = services.add_session(
        actor=None, initiative=initiative, date=date(2020, 8, 20), title="第2回"
    )
    services.record_participation(
        actor=None, initiative=initiative, municipality=tsu, staff_count=1, session=second
    )
    assert selectors.participation_figures(initiative) == {
        "municipalities": 2,
        "staff": 4,
        "sessions": 2,
    }


def test_only_the_prefectures_own_municipalities_take_part(prefecture, tsu):
    other_prefecture = OrganizationFactory(code="230006", name="愛知県", kind="prefecture")
    nagoya = OrganizationFactory(code="231002", name="名古屋市", parent=other_prefecture)
    initiative = council(prefecture, [tsu])
    with pytest.raises(ValidationError) as error:
        services.record_participation(actor=None, initiative=initiative, municipality=nagoya)
    assert "municipality" in error.value.error_dict
    with pytest.raises(ValidationError):
        services.create_initiative(
            actor=None, organization=tsu, slug="x", name="x", kind="seminar", fiscal_year=2020
        )


def test_adoption_states_are_recorded_by_each_municipality_and_counted(prefecture, tsu, ise):
    services.set_adoption(
        actor=None, organization=tsu, fiscal_year=2026, measure="rpa", state="adopted"
    )
    services.set_adoption(
        actor=None, organization=ise, fiscal_year=2026, measure="rpa", state="trial"
    )
    services.set_adoption(
        actor=None, organization=tsu, fiscal_year=2026, measure="rpa", state="adopted"
    )
    assert selectors.adoption_states(tsu, 2026) == {"rpa": "adopted"}
    assert selectors.adoption_states(tsu, 2025) == {}
    overview = selectors.adoption_overview(prefecture, 2026)
    rpa = next(row for row in overview["measures"] if row["measure"] == "rpa")
    assert rpa["counts"] == [0, 0, 1, 1] and rpa["unrecorded"] == 0
    assert figure("collaboration.adopting_municipalities", prefecture, 2026, measure="rpa") == 1
    with pytest.raises(ValidationError):
        services.set_adoption(
            actor=None, organization=prefecture, fiscal_year=2026, measure="rpa", state="adopted"
        )
    with pytest.raises(ValidationError):
        services.set_adoption(
            actor=None, organization=tsu, fiscal_year=2026, measure="rpa", state="done"
        )


def test_the_survey_is_answered_once_per_municipality_through_the_procedure(prefecture, tsu, ise):
    initiative = council(prefecture, [tsu, ise])
    request = selectors.survey_requests_for(tsu).get()
    services.answer_survey(actor=None, request=request, data={"knowledge": "少し深まった"})
    # The answer is an application to the prefecture's survey, in its inbox like any other.
    application = Application.objects.get(procedure=initiative.survey)
    assert application.organization == prefecture
    assert application.data["knowledge"] == "少し深まった"
    # Listed under the 市町 that answered, as the council's answers are the 市町's, not a person's.
    assert application.applicant_display == "津市"
    with pytest.raises(ValidationError, match="既に回答"):
        services.answer_survey(actor=None, request=request, data={"knowledge": "深まらなかった"})
    assert Application.objects.filter(procedure=initiative.survey).count() == 1
    assert selectors.survey_figures(initiative) == {
        "requested": 2,
        "answered": 1,
        "positive": 1,
        "share": 100,
    }
    services.answer_survey(
        actor=None,
        request=selectors.survey_requests_for(ise).get(),
        data={"knowledge": "深まらなかった"},
    )
    assert figure("collaboration.survey_share", prefecture, initiative="council") == 50
    # Sending again asks nobody twice.
    assert services.send_survey(actor=None, initiative=initiative) == 0


def test_an_invalid_answer_is_refused_with_the_fields_message(prefecture, tsu):
    council(prefecture, [tsu])
    request = selectors.survey_requests_for(tsu).get()
    with pytest.raises(ValidationError) as error:
        services.answer_survey(actor=None, request=request, data={"knowledge": "大いに"})
    assert "knowledge" in error.value.message_dict
    request.refresh_from_db()
    assert request.application is None


def test_the_progress_report_takes_its_figures_from_the_records(prefecture, tsu, ise):
    initiative = council(prefecture, [tsu, ise])
    plan = plan_with_action(prefecture, first_year=2020)
    ActionYear.objects.filter(action__plan=plan).update(
        status_text=(
            "全{{collaboration.municipalities initiative=council}}市町が参加："
            "年{{collaboration.sessions initiative=council}}回実施、"
            "{{collaboration.survey_positive initiative=council}}市町が深まったと回答"
            "{{collaboration.unknown_metric a=b}}"
        )
    )

    def status():
        data = pdca_selectors.progress_data(plan, 2020)
        return data["initiatives"][0]["sections"][0]["actions"][0]["status"]

    assert status() == "全2市町が参加：年1回実施、0市町が深まったと回答—"
    services.answer_survey(
        actor=None,
        request=initiative.survey_requests.get(organization=tsu),
        data={"knowledge": "かなり深まった"},
    )
    assert status() == "全2市町が参加：年1回実施、1市町が深まったと回答—"


def test_no_person_appears_in_any_aggregate(prefecture, tsu, ise, make_member, login):
    clerk = make_member(tsu, Role.CLERK, username="tsu-clerk-yamada")
    clerk.first_name, clerk.last_name, clerk.email = "花子", "山田", "yamada@city.tsu.example.jp"
    clerk.save()
    initiative = council(prefecture, [tsu, ise])
    services.answer_survey(
        actor=clerk,
        request=initiative.survey_requests.get(organization=tsu),
        data={"knowledge": "少し深まった", "comment": "秘密の感想ABC"},
    )
    services.set_adoption(
        actor=clerk, organization=tsu, fiscal_year=2026, measure="rpa", state="adopted"
    )
    viewer = make_member(prefecture, Role.MANAGER)
    client = login(viewer)
    pages = [
        client.get("/s/240001/collaboration/?year=2026").content.decode(),
        client.get(f"/s/240001/collaboration/initiatives/{initiative.pk}/").content.decode(),
    ]
    values = [
        str(metric.compute(prefecture, 2020, initiative="council"))
        for name, metric in metrics.items()
        if name.startswith("collaboration.") and name != "collaboration.adopting_municipalities"
    ] + [
        str(selectors.survey_figures(initiative)),
        str(selectors.adoption_overview(prefecture, 2026)),
    ]
    for text in [*pages, *values]:
        for personal in [
            "tsu-clerk-yamada",
            "山田",
            "花子",
            "yamada@",
            "秘密の感想ABC",
            "少し深まった",
        ]:
            assert personal not in text, personal
    assert "50%" not in pages[0] and "100%" in pages[0]  # the figure itself is there


def test_a_clerk_records_states_and_answers_on_the_pages(prefecture, tsu, ise, make_member, login):
    initiative = council(prefecture, [tsu, ise])
    client = login(make_member(tsu, Role.CLERK))
    page = client.get("/s/242012/collaboration/?year=2026").content.decode()
    assert "スマート自治体推進検討会議" in page and "回答する" in page
    refused = client.post("/s/242012/collaboration/adoption/", {"year": "2026", "rpa": "done"})
    assert refused.status_code == 400 and "正しく選択してください" in refused.content.decode()
    saved = client.post(
        "/s/242012/collaboration/adoption/",
        {"year": "2026", "rpa": "adopted", "telework": "trial"},
    )
    assert saved.status_code == 302
    assert selectors.adoption_states(tsu, 2026) == {"rpa": "adopted", "telework": "trial"}
    request = initiative.survey_requests.get(organization=tsu)
    url = f"/s/242012/collaboration/surveys/{request.pk}/"
    missing = client.post(url, {})
    assert missing.status_code == 400 and "knowledge" in missing.content.decode()
    assert client.post(url, {"knowledge": "かなり深まった"}).status_code == 302
    assert "既に回答しています" in client.get(url).content.decode()
    # The prefecture's pages are not the municipality's.
    assert client.get(f"/s/242012/collaboration/initiatives/{initiative.pk}/").status_code == 404


def test_a_viewer_cannot_change_states(tsu, make_member, login):
    client = login(make_member(tsu, Role.VIEWER))
    response = client.post("/s/242012/collaboration/adoption/", {"year": "2026", "rpa": "adopted"})
    assert response.status_code in (403, 404)
    assert selectors.adoption_states(tsu, 2026) == {}


def test_a_viewer_reads_the_states_in_words(tsu, make_member, login):
    services.set_adoption(
        actor=None, organization=tsu, fiscal_year=2026, measure="rpa", state="adopted"
    )
    page = login(make_member(tsu, Role.VIEWER)).get("/s/242012/collaboration/?year=2026")
    states = page.content.decode().split('id="adoption-heading"')[1]
    assert "<dt>RPA</dt><dd>導入済</dd>" in states and "<dd>未登録</dd>" in states
    assert "adopted" not in states


def test_a_refused_save_keeps_the_whole_page(prefecture, tsu, make_member, login):
    initiative = council(prefecture, [tsu])
    services.set_adoption(
        actor=None, organization=tsu, fiscal_year=2021, measure="rpa", state="adopted"
    )
    client = login(make_member(tsu, Role.CLERK))
    refused = client.post("/s/242012/collaboration/adoption/", {"year": "2026", "rpa": "done"})
    page = refused.content.decode()
    assert refused.status_code == 400 and "正しく選択してください" in page
    assert initiative.name in page.split('id="joined-heading"')[1]  # the meetings stay listed
    assert "令和3年度の状況を初めの値にしています" not in page  # what was sent is shown, not R3


def test_a_year_that_is_not_a_year_is_told_beside_the_box(prefecture, tsu, make_member, login):
    for organization in (tsu, prefecture):
        client = login(make_member(organization, Role.VIEWER))
        response = client.get(f"/s/{organization.code}/collaboration/?year=令和百年度")
        page = response.content.decode()
        assert response.status_code == 400
        assert 'id="year-error"' in page and 'aria-describedby="year-error"' in page
        assert 'aria-invalid="true"' in page and 'value="令和百年度"' in page  # the input is kept
        assert "年度を表示しています" in page  # the current 年度 instead


def test_each_measure_shows_what_the_platform_itself_records(tsu, make_member, login):
    from jichitai.procedures.tests.factories import published_procedure

    published_procedure(tsu)
    page = login(make_member(tsu, Role.CLERK)).get("/s/242012/collaboration/?year=2026")
    form = page.content.decode().split('id="adoption-heading"')[1]

    def field_block(name):
        # From the field's label to its select, where the form puts the help text.
        return form.split(f'name="{name}"')[0].rsplit("<label", 1)[1]

    assert "この基盤の記録: 手続一覧に登録された手続 1件" in field_block("online_procedures")
    assert 'aria-describedby="id_online_procedures_helptext"' in form
    assert "この基盤の記録" not in field_block("telework")


def test_the_prefecture_records_an_initiative_its_sessions_and_who_took_part(
    prefecture, tsu, ise, make_member, login
):
    client = login(make_member(prefecture, Role.CLERK))
    created = client.post(
        "/s/240001/collaboration/initiatives/new/",
        {"name": "RPA研修", "slug": "rpa-training-2026", "kind": "training", "fiscal_year": "2026"},
    )
    assert created.status_code == 302
    initiative = Initiative.objects.get(slug="rpa-training-2026")
    again = client.post(
        "/s/240001/collaboration/initiatives/new/",
        {"name": "RPA研修", "slug": "rpa-training-2026", "kind": "training", "fiscal_year": "2026"},
    )
    assert again.status_code == 400 and "既に使われています" in again.content.decode()
    assert 'value="RPA研修"' in again.content.decode()  # the input is kept
    row = re.search(
        r'<tr id="initiative-rpa-training-2026">.*?</tr>',
        client.get("/s/240001/collaboration/").content.decode(),
        re.S,
    ).group(0)
    assert '<td class="number">—</td>' in row  # no session recorded yet: not 「0 回」 held
    base = f"/s/240001/collaboration/initiatives/{initiative.pk}/"
    bad_date = client.post(f"{base}sessions/", {"date": "令和8年13月1日", "title": "第1回"})
    assert bad_date.status_code == 400
    assert (
        client.post(
            f"{base}sessions/",
            {"date": "令和8年6月1日", "title": "第1回", "agenda": "RPAの基礎\n\n演習"},
        ).status_code
        == 302
    )
    session = initiative.sessions.get()
    assert session.agenda == ["RPAの基礎", "演習"]
    assert (
        client.post(
            f"{base}participations/",
            {"municipality": tsu.pk, "session": session.pk, "staff_count": "3"},
        ).status_code
        == 302
    )
    refused = client.post(f"{base}participations/", {"municipality": tsu.pk, "staff_count": "0"})
    assert refused.status_code == 400
    page = client.get(base).content.decode()
    assert "参加 1市町・3名、開催 1回" in page
    # A 市町 cannot record for the prefecture.
    tsu_client = login(make_member(tsu, Role.MANAGER))
    assert tsu_client.get("/s/242012/collaboration/initiatives/new/").status_code == 404


def test_session_materials_are_checked_and_reach_only_those_who_took_part(
    prefecture, tsu, ise, kameyama, make_member, login
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    initiative = council(prefecture, [tsu, ise])
    session = initiative.sessions.get()
    tsu_client = login(make_member(tsu, Role.VIEWER))
    # Before any is shared, a 市町 reads that the session has none yet, not a bare date.
    assert "資料はまだありません" in tsu_client.get("/s/242012/collaboration/").content.decode()
    client = login(make_member(prefecture, Role.CLERK))
    url = f"/s/240001/collaboration/initiatives/{initiative.pk}/sessions/{session.pk}/materials/"
    disguised = client.post(url, {"file": SimpleUploadedFile("資料.pdf", b"MZ\x90\x00 not a pdf")})
    assert disguised.status_code == 400
    assert "内容が拡張子(.pdf)と一致しません" in disguised.content.decode()
    assert not session.materials.exists()
    script = client.post(url, {"file": SimpleUploadedFile("run.exe", b"MZ\x90\x00")})
    assert script.status_code == 400 and "形式は受け付けていません" in script.content.decode()
    saved = client.post(url, {"file": SimpleUploadedFile("議事次第.txt", "議題".encode())})
    assert saved.status_code == 302
    material = session.materials.get()
    page = tsu_client.get("/s/242012/collaboration/").content.decode()
    assert "議事次第.txt" in page and "資料はまだありません" not in page
    download = tsu_client.get(f"/s/242012/collaboration/materials/{material.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == "議題".encode()
    outsider = login(make_member(kameyama, Role.ADMIN))
    assert outsider.get(f"/s/242101/collaboration/materials/{material.pk}/").status_code == 404


def test_a_new_year_starts_from_the_last_recorded_states(prefecture, tsu, make_member, login):
    services.set_adoption(
        actor=None, organization=tsu, fiscal_year=2021, measure="rpa", state="adopted"
    )
    services.set_adoption(
        actor=None, organization=tsu, fiscal_year=2021, measure="telework", state="trial"
    )
    client = login(make_member(tsu, Role.CLERK))
    page = client.get("/s/242012/collaboration/?year=2026").content.decode()
    assert "令和3年度の状況を初めの値にしています" in page
    rpa = re.search(r'<select name="rpa".*?</select>', page, re.S).group(0)
    assert '<option value="adopted" selected>' in rpa
    assert selectors.adoption_states(tsu, 2026) == {}  # nothing is saved until the clerk saves
    client.post("/s/242012/collaboration/adoption/", {"year": "2026", "rpa": "adopted"})
    page = client.get("/s/242012/collaboration/?year=2026").content.decode()
    assert "初めの値にしています" not in page


def test_the_prefecture_is_told_where_the_last_recorded_year_is(
    prefecture, tsu, make_member, login
):
    services.set_adoption(
        actor=None, organization=tsu, fiscal_year=2021, measure="rpa", state="adopted"
    )
    client = login(make_member(prefecture, Role.VIEWER))
    page = client.get("/s/240001/collaboration/?year=2026").content.decode()
    assert "令和8年度の導入状況を登録した市町はまだありません" in page
    assert "?year=2021" in page
    assert (
        "登録した市町はまだありません"
        not in client.get("/s/240001/collaboration/?year=2021").content.decode()
    )


def test_attendance_reads_as_one_row_per_municipality_and_a_column_per_session(
    prefecture, tsu, ise, kameyama, make_member, login
):
    initiative = council(prefecture, [tsu, ise])
    second = services.add_session(
        actor=None, initiative=initiative, date=date(2020, 8, 20), title="第2回", agenda=[]
    )
    services.record_participation(
        actor=None, initiative=initiative, municipality=tsu, staff_count=3, session=second
    )
    request = initiative.survey_requests.get(organization=ise)
    services.answer_survey(actor=None, request=request, data={"knowledge": "かなり深まった"})
    page = login(make_member(prefecture, Role.VIEWER)).get(
        f"/s/240001/collaboration/initiatives/{initiative.pk}/"
    )
    table = page.content.decode().split('id="attendance-heading"')[1].split("</table>")[0]
    head = table.split("</thead>")[0]
    assert "第1回(令和2年6月17日)" in head and "第2回(令和2年8月20日)" in head
    assert "事後アンケート" in head
    rows = {
        re.search(r'<th scope="row">(.*?)</th>', row).group(1): re.findall(
            r"<td[^>]*>(.*?)</td>", row
        )
        for row in table.split("<tbody>")[1].split("</tr>")
        if "<th" in row
    }
    assert rows == {
        "津市": ["2名", "3名", "未回答"],
        "伊勢市": ["2名", "—", "回答済み"],
    }  # 亀山市 took no part and is not listed
