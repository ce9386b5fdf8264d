"""The staff pages: scenario from a shipped template, run form with uploads, approval by another
person, work queue, secrets never shown, ledger table and exports."""

import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from jichitai.automation import samples, services
from jichitai.automation.models import Run, RunItem, Secret
from jichitai.automation.services import scheduling
from jichitai.automation.tests import factories
from jichitai.tenancy.models import Role

pytestmark = pytest.mark.django_db


def test_clerk_adds_plans_and_manager_approves_then_clerk_applies_with_uploads(
    tsu, tsu_clerk, tsu_manager, login, django_capture_on_commit_callbacks
):
    clerk, manager = login(tsu_clerk), login(tsu_manager)
    base = f"/s/{tsu.code}/automation/"
    page = clerk.get(base)
    assert page.status_code == 200 and "電気使用量の集計" in page.content.decode()
    form = clerk.get(base + "scenarios/new/?from=electricity-summary")
    assert "name: electricity-summary" in form.content.decode()
    broken = clerk.post(
        base + "scenarios/new/", {"source": "name: x\ntitle: 1\neach:\n  - step: nothing\n"}
    )
    text = broken.content.decode()
    assert (
        broken.status_code == 200
        and "「nothing」という手順(step)はありません" in text
        and "4行目" in text
    )
    pasted = clerk.post(base + "scenarios/new/", {"source": "name: x\ntitle: a\x01b\n"})
    assert pasted.status_code == 200 and "2行目: YAML に使えない文字" in pasted.content.decode()
    from jichitai.automation.registry import scenarios

    response = clerk.post(
        base + "scenarios/new/", {"source": scenarios.get("electricity-summary").source}
    )
    assert response.status_code == 302
    scenario = tsu.__class__.objects.get(pk=tsu.pk) and services.Scenario.objects.get(
        name="electricity-summary"
    )
    detail = base + f"scenarios/{scenario.pk}/"
    assert "本番実行できません" in clerk.get(detail).content.decode()

    def upload():
        return [
            io.BytesIO(samples.electricity_workbook(division, "2021-04", seed=n))
            for n, division in enumerate(samples.ELECTRICITY_DIVISIONS)
        ]

    files = upload()
    for index, handle in enumerate(files):
        handle.name = f"report{index}.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(detail + "runs/", {"mode": "plan", "reports": files})
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = Run.objects.get()
    assert plan.status == Run.Status.FINISHED and plan.items.count() == 4
    page = clerk.get(response["Location"]).content.decode()
    assert "電気使用量集計.xlsx" in page and "計画済み" in page

    # The clerk cannot approve (403 for the role); the manager can.
    version = scenario.current_version
    assert clerk.post(detail + f"versions/{version.pk}/approve/").status_code == 403
    manager.post(detail + f"versions/{version.pk}/approve/")
    version.refresh_from_db()
    assert version.approved_by == tsu_manager

    files = upload()
    for index, handle in enumerate(files):
        handle.name = f"report{index}.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(detail + "runs/", {"mode": "apply", "reports": files})
    run = Run.objects.get(mode=Run.Mode.APPLY)
    assert run.status == Run.Status.FINISHED
    output = run.files.get()
    download = clerk.get(base + f"runs/{run.pk}/files/{output.pk}/")
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert workbook.sheetnames == ["所属別", "月別合計", "明細"]
    # Each item's time in seconds to the hundredth: a quick one reads 0.02, not a bare 0.
    item = run.items.first()
    item.duration_ms = 1234
    item.save()
    assert '<td class="number">1.23</td>' in clerk.get(base + f"runs/{run.pk}/").content.decode()


def test_a_run_form_without_its_input_keeps_the_person_on_the_page(tsu, tsu_clerk, login, shipped):
    scenario = shipped("electricity-summary")
    response = login(tsu_clerk).post(
        f"/s/{tsu.code}/automation/scenarios/{scenario.pk}/runs/", {"mode": "plan"}
    )
    assert response.status_code == 400 and "必須" in response.content.decode()
    assert not Run.objects.exists()


