"""What the procedures module adds to the platform's registries: live metrics, staff home cards,
navigation, the public section of /o/<code>/, the demo, and the API routers."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jichitai.api.registry import ApiRouter, routers
from jichitai.core.metrics import Metric, MetricParameter
from jichitai.core.registry import metrics
from jichitai.dashboard.registry import Card, NavItem, cards, navigation
from jichitai.demo.registry import DemoLoader, demo_loaders
from jichitai.portal.registry import Entrance, PublicSection, Shortcut, entrances, public_sections
from jichitai.procedures import demo, demo_busy_day, figures, selectors
from jichitai.procedures.api import public_router, staff_router
from jichitai.procedures.documents import panels
from jichitai.procedures.models import Application
from jichitai.procedures.registry import Panel, applicant_panels, staff_panels
from jichitai.procedures.resident.selectors import languages_offered
from jichitai.tenancy.models import Role


def _procedure_choices(organization) -> list[tuple[str, str]]:
    return [(str(p.pk), p.name) for p in selectors.procedures_of(organization)]


def _count_applications(organization, fiscal_year, procedure_ids=None, channel=""):
    ids = [int(i) for i in procedure_ids] if procedure_ids else None
    return selectors.total_applications(
        organization, fiscal_year, procedure_ids=ids, channel=channel
    )


metrics.register(
    "procedures.applications",
    Metric(
        name="procedures.applications",
        label=_("電子申請・届出の申請件数"),
        unit="件",
        compute=_count_applications,
        parameters=(
            MetricParameter(
                "procedure_ids", _("対象の手続(選ばなければすべて)"), choices=_procedure_choices
            ),
            MetricParameter(
                "channel",
                _("受付経路(空欄ならすべて)"),
                choices=lambda org: list(Application.Channel.choices),
            ),
        ),
        description=_("その年度に受け付けた申請の件数(取下げを除く)。"),
        since=lambda organization, procedure_ids=None, channel="": selectors.first_application_day(
            organization, procedure_ids=[int(i) for i in procedure_ids or []]
        ),
        compute_many=lambda organizations, fiscal_year, procedure_ids=None, channel="": (
            figures.application_counts(
                organizations, fiscal_year, procedure_ids=procedure_ids, channel=channel
            )
        ),
    ),
)
metrics.register(
    "procedures.catalog_procedures",
    Metric(
        name="procedures.catalog_procedures",
        label=_("手続一覧に登録された手続の数"),
        unit="件",
        compute=lambda organization, fiscal_year: selectors.catalog_count(
            organization, fiscal_year
        ),
        description=_(
            "年度末の時点で手続一覧に登録されている手続(受付終了を含み、下書きを除く)の数。"
        ),
        compute_many=figures.catalog_counts,
    ),
)
metrics.register(
    "procedures.online_share",
    Metric(
        name="procedures.online_share",
        label=_("オンライン化された手続の割合"),
        unit="%",
        compute=lambda organization, fiscal_year: selectors.online_share(organization, fiscal_year),
        description=_("手続一覧に登録された手続のうち、オンラインで受け付けている手続の割合。"),
        compute_many=figures.online_shares,
    ),
)


def _processing_figure(key: str):
    def compute_many(organizations, fiscal_year):
        return {
            organization_id: found[key]
            for organization_id, found in figures.processing_times(
                organizations, fiscal_year
            ).items()
        }

    def compute(organization, fiscal_year):
        return compute_many([organization], fiscal_year)[organization.pk]

    return compute, compute_many


for _name, _label, _unit, _key, _description in (
    (
        "completed_applications",
        _("完了した申請の件数"),
        "件",
        "completed",
        _("その年度に受け付け、完了した申請の件数。"),
    ),
    (
        "processing_days_median",
        _("受付から完了までの日数(中央値)"),
        "日",
        "median_days",
        _("その年度に受け付けて完了した申請の、受付日から完了日までの暦日数の中央値。"),
    ),
    (
        "within_period_share",
        _("標準処理期間内に完了した申請の割合"),
        "%",
        "within_period_share",
        _(
            "標準処理期間を定めた手続で、その年度に受け付けて完了した申請のうち、処理期限までに完了したものの割合。"
        ),
    ),
):
    _compute, _compute_many = _processing_figure(_key)
    metrics.register(
        f"procedures.{_name}",
        Metric(
            name=f"procedures.{_name}",
            label=_label,
            unit=_unit,
            compute=_compute,
            description=_description,
            since=lambda organization: selectors.first_application_day(organization),
            compute_many=_compute_many,
        ),
    )
metrics.register(
    "procedures.survey_answer_share",
    Metric(
        name="procedures.survey_answer_share",
        label=_("アンケートで特定の回答を選んだ人の割合"),
        unit="%",
        compute=lambda organization, fiscal_year, procedure_id, question, answers: (
            selectors.answer_share(
                organization,
                fiscal_year,
                procedure_id=procedure_id,
                question=question,
                answers=answers,
            )
        ),
        parameters=(
            MetricParameter(
                "procedure_id", _("アンケートの手続"), choices=_procedure_choices, required=True
            ),
            MetricParameter("question", _("設問の項目名"), required=True),
            MetricParameter("answers", _("数える回答(複数可)"), required=True),
        ),
        description=_(
            "例: 「スマート自治体の進展を実感しますか」で「実感している」を選んだ職員の割合。"
        ),
        since=lambda organization, procedure_id, **_parameters: selectors.first_application_day(
            organization, procedure_ids=[int(procedure_id)]
        ),
    ),
)


def _inbox_card(request):
    return selectors.inbox_summary(request.membership)


def _procedures_card(request):
    return selectors.procedure_summary(request.membership)


cards.register(
    "procedures.inbox", Card(_("受付箱"), "procedures/cards/inbox.html", _inbox_card, order=30)
)
cards.register(
    "procedures.catalog",
    Card(
        pgettext_lazy("staff home card", "手続"),
        "procedures/cards/procedures.html",
        _procedures_card,
        order=31,
    ),
)
navigation.register("procedures.inbox", NavItem(_("受付箱"), "procedures:inbox", order=10))
navigation.register(
    "procedures.catalog",
    NavItem(
        pgettext_lazy("staff menu", "手続・フォーム"), "procedures:list", order=11, role=Role.VIEWER
    ),
)


def _public_section(request, organization):
    procedures = list(selectors.open_procedures(organization)[:10])
    return {"procedures": procedures, "organization": organization} if procedures else None


public_sections.register(
    "procedures",
    PublicSection(
        _("オンライン手続"), "procedures/public/_section.html", _public_section, order=10
    ),
)
demo_loaders.register("procedures", DemoLoader(load=demo.load, order=20))
demo_loaders.register("procedures.busy_day", DemoLoader(load=demo_busy_day.load, order=21))

routers.register("procedures", ApiRouter("/v1/", public_router))
routers.register("procedures.staff", ApiRouter("/v1/staff/", staff_router))

staff_panels.register(
    "issued_documents",
    Panel(_("発行文書"), "procedures/documents/staff_panel.html", panels.staff_panel, order=30),
)
applicant_panels.register(
    "issued_documents",
    Panel(
        _("発行された文書"),
        "procedures/documents/applicant_panel.html",
        panels.applicant_panel,
        order=10,
    ),
)


entrances.register(
    "procedures.finder",
    Entrance(
        _("手続をさがす"),
        "resident:finder",
        _("県と市町の手続を、名前やお住まいの郵便番号からさがせます。"),
        order=10,
        shortcuts=lambda: [
            Shortcut(name, f"?lang={code}", lang) for code, name, lang in languages_offered()
        ],
    ),
)
entrances.register(
    "procedures.status",
    Entrance(
        _("手続の状況を確認する"),
        "resident:lookup",
        _("受付番号と、申請したときのメールアドレスまたは生年月日で確認します。"),
        order=20,
    ),
)
entrances.register(
    "procedures.my_applications",
    Entrance(
        _("申請した手続の一覧"),
        "resident:my_applications_request",
        _("受付番号が分からないときは、申請に使ったメールアドレスに一覧のリンクをお送りします。"),
        order=30,
    ),
)
