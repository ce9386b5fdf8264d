from jichitai.pdca.models import Action, ActionYear, Indicator, IndicatorYear, Node, Plan


def plan_with_action(organization, *, slug=None, first_year=2024, last_year=2028) -> Plan:
    """A small plan of ``organization``: one level, one action, one indicator."""
    number = Plan.objects.filter(organization=organization).count() + 1
    plan = Plan.objects.create(
        organization=organization,
        slug=slug or f"plan-{number}",
        name=f"テスト計画{number}",
        kind=Plan.Kind.POLICY,
        first_year=first_year,
        last_year=last_year,
    )
    node = Node.objects.create(plan=plan, number=1, title="業務改善")
    action = Action.objects.create(
        plan=plan, node=node, number=1, policies="1", title="RPA の導入", division_name="情報政策課"
    )
    ActionYear.objects.create(
        action=action, fiscal_year=first_year, schedule="検討", status_text=""
    )
    indicator = Indicator.objects.create(plan=plan, kind="main", name="申請件数", unit="件")
    IndicatorYear.objects.create(indicator=indicator, fiscal_year=first_year, target=100)
    return plan
