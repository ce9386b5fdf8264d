"""Demo catalog: the shared groups; the prefecture's public toilet list (current standard layout, a
Shift_JIS CSV) and the statistics of its staff survey; 津市's AED list made from an Excel file laid
out for printing (title row, merged cells, notes); the AED lists of four more 市町 as plain CSV, so the
prefecture's figures compare five publishers; and a draft of 伊勢市 whose check finds errors, so the
validation report can be seen. Place names and coordinates are illustrative."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from openpyxl import Workbook

from jichitai.core.registry import published_tables
from jichitai.opendata import selectors, services
from jichitai.opendata.models import Dataset, Group
from jichitai.procedures.selectors import procedures_of
from jichitai.tenancy.selectors import divisions_of, organization_by_code

GROUPS = [
    ("disaster-prevention", "防災・安全"),
    ("health-welfare", "健康・福祉"),
    ("tourism-culture", "観光・文化"),
    ("facilities", "公共施設"),
    ("administration", "行政・統計"),
]

AED_HEADER = [
    "都道府県コード又は市区町村コード",
    "NO",
    "都道府県名",
    "市区町村名",
    "名称",
    "名称_カナ",
    "住所",
    "方書",
    "緯度",
    "経度",
    "設置位置",
    "電話番号",
    "利用可能曜日",
    "開始時間",
    "終了時間",
    "小児対応設備の有無",
]
AED_ROWS = [
    [
        "津市役所",
        "ツシヤクショ",
        "三重県津市西丸之内23-1",
        "",
        34.7185,
        136.5056,
        "本庁舎1階 市民ロビー",
        "059-229-3100",
        "月火水木金",
        "08:30",
        "17:15",
        "有",
    ],
    [
        "久居総合支所",
        "ヒサイソウゴウシショ",
        "三重県津市久居東鷹跡町246",
        "",
        34.6766,
        136.4693,
        "1階 玄関ホール",
        "059-255-8800",
        "月火水木金",
        "08:30",
        "17:15",
        "有",
    ],
    [
        "津センターパレス",
        "ツセンターパレス",
        "三重県津市大門7-15",
        "",
        34.7207,
        136.5116,
        "2階 エレベーター前",
        "",
        "月火水木金土日",
        "09:00",
        "21:00",
        "無",
    ],
    [
        "津市産業・スポーツセンター",
        "ツシサンギョウスポーツセンター",
        "三重県津市北河路町19-1",
        "",
        34.7431,
        136.4943,
        "メインアリーナ入口",
        "059-253-4010",
        "月火水木金土日",
        "09:00",
        "21:00",
        "有",
    ],
]


def aed_workbook() -> bytes:
    """An AED list as staff keep it in Excel: a title, merged 市区町村名 cells, a note below."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "AED設置箇所"
    sheet.append(["津市 AED設置箇所一覧(令和8年4月1日現在)"])
    sheet.append(AED_HEADER)
    for number, row in enumerate(AED_ROWS, start=1):
        sheet.append(["242012", str(number), "三重県", "津市" if number == 1 else None, *row])
    last = 2 + len(AED_ROWS)
    sheet.merge_cells(f"D3:D{last}")
    sheet.append([])
    sheet.append(["※ 施設の開館時間内のみ利用できます。"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


TOILET_CSV = (
    "全国地方公共団体コード,ID,地方公共団体名,名称,名称_カナ,所在地_連結表記,設置位置,緯度,経度,"
    "男性トイレ総数,女性トイレ総数,男女共用トイレ総数,バリアフリートイレ数,車椅子使用者用トイレ有無,"
    "乳幼児用設備設置トイレ有無,オストメイト設置トイレ有無,利用開始時間,利用終了時間\r\n"
    "240001,0001,三重県,三重県庁 公衆トイレ,ミエケンチョウコウシュウトイレ,三重県津市広明町13,県庁舎1階,34.7302,136.5086,2,2,1,1,有,有,有,08:30,17:15\r\n"
    "240001,0002,三重県,県民の森 公衆トイレ,ケンミンノモリコウシュウトイレ,三重県三重郡菰野町千草,駐車場横,35.0296,136.5151,1,1,1,1,有,無,無,09:00,17:00\r\n"
)

ISE_TOURISM_CSV = (
    "都道府県コード又は市区町村コード,NO,都道府県名,市区町村名,名称,住所,緯度,経度\r\n"
    "242039,1,三重県,伊勢市,伊勢市観光案内所,三重県伊勢市本町14-6,34.4876,136.7089\r\n"
    "242030,2,三重県,伊勢市,二見浦観光案内所,三重県伊勢市二見町茶屋,136.7902,34.5089\r\n"
)


# 伊勢市, 四日市市, 松阪市, 鈴鹿市: one AED (at the city hall) each, in the standard's layout.
MUNICIPAL_AEDS = [
    ("242039", "伊勢市役所", "イセシヤクショ", "三重県伊勢市岩渕1-7-29", 34.4875, 136.7094),
    (
        "242021",
        "四日市市役所",
        "ヨッカイチシヤクショ",
        "三重県四日市市諏訪町1-5",
        34.9652,
        136.6245,
    ),
    ("242047", "松阪市役所", "マツサカシヤクショ", "三重県松阪市殿町1340-1", 34.5779, 136.5276),
    ("242071", "鈴鹿市役所", "スズカシヤクショ", "三重県鈴鹿市神戸1-18-18", 34.8819, 136.5842),
]


MUNICIPAL_AED_HEADER = [
    "全国地方公共団体コード",
    "ID",
    "地方公共団体名",
    "名称",
    "名称_カナ",
    "所在地_連結表記",
    "緯度",
    "経度",
    "設置位置",
    "利用可能曜日",
    "開始時間",
    "終了時間",
    "小児対応設備の有無",
]


def municipal_aed_csv(organization, facility, kana, address, latitude, longitude) -> bytes:
    """One AED in the current standard layout (自治体標準オープンデータセット)."""
    row = [organization.code, "1", organization.name, facility, kana, address, str(latitude),
           str(longitude), "本庁舎1階 正面玄関", "月火水木金", "08:30", "17:15", "有"]  # fmt: skip
    return ("\r\n".join([",".join(MUNICIPAL_AED_HEADER), ",".join(row)]) + "\r\n").encode()


def _load_municipal_aeds() -> list[str]:
    lines = []
    for code, facility, kana, address, latitude, longitude in MUNICIPAL_AEDS:
        organization = organization_by_code(code)
        name = f"aed-{code}"
        if selectors.dataset_name_taken(name):
            continue
        dataset = services.create_dataset(
            actor=None,
            organization=organization,
            name=name,
            title=f"AED設置箇所一覧({organization.name})",
            notes="市の施設に設置しているAEDの一覧です。",
            tags=["AED", "救命", "防災"],
            groups=[_group("disaster-prevention"), _group("health-welfare")],
            frequency=Dataset.Frequency.ANNUAL,
            contact_name=organization.name,
        )
        services.add_resource(
            actor=None,
            dataset=dataset,
            upload=SimpleUploadedFile(
                "aed.csv",
                municipal_aed_csv(organization, facility, kana, address, latitude, longitude),
            ),
            name="AED設置箇所一覧",
            standard="aed",
        )
        services.publish_dataset(actor=None, dataset=dataset)
        lines.append(f"オープンデータ: {organization.name} AED設置箇所一覧(公開)")
    return lines


def _group(name: str) -> Group:
    return selectors.group_by_name_or_id(name)


def _division(organization, name):
    return divisions_of(organization).filter(name=name).first()


@transaction.atomic
def load() -> list[str]:
    lines = []
    existing = selectors.group_names()
    for name, title in GROUPS:
        if name not in existing:
            services.create_group(actor=None, name=name, title=title)
    prefecture = organization_by_code("240001")
    tsu = organization_by_code("242012")
    ise = organization_by_code("242039")

    if not selectors.dataset_name_taken("mie-public-toilets"):
        toilets = services.create_dataset(
            actor=None,
            organization=prefecture,
            name="mie-public-toilets",
            title="公衆トイレ一覧(三重県)",
            notes="県が管理する公衆トイレの一覧です。自治体標準オープンデータセットに準拠しています。",
            tags=["トイレ", "バリアフリー"],
            groups=[_group("facilities")],
            frequency=Dataset.Frequency.ANNUAL,
            division=_division(prefecture, "デジタル改革推進課"),
            contact_name="三重県 デジタル改革推進課",
        )
        services.add_resource(
            actor=None,
            dataset=toilets,
            upload=SimpleUploadedFile("public_toilets.csv", TOILET_CSV.encode("cp932")),
            name="公衆トイレ一覧",
            standard="public-toilets",
        )
        services.publish_dataset(actor=None, dataset=toilets)
        lines.append("オープンデータ: 三重県 公衆トイレ一覧(標準準拠・公開)")

    survey = procedures_of(prefecture).filter(name="スマート自治体に関する職員アンケート").first()
    if survey and not selectors.dataset_name_taken("mie-staff-survey-statistics"):
        statistics = services.create_statistics_dataset(
            actor=None,
            organization=prefecture,
            procedure=survey,
            name="mie-staff-survey-statistics",
            title="スマート自治体に関する職員アンケート 集計結果",
            tags=["アンケート", "スマート自治体"],
            groups=[_group("administration")],
            frequency=Dataset.Frequency.DAILY,
            division=_division(prefecture, "スマート改革推進課"),
        )
        services.publish_dataset(actor=None, dataset=statistics)
        lines.append("オープンデータ: 職員アンケートの集計(5件未満は秘匿、毎日更新)")

    if not selectors.dataset_name_taken("tsu-aed"):
        aed = services.create_dataset(
            actor=None,
            organization=tsu,
            name="tsu-aed",
            title="AED設置箇所一覧(津市)",
            notes="市の施設に設置しているAEDの一覧です。",
            tags=["AED", "救命", "防災"],
            groups=[_group("disaster-prevention"), _group("health-welfare")],
            frequency=Dataset.Frequency.ANNUAL,
            division=_division(tsu, "情報政策課"),
            contact_name="津市 情報政策課",
        )
        services.add_resource(
            actor=None,
            dataset=aed,
            upload=SimpleUploadedFile("aed.xlsx", aed_workbook()),
            name="AED設置箇所一覧",
            standard="aed",
        )
        services.publish_dataset(actor=None, dataset=aed)
        lines.append("オープンデータ: 津市 AED設置箇所一覧(Excel から CSV に変換・公開)")

    if not selectors.dataset_name_taken("ise-tourist-facilities"):
        tourism = services.create_dataset(
            actor=None,
            organization=ise,
            name="ise-tourist-facilities",
            title="観光施設一覧(伊勢市)",
            notes="作成中。標準データセットの検証でエラーが見つかっています。",
            tags=["観光"],
            groups=[_group("tourism-culture")],
            division=_division(ise, "情報政策課"),
        )
        services.add_resource(
            actor=None,
            dataset=tourism,
            upload=SimpleUploadedFile("tourism.csv", ISE_TOURISM_CSV.encode("utf-8-sig")),
            name="観光施設一覧",
            standard="tourist-facilities",
        )
        lines.append("オープンデータ: 伊勢市 観光施設一覧(下書き・検証エラーあり)")
    lines.extend(_load_municipal_aeds())
    return lines


def load_published_tables() -> list[str]:
    """The datasets of the tables other modules offer (県内市町のスマート自治体指標 …), as the daily
    job makes them; running again updates them in place."""
    lines = []
    for _name, table in published_tables.items():
        for organization in table.organizations():
            dataset = services.refresh_published_table(table=table, organization=organization)
            lines.append(f"オープンデータ: {organization.name}「{dataset.title}」を更新")
    return lines
