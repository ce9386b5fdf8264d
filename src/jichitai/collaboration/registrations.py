"""What the prefecture–municipality register plugs into other apps: live metrics (so plan
indicators and report texts take their figures from the records), staff navigation, the demo."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jichitai.collaboration import demo, peers, selectors
from jichitai.collaboration.models import AdoptionState, Measure
from jichitai.core.metrics import Metric, MetricParameter
from jichitai.core.published_tables import PublishedTable
from jichitai.core.registry import metrics, published_tables
from jichitai.core.templatetags.japanese import nendo
from jichitai.dashboard.registry import NavItem, navigation
from jichitai.demo.registry import DemoLoader, demo_loaders


def _initiative_choices(organization) -> list[tuple[str, str]]:
    return [
        (initiative.slug, f"{initiative.name}({nendo(initiative.fiscal_year)})")
        for initiative in selectors.initiatives_of(organization)
    ]


def _initiative_figure(key: str):
    def compute(organization, fiscal_year, initiative):
        found = selectors.initiative_by_slug(organization, initiative)
        return None if found is None else selectors.participation_figures(found)[key]

    return compute


def _survey_figure(key: str):
    def compute(organization, fiscal_year, initiative):
        found = selectors.initiative_by_slug(organization, initiative)
        figures = selectors.survey_figures(found) if found is not None else None
        return None if figures is None else figures[key]

    return compute


_INITIATIVE = (
    MetricParameter("initiative", _("市町連携の取組"), _initiative_choices, required=True),
)

for name, label, unit, key, description in (
    (
        "municipalities",
        _("取組に参加した市町の数"),
        "市町",
        "municipalities",
        _("参加記録のある市町の数。"),
    ),
    ("staff", _("取組に参加した市町職員の数"), "名", "staff", _("市町ごとの参加人数の合計。")),
    ("sessions", _("取組の開催回数"), "回", "sessions", _("登録された開催回の数。")),
):
    metrics.register(
        f"collaboration.{name}",
        Metric(
            name=f"collaboration.{name}",
            label=label,
            unit=unit,
            compute=_initiative_figure(key),
            parameters=_INITIATIVE,
            description=description,
        ),
    )
for name, label, unit, key in (
    ("survey_positive", _("事後アンケートで肯定的に回答した市町の数"), "市町", "positive"),
    ("survey_answered", _("事後アンケートに回答した市町の数"), "市町", "answered"),
    ("survey_share", _("事後アンケートで肯定的に回答した市町の割合"), "%", "share"),
):
    metrics.register(
        f"collaboration.{name}",
        Metric(
            name=f"collaboration.{name}",
            label=label,
            unit=unit,
            compute=_survey_figure(key),
            parameters=_INITIATIVE,
            description=_("市町ごとに1件の回答から集計。"),
        ),
    )
metrics.register(
    "collaboration.adopting_municipalities",
    Metric(
        name="collaboration.adopting_municipalities",
        label=_("取組の状況ごとの市町の数"),
        unit="市町",
        compute=lambda organization, fiscal_year, measure, state=AdoptionState.ADOPTED: (
            selectors.adopting_municipalities(organization, fiscal_year, measure, state)
        ),
        parameters=(
            MetricParameter(
                "measure", _("取組"), lambda organization: list(Measure.choices), required=True
            ),
            MetricParameter(
                "state", _("状況(空欄なら導入済)"), lambda organization: list(AdoptionState.choices)
            ),
        ),
        description=_("各市町が登録したその年度の導入状況から集計。"),
    ),
)

published_tables.register(
    "collaboration.municipal_figures",
    PublishedTable(
        name="collaboration.municipal_figures",
        title=_("県内市町のスマート自治体指標"),
        notes=_(
            "県内の市町ごとの電子申請の件数(受付経路別・月別)、オンライン化された手続の割合、受付から完了までの日数と標準処理期間内に完了した割合、オープンデータの公開数と5つ星評価、AI-OCRで読み取った紙のページ数、RPAによる削減時間を、プラットフォームの記録から前年度と今年度について集計したものです。個人の情報や個々の回答は含みません。5件未満の件数と、そこから分かってしまう数は「秘匿」としています。値が空欄の項目は、その数値がないことを示します。"
        ),
        organizations=selectors.prefectures_with_municipalities,
        rows=peers.published_rows,
        dataset_name=lambda prefecture: f"{prefecture.code}-municipal-figures",
        tags=("市町連携", "スマート自治体", "統計"),
    ),
)
navigation.register(
    "collaboration",
    NavItem(pgettext_lazy("staff menu", "市町連携"), "collaboration:home", order=45),
)
demo_loaders.register("collaboration", DemoLoader(load=demo.load, order=35))
