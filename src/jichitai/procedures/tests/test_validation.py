"""One validator for every channel: Japanese input is normalised, bad values get a Japanese message
next to their field, conditions are decided on the server, and the result satisfies the generated
JSON Schema 2020-12."""

from jsonschema import Draft202012Validator

from jichitai.procedures.definitions import build_schema, check_definition
from jichitai.procedures.validation import validate_application_data

FIELDS = [
    {"name": "applicant", "type": "name", "label": "氏名", "required": True},
    {"name": "birth", "type": "date", "label": "生年月日", "required": True},
    {"name": "postal", "type": "postal_code", "label": "郵便番号", "required": False},
    {"name": "phone", "type": "phone", "label": "電話番号", "required": False},
    {"name": "email", "type": "email", "label": "メールアドレス", "required": True},
    {
        "name": "count",
        "type": "number",
        "label": "人数",
        "required": True,
        "minimum": 1,
        "maximum": 5,
    },
    {
        "name": "kind",
        "type": "single_choice",
        "label": "区分",
        "required": True,
        "choices": [{"value": "a", "label": "個人"}, {"value": "b", "label": "法人"}],
    },
    {
        "name": "company",
        "type": "text",
        "label": "法人名",
        "required": True,
        "max_length": 10,
        "show_if": {"field": "kind", "values": ["b"]},
    },
    {
        "name": "tools",
        "type": "multiple_choice",
        "label": "使うもの",
        "required": False,
        "choices": [{"value": "x", "label": "X"}, {"value": "y", "label": "Y"}],
    },
    {"name": "agree", "type": "consent", "label": "同意", "required": True},
]
SCHEMA = build_schema(FIELDS, title="テスト")


def valid_raw(**overrides):
    raw = {
        "applicant": {
            "family": "髙橋",
            "given": "一郎",
            "family_kana": "たかはし",
            "given_kana": "ｲﾁﾛｳ",
        },
        "birth": "昭和６０年４月１日",
        "postal": "〒５１４－０００１",
        "phone": "０５９２２４２０３５",
        "email": "ichiro＠example.jp",
        "count": "２",
        "kind": "a",
        "agree": True,
    }
    raw.update(overrides)
    return raw


def test_japanese_input_is_normalised():
    cleaned, errors = validate_application_data(FIELDS, SCHEMA, valid_raw())
    assert errors == {}
    assert cleaned["applicant"] == {
        "family": "髙橋",
        "given": "一郎",
        "family_kana": "タカハシ",
        "given_kana": "イチロウ",
    }
    assert cleaned["birth"] == "1985-04-01"
    assert cleaned["postal"] == "514-0001"
    assert cleaned["phone"] == "059-224-2035"
    assert cleaned["email"] == "ichiro@example.jp"
    assert cleaned["count"] == 2
    assert "company" not in cleaned
    Draft202012Validator(SCHEMA).validate(cleaned)


def test_each_bad_field_gets_its_own_message():
    _, errors = validate_application_data(
        FIELDS,
        SCHEMA,
        valid_raw(
            birth="令和元年4月30日", postal="51400", count="9", email="nope", kind="z", agree=False
        ),
    )
    assert errors["birth"] == ["「令和元年4月30日」は令和の期間(令和元年5月1日〜)にない日付です。"]
    assert errors["postal"] == ["郵便番号は7桁の数字で入力してください。例: 514-0001"]
    assert errors["count"] == ["5以下の値を入力してください。"]
    assert errors["email"] == ["メールアドレスの形式が正しくありません。例: taro@example.jp"]
    assert errors["kind"] == ["選択肢から選んでください。"]
    assert errors["agree"] == ["「同意」への同意が必要です。"]


def test_a_text_may_hold_line_breaks_and_tabs_but_no_other_control_character():
    kept, errors = validate_application_data(
        FIELDS, SCHEMA, valid_raw(kind="b", company="津\t市\r\n役所")
    )
    assert errors == {} and kept["company"] == "津\t市\r\n役所"
    for control in ("\x00", "\x08", "\x0b", "\x0c", "\x1b", "\x1f"):
        _, errors = validate_application_data(
            FIELDS, SCHEMA, valid_raw(kind="b", company=f"津{control}市")
        )
        assert errors["company"] == ["使用できない制御文字が含まれています。"], repr(control)


