"""What the open data module adds to the platform's registries: live metrics, the staff card and
navigation, the public section of /o/<code>/, the demo and the facet matrix read before serving (the scheduled refresh of statistics is
in ``jobs.py``)."""

from django.utils.translation import gettext_lazy as _

from jichitai.core.metrics import Metric, MetricParameter
from jichitai.core.registry import metrics, serving_warmups
from jichitai.dashboard.registry import Card, NavItem, cards, navigation
from jichitai.demo.registry import DemoLoader, demo_loaders
from jichitai.opendata import demo, facets, figures, selectors
from jichitai.portal.registry import Entrance, PublicSection, entrances, public_sections
from jichitai.tenancy.models import Organization, Role

serving_warmups.register("opendata.facet_matrix", facets.preload)

metrics.register(
    "opendata.published_datasets",
    Metric(
        name="opendata.published_datasets",
        label=_("公開しているオープンデータのデータセット数"),
        unit="件",
        compute=selectors.published_dataset_count,
        description=_("その年度末までに公開し、削除していないデータセットの数。"),
        since=selectors.published_since,
        compute_many=figures.published_counts,
    ),
)


def _stars_parameter(organization) -> list[tuple[str, str]]:
    return [(str(stars), "★" * stars) for stars in range(1, 5)]


metrics.register(
    "opendata.datasets_rated",
    Metric(
        name="opendata.datasets_rated",
        label=_("5つ星評価が一定以上のデータセット数"),
        unit="件",
        compute=lambda organization, fiscal_year, stars="3": figures.rated_at_least(
            [organization], fiscal_year, int(stars)
        )[organization.pk],
        parameters=(MetricParameter("stars", _("★の数(以上、空欄なら★3)"), _stars_parameter),),
        description=_(
            "その年度末までに公開したデータセットのうち、オープンデータの5つ星評価(★3: CSV など機械判読できるオープンな形式、★4: RDF)が指定の数以上のものの数。"
        ),
        since=selectors.published_since,
        compute_many=lambda organizations, fiscal_year, stars="3": figures.rated_at_least(
            organizations, fiscal_year, int(stars)
        ),
    ),
)
metrics.register(
    "opendata.mean_stars",
    Metric(
        name="opendata.mean_stars",
        label=_("公開データセットの5つ星評価の平均"),
        unit="★",
        compute=lambda organization, fiscal_year: figures.mean_stars(
            [organization], fiscal_year
        ).get(organization.pk),
        description=_(
            "その年度末までに公開したデータセットの、ライセンスとリソースの形式による5つ星評価の平均。"
        ),
        since=selectors.published_since,
        compute_many=figures.mean_stars,
    ),
)


def _publishing_municipalities(organization, fiscal_year):
    if organization.kind != Organization.Kind.PREFECTURE:
        return None
    return selectors.publishing_municipality_count(organization, fiscal_year)


metrics.register(
    "opendata.publishing_municipalities",
    Metric(
        name="opendata.publishing_municipalities",
        label=_("オープンデータを公開している市町の数"),
        unit="市町",
        compute=_publishing_municipalities,
        description=_(
            "県内の市町のうち、その年度末までにデータセットを1件以上公開した市町の数(県のみ)。"
        ),
        since=selectors.municipalities_published_since,
    ),
)


def _card(request):
    return selectors.dataset_counts(request.tenant)


cards.register(
    "opendata.catalog",
    Card(_("オープンデータ"), "opendata/cards/catalog.html", _card, order=40),
)
navigation.register(
    "opendata.catalog", NavItem(_("オープンデータ"), "opendata:list", order=30, role=Role.VIEWER)
)


def _public_section(request, organization):
    datasets = selectors.latest_public_datasets(organization, limit=10)
    return {"datasets": datasets, "organization": organization} if datasets else None


public_sections.register(
    "opendata",
    PublicSection(_("オープンデータ"), "opendata/public/_section.html", _public_section, order=20),
)


entrances.register(
    "opendata.catalog",
    Entrance(
        _("オープンデータ"),
        "opendata_public:catalog",
        _("県と市町が公開しているデータを、さがしてダウンロードできます(CC BY)。"),
        order=40,
    ),
)

demo_loaders.register("opendata", DemoLoader(load=demo.load, order=30))
# After every module whose figures the published tables carry.
demo_loaders.register(
    "opendata.published_tables", DemoLoader(load=demo.load_published_tables, order=90)
)
