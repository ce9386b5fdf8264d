"""YAML from outside (scenarios written by staff, uploaded files) is read without aliases, within a
size and a nesting depth, and refused with a Japanese message naming the line."""

import pytest

from jichitai.core.safe_yaml import MAX_YAML_BYTES, YamlRefused, compose_yaml, load_yaml
from jichitai.core.tests.samples import ALIAS_BOMB


def test_ordinary_yaml_reads_as_plain_data_in_order():
    data = load_yaml("name: sample\ntitle: 電気使用量の集計\nsteps:\n  - {step: csv.read}\n")
    assert data == {"name": "sample", "title": "電気使用量の集計", "steps": [{"step": "csv.read"}]}
    assert list(data) == ["name", "title", "steps"]
    assert compose_yaml("a: 1\n").value[0][0].value == "a"


def test_an_alias_bomb_is_refused_before_it_expands():
    with pytest.raises(YamlRefused) as refused:
        load_yaml(ALIAS_BOMB)
    assert str(refused.value).startswith(
        "3行目: YAML の別名(アンカー「&」・エイリアス「*」)は使えません。"
    )
    with pytest.raises(YamlRefused, match="別名"):
        compose_yaml(ALIAS_BOMB)


@pytest.mark.parametrize(
    "source",
    [
        "base: &base {a: 1}\nother:\n  <<: *base\n",
        "only_an_anchor: &x 1\n",
        "! &x [1]\n",
    ],
)
def test_anchors_and_merge_keys_are_refused_too(source):
    with pytest.raises(YamlRefused, match="別名"):
        load_yaml(source)


def test_python_objects_are_never_built():
    with pytest.raises(YamlRefused, match="YAML として読めません"):
        load_yaml("x: !!python/object/apply:os.system ['true']\n")


def test_size_and_depth_are_bounded():
    with pytest.raises(YamlRefused, match="大きすぎます"):
        load_yaml("a: " + "x" * MAX_YAML_BYTES)
    with pytest.raises(YamlRefused, match="入れ子が深すぎます"):
        load_yaml("[" * 3000 + "]" * 3000)
    assert load_yaml("[" * 20 + "]" * 20) == [[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]


def test_a_syntax_error_names_the_line():
    with pytest.raises(YamlRefused, match="2行目: YAML として読めません"):
        load_yaml("name: a\n  title: [\n")


def test_a_control_character_pasted_into_the_text_is_refused_with_its_line():
    """A character YAML forbids (here U+0001, as copying from some systems leaves behind) made
    the scenario form fail with a server error instead of saying where it is."""
    with pytest.raises(YamlRefused, match=r"2行目: YAML に使えない文字\(U\+0001\)"):
        load_yaml("name: a\ntitle: b\x01c\n")
