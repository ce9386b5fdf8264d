"""Executed budgets entered by staff per project and 年度 (千円): a bad amount is refused in
Japanese next to its field with the input kept and nothing saved; saved amounts are audited and
shown on the public plan page beside the planned budget; a closed 年度 cannot be changed."""

import pytest
from django.test import Client

from jichitai.audit.models import AuditEvent
from jichitai.pdca.models import ProjectYear
from jichitai.tenancy.models import Role

pytestmark = pytest.mark.django_db


def test_a_clerk_enters_executed_amounts_shown_on_the_public_page(policy, login, make_member):
    rows = list(
        ProjectYear.objects.filter(project__plan=policy, fiscal_year=2021).select_related("project")
    )
    assert len(rows) == 4 and all(row.executed is None for row in rows)
    url = f"/s/240001/pdca/plans/{policy.pk}/budgets/2021/executed/"
    viewer = login(make_member(policy.organization, Role.VIEWER, username="budget-viewer"))
    assert viewer.get(url).status_code in {403, 404}
    clerk = login(make_member(policy.organization, Role.CLERK, username="budget-clerk"))
    page = clerk.get(url).content.decode()
    assert "スマート自治体推進事業" in page and "予算額 177,051 千円" in page

    amounts = {row.pk: row.budget - 1_000 for row in rows}
    posted = {f"executed_{pk}": f"{amount:,}" for pk, amount in amounts.items()}
    first = rows[0].pk
    refused = clerk.post(url, {**posted, f"executed_{first}": "たくさん"})
    html = refused.content.decode()
    assert refused.status_code == 422
    assert "千円単位の0以上の整数で入力してください" in html and 'value="たくさん"' in html
    assert not ProjectYear.objects.filter(pk__in=amounts, executed__isnull=False).exists()

    saved = clerk.post(url, {**posted, f"executed_{first}": "１７６，０５１"}, follow=True)
    assert "執行額を保存しました(変更 4 件)" in saved.content.decode()
    stored = dict(ProjectYear.objects.filter(pk__in=amounts).values_list("pk", "executed"))
    assert stored == amounts
    assert AuditEvent.objects.filter(action="pdca.project_year.updated").count() == 4
    # The saved amounts come back as they are written, with their commas.
    assert 'value="176,051"' in clerk.get(url).content.decode()
    # Saving the same amounts again changes nothing and records nothing.
    clerk.post(url, posted)
    assert AuditEvent.objects.filter(action="pdca.project_year.updated").count() == 4

    public = Client().get("/o/240001/plans/smart-government-policy/").content.decode()
    planned = sum(row.budget for row in rows)
    executed = sum(amounts.values())
    assert (
        f"<td>{planned:,}</td><td>{executed:,}</td><td>{executed * 100 / planned:.1f}%</td>"
        in public
    )


def test_a_closed_year_cannot_be_changed(policy, login, make_member):
    row = ProjectYear.objects.filter(project__plan=policy, fiscal_year=2020).first()
    url = f"/s/240001/pdca/plans/{policy.pk}/budgets/2020/executed/"
    clerk = login(make_member(policy.organization, Role.CLERK, username="budget-clerk"))
    page = clerk.get(url).content.decode()
    assert (
        "締め切られているため変更できません" in page
        and '<form method="post" novalidate>' not in page
    )
    clerk.post(url, {f"executed_{row.pk}": "100"})
    row.refresh_from_db()
    assert row.executed is None


def test_an_amount_beyond_any_budget_is_refused_in_the_fields_own_words(policy, login, make_member):
    row = ProjectYear.objects.filter(project__plan=policy, fiscal_year=2021).first()
    url = f"/s/240001/pdca/plans/{policy.pk}/budgets/2021/executed/"
    clerk = login(make_member(policy.organization, Role.CLERK, username="budget-clerk"))
    refused = clerk.post(url, {f"executed_{row.pk}": "1,000,000,000,000,000"})
    html = refused.content.decode()
    assert refused.status_code == 422
    assert "金額が大きすぎます" in html and 'value="1,000,000,000,000,000"' in html
