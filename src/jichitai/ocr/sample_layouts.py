"""The A4 layouts of the synthetic forms of ``samples``: each field's box in millimetres, its type,
and what the blank form prints in it (a guided date's era and 年月日, options to circle, boxes for
one digit each, a 円 at its end)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Zone:
    name: str
    label: str
    type: str
    box_mm: tuple[float, float, float, float]
    critical: bool = False
    options: tuple[str, ...] = ()  # choice: the printed options, one to circle
    era: str = ""  # date: printed as 令和　年　月　日, one sub-zone per number
    cells: int = 0  # digits: printed as this many boxes side by side, one digit written in each
    round: bool = False  # checkbox: printed as a circle
    unit: str = ""  # printed at the box's right end (円, 人)


# Where a guided date's printed words and its number sub-zones sit, as fractions of the box's width.
GUIDE_WORDS = (("era", 0.03), ("年", 0.37), ("月", 0.61), ("日", 0.87))
GUIDE_PARTS = {"year": (0.18, 0.18), "month": (0.44, 0.16), "day": (0.68, 0.18)}


# Three different layouts; boxes in millimetres of an A4 page.
LAYOUTS: dict[str, tuple[str, list[Zone]]] = {
    "genkyo": (
        "児童扶養手当 現況届",
        [
            Zone("name", "氏名", "text", (60, 50, 110, 14), True),
            Zone("kana", "フリガナ", "kana", (60, 68, 110, 12)),
            Zone("birth", "生年月日", "date", (60, 84, 90, 12), True),
            Zone("postal", "郵便番号", "postal", (60, 100, 50, 12)),
            Zone("address", "住所", "text", (60, 116, 130, 14)),
            Zone("phone", "電話番号", "phone", (60, 134, 80, 12)),
            Zone("income", "所得額(円)", "amount", (60, 150, 80, 12), True),
            Zone("children", "対象児童数", "digits", (60, 166, 30, 12)),
            Zone("married", "婚姻の有無(有にレ)", "checkbox", (60, 182, 10, 10)),
        ],
    ),
    "tenkyo": (
        "転居届",
        [
            Zone("moved_on", "転居日", "date", (40, 60, 80, 12), True),
            Zone("name", "届出人氏名", "text", (40, 80, 100, 14), True),
            Zone("kana", "ふりがな", "kana", (40, 98, 100, 12)),
            Zone("postal", "新住所 〒", "postal", (40, 118, 50, 12)),
            Zone("address", "新住所", "text", (40, 134, 150, 14)),
            Zone("phone", "連絡先", "phone", (40, 156, 80, 12)),
            Zone("household", "世帯全員", "checkbox", (40, 176, 10, 10)),
            Zone("members", "人数", "digits", (120, 176, 30, 12)),
        ],
    ),
    "hojo": (
        "補助金交付申請書",
        [
            Zone("applied_on", "申請日", "date", (110, 40, 80, 12)),
            Zone("name", "申請者", "text", (70, 70, 100, 14), True),
            Zone("phone", "電話", "phone", (70, 90, 80, 12)),
            Zone("amount", "申請額", "amount", (70, 120, 80, 14), True),
            Zone("account", "口座番号", "digits", (70, 145, 60, 12), True),
            Zone("postal", "郵便番号", "postal", (70, 170, 50, 12)),
            Zone("agree", "誓約に同意", "checkbox", (70, 195, 7, 7)),
        ],
    ),
    "jidou": (
        "児童手当 認定請求書",
        [
            Zone("applied_on", "請求日", "date", (112, 40, 78, 12), era="令和"),
            Zone("name", "請求者氏名", "text", (56, 60, 90, 13), True),
            Zone("kana", "フリガナ", "kana", (56, 76, 90, 11)),
            Zone("postal", "〒", "postal", (56, 92, 44, 11)),
            Zone("address", "住所", "text", (56, 106, 136, 13)),
            Zone("phone", "電話番号", "phone", (56, 124, 60, 11)),
            Zone("spouse", "配偶者", "choice", (152, 124, 38, 11), options=("有", "無")),
            Zone("public", "公務員", "checkbox", (56, 144, 8, 8)),
            Zone("pension", "年金加入", "checkbox", (120, 144, 6, 6)),
        ],
    ),
    # A list of check boxes 6–10 mm wide: every page holds a few marks, so each scan condition and
    # resolution is met by thin ✓ and ○ as well as by thick ones.
    "kakunin": (
        "添付書類 確認票",
        [
            Zone("applied_on", "提出日", "date", (112, 40, 78, 12), era="令和"),
            Zone("name", "提出者氏名", "text", (60, 60, 100, 13), True),
            Zone("id_card", "本人確認書類", "checkbox", (60, 84, 10, 10)),
            Zone("juminhyo", "住民票の写し", "checkbox", (60, 102, 8, 8)),
            Zone("income_cert", "所得証明書", "checkbox", (60, 118, 7, 7)),
            Zone("bankbook", "通帳の写し", "checkbox", (60, 134, 6, 6)),
            Zone("consent", "同意書", "checkbox", (150, 84, 8, 8)),
            Zone("by_mail", "郵送を希望", "checkbox", (150, 102, 6, 6)),
            Zone("proxy", "代理人による", "checkbox", (150, 118, 10, 10)),
            Zone("seal", "印鑑", "checkbox", (150, 136, 7, 7)),
        ],
    ),
    # Narrower, lower boxes packed closer, a ふりがな in hiragana, two options to circle of unequal
    # length, and values from other lists (``sample_values.OTHER_FAMILY``, any address in Mie).
    "kofu": (
        "証明書 交付請求書",
        [
            Zone("requested_on", "請求日", "date", (112, 36, 78, 11), era="令和"),
            Zone("name", "請求者氏名", "text", (50, 54, 96, 12), True),
            Zone("kana", "ふりがな", "kana", (50, 68, 96, 10)),
            Zone("birth", "生年月日", "date", (50, 82, 80, 11)),
            Zone("postal", "〒", "postal", (50, 97, 40, 10)),
            Zone("address", "住所", "text", (50, 110, 145, 12)),
            Zone("phone", "昼間の連絡先", "phone", (50, 126, 64, 10)),
            Zone("copies", "通数", "digits", (160, 126, 20, 10)),
            Zone("fee", "手数料(円)", "amount", (50, 142, 50, 11), True),
            Zone("requester", "請求者", "choice", (145, 142, 50, 11), options=("本人", "代理人")),
            Zone("juminhyo", "住民票", "checkbox", (50, 160, 7, 7)),
            Zone("inkan", "印鑑証明", "checkbox", (105, 160, 7, 7)),
            Zone("koseki", "戸籍", "checkbox", (160, 160, 7, 7)),
        ],
    ),
    # Lower boxes still, a 昭和 guided birth date, 男・女 to circle (one character each) and four
    # options of a 続柄 close together, small check boxes, names with old and rare kanji
    # and kana of ツ/シ/リ and パ/バ (``sample_values.RARE_FAMILY``).
    "kokuho": (
        "国民健康保険 異動届",
        [
            Zone("notified_on", "届出日", "date", (118, 38, 74, 10), era="令和"),
            Zone("name", "世帯主氏名", "text", (48, 52, 92, 11), True),
            Zone("kana", "フリガナ", "kana", (48, 65, 92, 9)),
            Zone("birth", "生年月日", "date", (48, 78, 70, 10), era="昭和"),
            Zone("sex", "性別", "choice", (158, 78, 34, 10), options=("男", "女")),
            Zone(
                "relation",
                "続柄",
                "choice",
                (48, 92, 96, 10),
                options=("本人", "配偶者", "子", "その他"),
            ),
            Zone("postal", "〒", "postal", (48, 106, 38, 10)),
            Zone("address", "住所", "text", (48, 120, 148, 11)),
            Zone("phone", "電話", "phone", (48, 135, 60, 10)),
            Zone("members", "加入者数", "digits", (156, 135, 18, 10)),
            Zone("moved_in", "転入", "checkbox", (60, 150, 6, 6)),
            Zone("moved_out", "転出", "checkbox", (130, 150, 6, 6)),
            Zone("employed", "就職", "checkbox", (60, 160, 6, 6)),
            Zone("retired", "退職", "checkbox", (130, 160, 6, 6)),
            Zone("income", "前年所得(円)", "amount", (48, 172, 56, 10)),
        ],
    ),
    # Digits in printed boxes (a 6-digit 団体コード, one digit a box), amounts with 円 and a count
    # with 人 printed in their box, an address box so narrow that the writing runs to its sides,
    # a round check box and a long flat one.
    "jisseki": (
        "補助金 実績報告書",
        [
            Zone("reported_on", "報告日", "date", (116, 36, 76, 11), era="令和"),
            Zone("code", "団体コード", "digits", (52, 54, 54, 11), cells=6),
            Zone("name", "代表者氏名", "text", (52, 70, 80, 12), True),
            Zone("address", "所在地", "text", (52, 86, 104, 12)),
            Zone("phone", "電話番号", "phone", (52, 102, 62, 11)),
            Zone("spent", "事業費", "amount", (52, 118, 60, 11), True, unit="円"),
            Zone("people", "参加人数", "digits", (162, 118, 24, 11), unit="人"),
            Zone("done", "事業完了", "checkbox", (52, 136, 8, 8), round=True),
            Zone("receipts", "領収書添付", "checkbox", (120, 137, 14, 6)),
            Zone("grant", "交付額", "amount", (52, 152, 60, 11), True, unit="円"),
        ],
    ),
    # Another style: tall, wide boxes in one column under their labels (writing larger than on
    # the other forms), a 7-digit account number one digit a printed box, a phone box twice as
    # wide as its number, three options to circle, round check boxes in a row near each other.
    "suido": (
        "水道 使用開始届",
        [
            Zone("started_on", "使用開始日", "date", (48, 44, 100, 16), True, era="令和"),
            Zone("name", "使用者氏名", "text", (48, 68, 120, 18), True),
            Zone("kana", "フリガナ", "kana", (48, 92, 120, 14)),
            Zone("address", "使用場所", "text", (48, 114, 150, 16)),
            Zone("phone", "電話番号", "phone", (48, 138, 110, 15)),
            Zone("account", "口座番号", "digits", (48, 161, 77, 15), True, cells=7),
            Zone("use", "用途", "choice", (48, 184, 90, 15), options=("家事", "業務", "臨時")),
            Zone("paper", "紙の請求書", "checkbox", (48, 210, 9, 9), round=True),
            Zone("direct", "口座振替", "checkbox", (110, 210, 9, 9), round=True),
            Zone("moving", "転入に伴う", "checkbox", (172, 210, 9, 9), round=True),
        ],
    ),
}
