"""The field types' names in the active language. The registry (``fields.py``) keeps each type's
Japanese name; the built-in ones are marked here for the translation catalogue, and a type
registered elsewhere is shown by its own name until its catalogue has it."""

from django.utils.translation import gettext, gettext_noop

from jichitai.procedures.registry import field_types

CATALOGUED = (
    gettext_noop("1行テキスト"),
    gettext_noop("複数行テキスト"),
    gettext_noop("数値"),
    gettext_noop("日付(和暦可)"),
    gettext_noop("時刻"),
    gettext_noop("日時(和暦可)"),
    gettext_noop("位置情報(緯度・経度)"),
    gettext_noop("メールアドレス"),
    gettext_noop("電話番号"),
    gettext_noop("郵便番号"),
    gettext_noop("氏名(姓・名・フリガナ)"),
    gettext_noop("住所"),
    gettext_noop("単一選択"),
    gettext_noop("複数選択"),
    gettext_noop("同意チェック"),
    gettext_noop("はい・いいえ"),
    gettext_noop("添付ファイル"),
    gettext_noop("人数(定員に数える)"),
    gettext_noop("説明文(入力なし)"),
    gettext_noop("見出し(ページ・区切り)"),
    gettext_noop("ページ区切り(次のページへ)"),
    gettext_noop("計算(自動)"),
    gettext_noop("繰返し(子どもなど、同じ項目を複数回)"),
)


def field_type_name(code: str) -> str:
    """``single_choice`` → 単一選択 (Single choice in English); an unknown code as it is."""
    if code not in field_types:
        return code
    return gettext(field_types.get(code).label)
