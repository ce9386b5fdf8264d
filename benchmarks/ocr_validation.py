"""Validation paper forms for ``make bench-ocr``: two more 申請書, drawn and filled by the held-out
forms' code (``benchmarks/ocr_heldout.py``) with layouts and names of their own, so that the
reader's weaknesses on forms it was not tuned on can be looked at field by field without looking
at the held-out set (nothing under ``src/`` imports this module either).

印鑑登録申請書 has a 昭和 guided birth date, 男・女 and はい・いいえ to circle, a fee of a few
hundred yen and four check boxes; 犬の登録申請書 a 平成 guided birth date, オス・メス to circle,
a dog's age in one or two digits, a fee with a comma and five check boxes. The names are none of
the held-out or tuning ones: kanji that are easily taken for another (荻・萩, 末・未, 太・大, 士・土,
玉・王, 日・曰), 濁点 in the reading, and given names in hiragana (some with small kana) or
katakana. Addresses, postal codes and phone numbers are drawn as for the held-out forms.
"""

from benchmarks.ocr_heldout import TOWNS, FormSet, Layout, Zone

LAYOUTS = {
    "inkan": Layout(
        "inkan",
        "印鑑登録申請書",
        [
            Zone("applied_on", "申請日", "date", (128, 34, 66, 11), era="令和"),
            Zone("name", "申請者 氏名", "text", (52, 50, 90, 13)),
            Zone("kana", "フリガナ", "kana", (52, 65, 90, 10)),
            Zone("birth", "生年月日", "date", (52, 79, 70, 11), era="昭和"),
            Zone("sex", "性別", "choice", (160, 79, 34, 11), options=("男", "女")),
            Zone("postal", "郵便番号", "postal", (52, 94, 36, 11)),
            Zone("phone", "電話番号", "phone", (128, 94, 66, 11)),
            Zone("address", "住所", "text", (52, 109, 142, 13)),
            Zone(
                "proxy", "代理人による申請", "choice", (52, 126, 44, 11), options=("はい", "いいえ")
            ),
            Zone("fee", "手数料(円)", "amount", (140, 126, 54, 11), amounts=(300, 200, 500)),
            Zone("id_license", "運転免許証", "checkbox", (52, 142, 8, 8)),
            Zone("id_passport", "パスポート", "checkbox", (52, 154, 8, 8)),
            Zone("id_mynumber", "マイナンバーカード", "checkbox", (110, 142, 8, 8)),
            Zone("guarantor", "保証人による確認", "checkbox", (110, 154, 8, 8)),
        ],
    ),
    "inu": Layout(
        "inu",
        "犬の登録申請書",
        [
            Zone("applied_on", "申請年月日", "date", (120, 30, 72, 11), era="令和"),
            Zone("postal", "郵便番号", "postal", (46, 46, 40, 11)),
            Zone("phone", "電話番号", "phone", (128, 46, 66, 11)),
            Zone("address", "所有者 住所", "text", (46, 60, 148, 13)),
            Zone("name", "所有者 氏名", "text", (46, 76, 80, 13)),
            Zone("dog_sex", "犬の性別", "choice", (160, 76, 34, 13), options=("オス", "メス")),
            Zone("kana", "フリガナ", "kana", (46, 92, 80, 10)),
            Zone("birth", "生年月日", "date", (46, 105, 72, 11), era="平成"),
            Zone("dog_age", "犬の年齢(歳)", "digits", (166, 105, 28, 11), numbers=(1, 18)),
            Zone(
                "vaccinated",
                "狂犬病予防注射",
                "choice",
                (46, 120, 44, 11),
                options=("はい", "いいえ"),
            ),
            Zone("fee", "手数料(円)", "amount", (140, 120, 54, 11), amounts=(3000, 3550, 550)),
            Zone("new", "新規登録", "checkbox", (46, 134, 8, 8)),
            Zone("moved_in", "転入による登録", "checkbox", (46, 145, 8, 8)),
            Zone("reissue", "鑑札の再交付", "checkbox", (46, 156, 8, 8)),
            Zone("microchip", "マイクロチップ装着済", "checkbox", (110, 134, 8, 8)),
            Zone("agree", "記載内容に相違ありません", "checkbox", (110, 145, 8, 8)),
        ],
    ),
}

FAMILY = [
    ("荻野", "オギノ"),
    ("末松", "スエマツ"),
    ("今村", "イマムラ"),
    ("太田", "オオタ"),
    ("斉藤", "サイトウ"),
    ("大塚", "オオツカ"),
    ("日吉", "ヒヨシ"),
    ("水谷", "ミズタニ"),
    ("玉木", "タマキ"),
    ("石原", "イシハラ"),
    ("谷口", "タニグチ"),
    ("川瀬", "カワセ"),
]
GIVEN = [
    ("未来", "ミライ"),
    ("太一", "タイチ"),
    ("恵", "メグミ"),
    ("聡", "サトシ"),
    ("千夏", "チナツ"),
    ("博之", "ヒロユキ"),
    ("士郎", "シロウ"),
    ("美穂", "ミホ"),
    ("あゆみ", "アユミ"),
    ("りょう", "リョウ"),
    ("ゆずは", "ユズハ"),
    ("マリア", "マリア"),
]

VALIDATION = FormSet(LAYOUTS, FAMILY, GIVEN, TOWNS)
