"""A plan created from nothing is built on its own page: its levels (施策), indicators and actions
are added one by one, each checked, audited and numbered in turn, and a plan without any yet says
where to start."""

import pytest

from jichitai.audit.labels import action_label
from jichitai.audit.models import AuditEvent
from jichitai.pdca import services
from jichitai.pdca.models import Action, Indicator, Node
from jichitai.tenancy.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty_plan(tsu):
    return services.create_plan(
        actor=None,
        organization=tsu,
        name="津市DX推進計画",
        slug="tsu-dx",
        kind="plan",
        first_year=2026,
        last_year=2028,
    )


def test_an_empty_plan_says_where_to_start(tsu, empty_plan, make_member, login):
    base = f"/s/242012/pdca/plans/{empty_plan.pk}/"
    page = login(make_member(tsu, Role.MANAGER)).get(base).content.decode()
    assert "この計画には、まだ指標も取組もありません。" in page
    for link in ("structure/indicator/", "structure/node/"):
        assert f'href="{base}{link}"' in page
    assert "structure/action/" not in page  # an action belongs to a level: none yet
    clerk = login(make_member(tsu, Role.CLERK)).get(base).content.decode()
    assert "structure/indicator/" not in clerk  # the structure is the manager's


def test_a_manager_builds_the_plan_level_indicator_and_action(tsu, empty_plan, make_member, login):
    client = login(make_member(tsu, Role.MANAGER))
    base = f"/s/242012/pdca/plans/{empty_plan.pk}/structure/"
    form = client.get(f"{base}node/").content.decode()
    assert "個別取組を追加" in form  # the level is named as the plan names it
    assert client.post(f"{base}node/", {"title": "行政手続のオンライン化"}).status_code == 302
    only = client.get(f"{base}action/").content.decode().split('name="node"')[1]
    assert f'<option value="{empty_plan.nodes.get().pk}" selected>' in only  # nothing to choose
    assert client.post(f"{base}node/", {"title": "業務の効率化"}).status_code == 302
    assert [(node.number, node.title) for node in empty_plan.nodes.all()] == [
        (1, "行政手続のオンライン化"),
        (2, "業務の効率化"),
    ]
    second = empty_plan.nodes.get(number=2)
    two = client.get(f"{base}action/").content.decode().split('name="node"')[1]
    assert '<option value="" selected>' in two.split("</select>")[0]  # the manager chooses
    added = client.post(
        f"{base}action/",
        {"node": second.pk, "title": "RPA の導入", "division_name": "情報政策課", "category": "県"},
    )
    action = Action.objects.get(plan=empty_plan)
    assert added["Location"] == f"/s/242012/pdca/plans/{empty_plan.pk}/actions/{action.pk}/"
    assert (action.number, action.node, action.title) == (1, second, "RPA の導入")
    indicator_added = client.post(
        f"{base}indicator/",
        {
            "name": "電子申請の件数",
            "kind": "main",
            "unit": "件",
            "decimals": "0",
            "direction": "higher",
            "baseline_year": "令和7年度",
            "baseline_value": "1,200",
        },
    )
    indicator = Indicator.objects.get(plan=empty_plan)
    assert indicator_added["Location"] == (
        f"/s/242012/pdca/plans/{empty_plan.pk}/indicators/{indicator.pk}/"
    )  # where its targets are entered
    assert (indicator.baseline_year, indicator.baseline_value) == (2025, 1200)
    created = set(
        AuditEvent.objects.filter(action__endswith=".created").values_list("action", flat=True)
    )
    assert {"pdca.node.created", "pdca.action.created", "pdca.indicator.created"} <= created
    assert {action_label(code) for code in created} >= {
        "計画の階層の作成",
        "取組の作成",
        "指標の作成",
    }
    page = client.get(f"/s/242012/pdca/plans/{empty_plan.pk}/").content.decode()
    assert "まだ指標も取組もありません" not in page and "RPA の導入" in page
    # No target nor actual yet: said in words, not drawn as empty axes.
    section = page.split(f'id="indicator-{indicator.pk}"')[1].split("</section>")[0]
    assert "電子申請の件数" in section and "<svg" not in section
    assert "目標値・実績値はまだ入力されていません。" in section


def test_wrong_input_is_told_beside_its_field_and_kept(tsu, ise, empty_plan, make_member, login):
    client = login(make_member(tsu, Role.MANAGER))
    base = f"/s/242012/pdca/plans/{empty_plan.pk}/structure/"
    refused = client.post(
        f"{base}indicator/",
        {
            "name": "電子申請の件数",
            "kind": "main",
            "unit": "",
            "decimals": "9",
            "direction": "higher",
            "baseline_year": "",
            "baseline_value": "千二百",
        },
    )
    page = refused.content.decode()
    assert refused.status_code == 400 and 'value="電子申請の件数"' in page
    assert page.count('class="errorlist') >= 3  # unit, decimals and baseline value
    without_year = client.post(
        f"{base}indicator/",
        {
            "name": "電子申請の件数",
            "kind": "main",
            "unit": "件",
            "decimals": "0",
            "direction": "higher",
            "baseline_year": "",
            "baseline_value": "1200",
        },
    )
    assert without_year.status_code == 400
    assert "現状値を入れるときは、その年度も入れてください。" in without_year.content.decode()
    assert not Indicator.objects.exists()
    # An action needs a level of this plan, not another 市町's.
    other = services.create_plan(
        actor=None,
        organization=ise,
        name="伊勢市計画",
        slug="ise",
        kind="plan",
        first_year=2026,
        last_year=2026,
    )
    foreign = Node.objects.create(plan=other, number=1, title="他市の施策")
    refused = client.post(
        f"{base}action/",
        {"node": foreign.pk, "title": "RPA", "division_name": "情報政策課", "category": "県"},
    )
    assert refused.status_code in (400, 404) and not Action.objects.exists()
    # Another 市町's manager cannot reach this plan at all.
    outsider = login(make_member(ise, Role.ADMIN))
    assert outsider.get(f"/s/242039/pdca/plans/{empty_plan.pk}/structure/node/").status_code == 404
    assert client.get(f"{base}project/").status_code == 404


