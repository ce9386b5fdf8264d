"""A JSON body holding a lone UTF-16 surrogate is refused however it carries it; any other body is
read as ``json.loads`` reads it."""

import json

import pytest

from jichitai.api.parsing import UnpairedSurrogate, parse_json


@pytest.mark.parametrize(
    "body",
    [
        b'{"name": "\\ud800"}',  # an escape
        b'{"name": "\\uDFFF"}',
        '{"name": "\\ud800"}'.encode("utf-16"),  # an escape in UTF-16
        b'{"name": "\xed\xa0\x80"}',  # the surrogate's own bytes, which json.loads lets through
    ],
    ids=["escape", "upper-case escape", "utf-16", "encoded bytes"],
)
def test_a_lone_surrogate_is_refused(body):
    with pytest.raises(UnpairedSurrogate):
        parse_json(body)


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({"氏名": "三重 花子"}, ensure_ascii=False).encode(),
        json.dumps({"氏名": "三重 花子", "絵文字": "😀"}).encode(),  # a pair of escapes
        json.dumps({"氏名": "三重 花子"}, ensure_ascii=False).encode("utf-16"),
        "\ufeff".encode() + json.dumps({"氏名": "三重"}, ensure_ascii=False).encode(),
    ],
    ids=["utf-8", "escaped pair", "utf-16", "utf-8 with a byte order mark"],
)
def test_any_other_body_is_read_as_json_loads_reads_it(body):
    assert parse_json(body) == json.loads(body)