def test_each_schema_is_validated_against_by_its_own_rules():
    """The validator of a schema is kept per process; another schema (a new version of the form)
    gets its own, even for the same fields."""
    assert validate_application_data(FIELDS, SCHEMA, valid_raw())[1] == {}
    stricter = build_schema(FIELDS)
    stricter["properties"]["postal"]["pattern"] = "^999"
    assert validate_application_data(FIELDS, stricter, valid_raw())[1] == {
        "postal": ["形式が正しくありません。"]
    }
    assert validate_application_data(FIELDS, SCHEMA, valid_raw())[1] == {}


def test_missing_required_fields_are_named():
    _, errors = validate_application_data(FIELDS, SCHEMA, {})
    assert errors["applicant"] == ["「氏名」を入力してください。"]
    assert errors["kind"] == ["「区分」を選んでください。"]
    assert "postal" not in errors


def test_a_half_filled_name_says_what_is_missing():
    raw = valid_raw(
        applicant={"family": "三重", "given": "", "family_kana": "ミエ", "given_kana": "たろう"}
    )
    _, errors = validate_application_data(FIELDS, SCHEMA, raw)
    assert errors["applicant"] == ["名を入力してください。"]
    raw = valid_raw(
        applicant={"family": "三重", "given": "太郎", "family_kana": "Mie", "given_kana": "タロウ"}
    )
    assert validate_application_data(FIELDS, SCHEMA, raw)[1]["applicant"] == [
        "セイはカタカナで入力してください。"
    ]


def test_conditional_questions_are_required_only_when_shown():
    _, errors = validate_application_data(FIELDS, SCHEMA, valid_raw(kind="b"))
    assert errors["company"] == ["「法人名」を入力してください。"]
    cleaned, errors = validate_application_data(
        FIELDS, SCHEMA, valid_raw(kind="a", company="無視される")
    )
    assert errors == {} and "company" not in cleaned
    _, errors = validate_application_data(
        FIELDS, SCHEMA, valid_raw(kind="b", company="とても長い法人名の株式会社")
    )
    assert errors["company"] == ["10文字以内で入力してください。"]


def test_the_schema_alone_expresses_the_condition():
    validator = Draft202012Validator(SCHEMA)
    cleaned, _ = validate_application_data(FIELDS, SCHEMA, valid_raw())
    assert validator.is_valid(cleaned)
    assert not validator.is_valid({**cleaned, "kind": "b"})  # 法人 without 法人名
    assert validator.is_valid({**cleaned, "kind": "b", "company": "三重商事"})


def test_unknown_keys_are_refused_when_asked():
    _, errors = validate_application_data(FIELDS, SCHEMA, valid_raw(extra="x"), reject_unknown=True)
    assert errors == {"extra": ["この項目はこの手続にありません。"]}


def test_multiple_choice_keeps_the_forms_order():
    cleaned, errors = validate_application_data(FIELDS, SCHEMA, valid_raw(tools=["y", "x"]))
    assert errors == {}
    assert cleaned["tools"] == ["x", "y"]


def test_definitions_are_checked_for_the_builder():
    problems = check_definition(
        [
            {"name": "Bad Name", "type": "text", "label": "A"},
            {"name": "a", "type": "single_choice", "label": "B", "choices": []},
            {
                "name": "b",
                "type": "text",
                "label": "C",
                "show_if": {"field": "zzz", "values": ["x"]},
            },
            {"name": "c", "type": "persons", "label": "D"},
            {"name": "d", "type": "persons", "label": "E"},
        ]
    )
    assert any("項目名は半角英小文字" in p for p in problems)
    assert any("選択肢を1つ以上" in p for p in problems)
    assert any("表示条件は、この項目より前の" in p for p in problems)
    assert any("人数の項目は1つまで" in p for p in problems)