def test_a_manager_corrects_an_indicators_wording_and_a_levels_name(
    tsu, empty_plan, make_member, login
):
    indicator = services.add_indicator(
        actor=None, plan=empty_plan, name="電子申請の件鈎", kind="main", unit="个"
    )
    node = services.add_node(actor=None, plan=empty_plan, title="オンラン化")
    services.set_indicator_year(actor=None, indicator=indicator, fiscal_year=2026, target="100")
    client = login(make_member(tsu, Role.MANAGER))
    base = f"/s/242012/pdca/plans/{empty_plan.pk}/"
    assert f"{base}structure/indicator/{indicator.pk}/" in client.get(base).content.decode()
    form = client.get(f"{base}structure/indicator/{indicator.pk}/").content.decode()
    assert 'value="電子申請の件鈎"' in form  # the form opens with what is there
    refused = client.post(
        f"{base}structure/indicator/{indicator.pk}/",
        {
            "name": "電子申請の件数",
            "kind": "main",
            "unit": "",
            "decimals": "0",
            "direction": "higher",
        },
    )
    assert refused.status_code == 400 and 'value="電子申請の件数"' in refused.content.decode()
    saved = client.post(
        f"{base}structure/indicator/{indicator.pk}/",
        {
            "name": "電子申請の件数",
            "kind": "main",
            "unit": "件",
            "decimals": "0",
            "direction": "higher",
        },
    )
    assert saved["Location"] == f"{base}indicators/{indicator.pk}/"
    indicator.refresh_from_db()
    assert (indicator.name, indicator.unit) == ("電子申請の件数", "件")
    assert indicator.years.get(fiscal_year=2026).target == 100  # figures stay
    assert (
        client.post(f"{base}structure/node/{node.pk}/", {"title": "オンライン化"}).status_code
        == 302
    )
    node.refresh_from_db()
    assert (node.number, node.title) == (1, "オンライン化")
    changed = AuditEvent.objects.get(action="pdca.indicator.changed")
    assert changed.changes["name"] == ["電子申請の件鈎", "電子申請の件数"]
    assert action_label("pdca.indicator.changed") == "指標の変更"
    clerk = login(make_member(tsu, Role.CLERK))
    assert clerk.get(f"{base}structure/node/{node.pk}/").status_code in (403, 404)
    assert client.get(f"{base}structure/action/{node.pk}/").status_code == 404  # no such action


def test_a_manager_corrects_an_actions_wording_level_and_category(
    tsu, empty_plan, make_member, login
):
    first = services.add_node(actor=None, plan=empty_plan, title="オンライン化")
    second = services.add_node(actor=None, plan=empty_plan, title="業務の効率化")
    action = services.add_action(
        actor=None, plan=empty_plan, node=first, title="RPA の導人", division_name="情報政策課"
    )
    services.set_action_year(actor=None, action=action, fiscal_year=2026, schedule="検討")
    client = login(make_member(tsu, Role.MANAGER))
    base = f"/s/242012/pdca/plans/{empty_plan.pk}/"
    edit = f"{base}structure/action/{action.pk}/"
    assert f'href="{edit}"' in client.get(f"{base}actions/{action.pk}/").content.decode()
    form = client.get(edit).content.decode()
    assert 'value="RPA の導人"' in form and f'<option value="{first.pk}" selected>' in form
    refused = client.post(
        edit, {"node": second.pk, "title": "", "division_name": "情報政策課", "category": "県"}
    )
    page = refused.content.decode()
    assert refused.status_code == 400 and f'<option value="{second.pk}" selected>' in page
    saved = client.post(
        edit,
        {
            "node": second.pk,
            "title": "RPA の導入",
            "division_name": "情報政策課",
            "category": "市町連携",
        },
    )
    assert saved["Location"] == f"{base}actions/{action.pk}/"
    action.refresh_from_db()
    assert (action.number, action.node, action.title, action.category) == (
        1,
        second,
        "RPA の導入",
        "市町連携",
    )
    assert action.years.get(fiscal_year=2026).schedule == "検討"  # its schedule stays
    changed = AuditEvent.objects.get(action="pdca.action.changed")
    assert changed.changes["title"] == ["RPA の導人", "RPA の導入"]
    assert action_label("pdca.action.changed") == "取組の変更"


def test_an_indicator_with_no_figure_at_all_is_told_in_words_without_an_empty_table(
    tsu, empty_plan, make_member, login
):
    indicator = services.add_indicator(
        actor=None, plan=empty_plan, kind="main", name="電子申請の件数", unit="件"
    )
    page = login(make_member(tsu, Role.VIEWER)).get(f"/s/242012/pdca/plans/{empty_plan.pk}/")
    section = page.content.decode().split(f'id="indicator-{indicator.pk}"')[1]
    section = section.split("</section>")[0]
    assert "目標値・実績値はまだ入力されていません。" in section
    assert "<table" not in section and "<svg" not in section