def test_work_queue_records_what_a_person_did(tsu, tsu_clerk, login):
    item = factories.item(tsu)
    client = login(tsu_clerk)
    queue = client.get(f"/s/{tsu.code}/automation/queue/").content.decode()
    assert "業務エラー" in queue
    client.post(
        f"/s/{tsu.code}/automation/items/{item.pk}/resolve/",
        {f"item-{item.pk}-resolution": "手入力で登録した"},
    )
    item.refresh_from_db()
    assert item.resolution == "手入力で登録した" and item.resolved_by == tsu_clerk
    assert (
        "対応待ちの項目はありません"
        in client.get(f"/s/{tsu.code}/automation/queue/").content.decode()
    )
    assert RunItem.objects.filter(resolved_at__isnull=True).count() == 0


def test_a_viewer_reads_the_work_queue_but_records_nothing(tsu, make_member, login):
    item = factories.item(tsu)
    client = login(make_member(tsu, Role.VIEWER))

    queue = client.get(f"/s/{tsu.code}/automation/queue/")

    assert queue.status_code == 200
    assert item.run.version.scenario.title in queue.content.decode()
    assert "対応を記録" not in queue.content.decode()
    assert "対応の記録は担当職員が行います" in queue.content.decode()
    refused = client.post(
        f"/s/{tsu.code}/automation/items/{item.pk}/resolve/",
        {f"item-{item.pk}-resolution": "手入力で登録した"},
    )
    assert refused.status_code == 403


def test_secrets_are_stored_encrypted_and_never_shown(tsu, tsu_manager, tsu_clerk, login):
    client = login(tsu_manager)
    url = f"/s/{tsu.code}/automation/secrets/"
    client.post(url, {"name": "legacy_password", "value": "very-secret-value"})
    secret = Secret.objects.get()
    assert "very-secret-value" not in secret.token
    page = client.get(url).content.decode()
    assert "legacy_password" in page and "very-secret-value" not in page
    assert login(tsu_clerk).get(url).status_code == 403
    from jichitai.audit.models import AuditEvent

    assert not AuditEvent.objects.filter(summary__contains="very-secret-value").exists()
    assert not AuditEvent.objects.filter(changes__icontains="very-secret-value").exists()


def test_deleting_a_secret_first_says_which_scenarios_log_in_with_it(
    tsu, tsu_manager, shipped, login
):
    transcription = shipped("vehicle-tax-address")  # logs in to the legacy system with it
    shipped("electricity-summary")  # needs no secret
    secret = services.set_secret(
        actor=tsu_manager, organization=tsu, name="legacy_password", value="very-secret-value"
    )
    client = login(tsu_manager)
    listing = client.get(f"/s/{tsu.code}/automation/secrets/").content.decode()
    confirm = f"/s/{tsu.code}/automation/secrets/{secret.pk}/delete/"
    assert f'href="{confirm}"' in listing  # a page that says what goes, not a button that deletes

    page = client.get(confirm).content.decode()
    assert "「legacy_password」を削除" in page
    assert transcription.title in page and "電気使用量の集計" not in page
    assert "本番実行でログインできなくなります" in page
    assert Secret.objects.filter(pk=secret.pk).exists()

    assert client.post(confirm).status_code == 302
    assert not Secret.objects.filter(pk=secret.pk).exists()


def test_pages_are_translated_to_english(tsu, tsu_clerk, login, shipped):
    shipped("electricity-summary")
    client = login(tsu_clerk)
    client.cookies["django_language"] = "en"
    page = client.get(f"/s/{tsu.code}/automation/").content.decode()
    assert "Work queue (business errors)" in page and "Awaiting approval" in page


def test_the_ways_to_add_a_scenario_say_which_is_which(tsu, tsu_clerk, login):
    """A clerk choosing between the input screen and writing a scenario learns what each asks
    of them before opening either."""
    page = login(tsu_clerk).get(f"/s/{tsu.code}/automation/").content.decode()
    assert "手順を一覧から選び、項目を埋めて組み立てます" in page
    assert "シナリオの定義(YAML)を直接書きます" in page


