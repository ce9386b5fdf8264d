"""Property-based checks of the one validator every channel uses: for any form built from the field
types and any data a client could send, validation answers with cleaned values and messages per
field, never with an exception; what it accepts always satisfies the form's JSON Schema; values a
person would type correctly are accepted."""

import datetime

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jichitai.procedures.definitions import build_schema, check_definition
from jichitai.procedures.registry import field_types
from jichitai.procedures.validation import validate_application_data

TYPES = [
    name
    for name, kind in field_types.items()
    if kind.is_question and not kind.is_file and name != "persons"
]
CHOICES = [{"value": v, "label": v} for v in ("はい", "いいえ", "未定")]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**12), max_value=10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=60),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def forms(draw):
    types = draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=8))
    fields = []
    for position, kind in enumerate(types):
        spec = {
            "name": f"f{position}",
            "type": kind,
            "label": f"項目{position}",
            "required": draw(st.booleans()),
        }
        if field_types.get(kind).has_choices:
            spec["choices"] = CHOICES
        if kind == "number":
            spec["minimum"], spec["maximum"] = 0, 100
        if kind == "repeat":
            spec["min_repeat"], spec["max_repeat"] = draw(st.sampled_from([(0, 3), (1, 2)]))
            spec["children"] = [
                {"name": "c_text", "type": "text", "label": "文字", "required": True},
                {"name": "c_date", "type": "date", "label": "日付"},
                {"name": "c_choice", "type": "single_choice", "label": "選択", "choices": CHOICES},
            ]
        if position and draw(st.booleans()) and fields[0]["type"] == "single_choice":
            spec["show_if"] = {"field": "f0", "values": ["はい"]}
        fields.append(spec)
    assert not check_definition(fields)
    return fields


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fields=forms(), raw=st.dictionaries(st.text(max_size=8), json_values, max_size=8))
def test_any_data_gets_an_answer_and_accepted_data_fits_the_schema(fields, raw):
    schema = build_schema(fields)
    # Some keys are the form's own names, so real fields get arbitrary values too.
    raw = {
        **raw,
        **{spec["name"]: value for spec, value in zip(fields, raw.values(), strict=False)},
    }

    cleaned, errors = validate_application_data(fields, schema, raw, reject_unknown=True)

    names = {spec["name"] for spec in fields}
    assert set(cleaned) <= names
    assert all(isinstance(messages, list) and messages for messages in errors.values())
    assert all(isinstance(message, str) and message for m in errors.values() for message in m)
    # A repeat's row errors are named <repeat>.<row>.<child>.
    assert all(name in raw or name.split(".")[0] in names for name in errors)
    if not errors:
        jsonschema.validate(cleaned, schema, format_checker=jsonschema.FormatChecker())


def typed_value(kind: str):
    """What a person would type into a field of ``kind``, in the forms people really use."""
    if kind == "repeat":
        row = st.fixed_dictionaries(
            {"c_text": typed_value("text")},
            optional={"c_date": typed_value("date"), "c_choice": typed_value("single_choice")},
        )
        return st.lists(row, min_size=1, max_size=2)
    return {
        "text": st.text(alphabet="あいうえお漢字ABCabc123 ", min_size=1, max_size=30).filter(
            str.strip
        ),
        "textarea": st.text(alphabet="あいう\n漢字abc ", min_size=1, max_size=200).filter(
            str.strip
        ),
        "number": st.integers(min_value=0, max_value=100).map(str),
        "date": st.dates(
            min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2030, 12, 31)
        ).flatmap(
            lambda day: st.sampled_from(
                [day.isoformat(), f"{day.year}年{day.month}月{day.day}日", day.strftime("%Y/%m/%d")]
            )
        ),
        "time": st.times().flatmap(
            lambda moment: st.sampled_from(
                [
                    moment.strftime("%H:%M"),
                    f"{moment.hour}時{moment.minute}分",
                    moment.strftime("%H:%M:%S"),
                ]
            )
        ),
        "datetime": st.datetimes(
            min_value=datetime.datetime(1990, 1, 1), max_value=datetime.datetime(2030, 12, 31)
        ).flatmap(
            lambda moment: st.sampled_from(
                [
                    moment.strftime("%Y-%m-%dT%H:%M"),
                    f"{moment.year}年{moment.month}月{moment.day}日 {moment.hour}時{moment.minute}分",
                    moment.strftime("%Y/%m/%d %H:%M"),
                ]
            )
        ),
        "geopoint": st.tuples(
            st.floats(min_value=-90, max_value=90), st.floats(min_value=-180, max_value=180)
        ).flatmap(
            lambda point: st.sampled_from(
                [
                    {"latitude": str(point[0]), "longitude": str(point[1])},
                    {"latitude": point[0], "longitude": point[1]},
                    f"{point[0]} {point[1]} 0 0",
                ]
            )
        ),
        "email": st.sampled_from(["hanako@example.jp", "TARO.mie@pref.example.lg.jp"]),
        "phone": st.sampled_from(["059-224-3070", "０５９２２４３０７０", "090-1234-5678"]),
        "postal_code": st.sampled_from(["514-8570", "5148570", "５１４－８５７０"]),
        "name": st.just(
            {"family": "三重", "given": "花子", "family_kana": "みえ", "given_kana": "ハナコ"}
        ),
        "address": st.just({"postal_code": "514-8570", "address": "三重県津市広明町13番地"}),
        "single_choice": st.sampled_from([c["value"] for c in CHOICES]),
        "multiple_choice": st.lists(
            st.sampled_from([c["value"] for c in CHOICES]), min_size=1, max_size=3, unique=True
        ),
        "consent": st.sampled_from([True, "on", "true"]),
        "yes_no": st.sampled_from([True, False, "yes", "no", "はい", "いいえ"]),
    }[kind]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), fields=forms())
def test_values_typed_correctly_are_accepted(data, fields):
    fields = [{**spec, "show_if": None} if "show_if" in spec else spec for spec in fields]
    fields = [{k: v for k, v in spec.items() if v is not None} for spec in fields]
    schema = build_schema(fields)
    raw = {
        spec["name"]: data.draw(typed_value(spec["type"]), label=spec["name"]) for spec in fields
    }

    cleaned, errors = validate_application_data(fields, schema, raw)

    assert errors == {}, (raw, errors)
    assert set(cleaned) == {spec["name"] for spec in fields}
    jsonschema.validate(cleaned, schema, format_checker=jsonschema.FormatChecker())