def test_the_staff_home_card_shows_the_work_queue(tsu, tsu_clerk, login):
    factories.item(tsu)
    page = login(tsu_clerk).get(f"/s/{tsu.code}/").content.decode()
    assert "対応待ちの業務エラーが 1 件あります。" in page


def test_manager_records_a_manual_ledger_line(tsu, tsu_manager, login):
    client = login(tsu_manager)
    response = client.post(
        f"/s/{tsu.code}/automation/ledger/add/",
        {
            "fiscal_year": 2021,
            "division": "市民課",
            "task": "転入届の入力",
            "hours_before": "100",
            "hours_after": "40",
            "note": "",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith(
        "/automation/ledger/?year=2021"
    )
    page = client.get(response["Location"]).content.decode()
    assert "転入届の入力" in page and "60.0" in page
    bad = client.post(
        f"/s/{tsu.code}/automation/ledger/add/",
        {
            "fiscal_year": 2021,
            "division": "市民課",
            "task": "x",
            "hours_before": "-1",
            "hours_after": "1",
        },
    )
    assert bad.status_code == 400


def test_a_municipality_is_offered_the_shipped_scenarios_for_any_government_and_not_the_prefectures_own(
    tsu, tsu_clerk, prefecture, prefecture_admin, login
):
    municipal = login(tsu_clerk).get(f"/s/{tsu.code}/automation/").content.decode()
    assert "?from=electricity-summary" in municipal and "?from=mailed-invoices" in municipal
    assert "?from=vehicle-tax-address" not in municipal
    assert "?from=scholarship-notices" not in municipal
    assert "県の電気使用量" not in municipal
    template = login(tsu_clerk).get(
        f"/s/{tsu.code}/automation/scenarios/new/?from=vehicle-tax-address"
    )
    assert "name: vehicle-tax-address" not in template.content.decode()

    prefectural = login(prefecture_admin).get(f"/s/{prefecture.code}/automation/").content.decode()
    for name in [
        "electricity-summary",
        "mailed-invoices",
        "vehicle-tax-address",
        "scholarship-notices",
    ]:
        assert f"?from={name}" in prefectural


def test_a_resolution_left_empty_is_asked_for_beside_its_item(tsu, tsu_clerk, login):
    item = factories.item(tsu)

    response = login(tsu_clerk).post(
        f"/s/{tsu.code}/automation/items/{item.pk}/resolve/",
        {f"item-{item.pk}-outcome": "release", f"item-{item.pk}-resolution": ""},
    )

    assert response.status_code == 400
    item.refresh_from_db()
    assert item.resolved_at is None
    page = response.content.decode()
    field = page[page.index(f'id="id_item-{item.pk}-resolution"') - 600 :][:900]
    assert "必須" in field and 'aria-invalid="true"' in field
    assert re.search(r'value="release"[^>]*checked', page)  # the outcome chosen stays


def test_an_item_handled_meanwhile_says_so(tsu, tsu_clerk, login):
    item = factories.item(tsu)
    services.resolve_item(actor=tsu_clerk, item=item, resolution="手入力で登録した", release=False)

    response = login(tsu_clerk).post(
        f"/s/{tsu.code}/automation/items/{item.pk}/resolve/",
        {f"item-{item.pk}-outcome": "manual", f"item-{item.pk}-resolution": "二重に記録"},
    )

    assert response.status_code == 400
    assert "この項目は対応済みです" in response.content.decode()


def test_a_manager_reads_what_a_new_version_changes_before_approving_it(
    tsu, tsu_clerk, tsu_manager, login
):
    scenario = factories.scenario(tsu)
    scenario.current_version.__class__.objects.filter(pk=scenario.current_version.pk).update(
        approved_by=tsu_manager, approved_at=timezone.now()
    )
    services.new_version(
        actor=tsu_clerk,
        scenario=scenario,
        source=factories.SOURCE.replace("manual_minutes_before: 10", "manual_minutes_before: 15"),
    )

    page = login(tsu_manager).get(f"/s/{tsu.code}/automation/scenarios/{scenario.pk}/")

    changes = page.content.decode().split("第1版(承認済み)からの変更", 1)[1][:2000]
    # Struck through and underlined on screen, and said so to a screen reader.
    assert re.search(r"<del><span[^>]*>削除した行: </span>manual_minutes_before: 10</del>", changes)
    assert re.search(r"<ins><span[^>]*>追加した行: </span>manual_minutes_before: 15</ins>", changes)
    assert "title: サンプル" in changes  # the lines around a change, for context


def test_a_first_version_has_nothing_to_compare(tsu, tsu_manager, login):
    scenario = factories.scenario(tsu)

    page = login(tsu_manager).get(f"/s/{tsu.code}/automation/scenarios/{scenario.pk}/")

    assert "からの変更" not in page.content.decode()


def test_a_managers_home_lists_what_waits_for_their_sign_off(tsu, tsu_clerk, tsu_manager, login):
    scenario = factories.scenario(tsu)
    services.new_version(
        actor=tsu_clerk, scenario=scenario, source=factories.SOURCE.replace("10", "12")
    )
    mine = services.create_scenario(
        actor=tsu_manager,
        organization=tsu,
        source=factories.SOURCE.replace("sample", "mine").replace("サンプル", "自分の案"),
    )
    scheduling.request_schedule(actor=tsu_clerk, scenario=scenario, cron="0 6 * * 1-5")

    home = login(tsu_manager).get(f"/s/{tsu.code}/").content.decode()

    waiting = home.split("承認・有効化を待っています", 1)[1].split("</div>", 1)[0]
    assert f"{scenario.title} 第2版" in waiting
    assert f"{scenario.title} 平日(月〜金) 6:00" in waiting
    assert mine.title not in waiting  # their own version is for someone else to approve
    clerk_home = login(tsu_clerk).get(f"/s/{tsu.code}/").content.decode()
    assert "承認・有効化を待っています" not in clerk_home


def test_the_approve_button_waits_for_a_dry_run_and_another_person(
    tsu, tsu_clerk, tsu_manager, login
):
    scenario = factories.scenario(tsu)
    url = f"/s/{tsu.code}/automation/scenarios/{scenario.pk}/"

    page = login(tsu_manager).get(url).content.decode()
    assert "第1版を承認する" not in page
    assert "承認の前に、この版の計画(ドライラン)を実行してください。" in page

    Run.objects.create(
        organization=tsu,
        version=scenario.current_version,
        mode=Run.Mode.PLAN,
        status=Run.Status.FINISHED,
    )
    assert "第1版を承認する" in login(tsu_manager).get(url).content.decode()

    services.new_version(
        actor=tsu_manager, scenario=scenario, source=factories.SOURCE.replace("10", "11")
    )
    page = login(tsu_manager).get(url).content.decode()
    assert "第2版を承認する" not in page
    assert "この版を作成した職員は承認できません" in page


def test_an_input_file_with_a_long_japanese_name_starts_its_run(
    tsu, tsu_clerk, login, django_capture_on_commit_callbacks
):
    """A file named as offices name them (each Japanese character three bytes on disk) is kept
    under a name the disk holds, instead of failing the run's start with a server error."""
    from jichitai.automation.registry import scenarios

    clerk = login(tsu_clerk)
    base = f"/s/{tsu.code}/automation/"
    clerk.post(base + "scenarios/new/", {"source": scenarios.get("electricity-summary").source})
    scenario = services.Scenario.objects.get(name="electricity-summary")
    report = io.BytesIO(samples.electricity_workbook(samples.ELECTRICITY_DIVISIONS[0], "2021-04"))
    report.name = "令和3年4月分_電気使用量報告_" + "情報政策課" * 40 + ".xlsx"

    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(
            base + f"scenarios/{scenario.pk}/runs/", {"mode": "plan", "reports": [report]}
        )

    assert response.status_code == 302
    assert Run.objects.get().status == Run.Status.FINISHED
