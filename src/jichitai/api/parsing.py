"""Reading JSON request bodies as text a database can store.

JSON may escape a lone UTF-16 surrogate (``"\\ud800"``); Python decodes it into a string that no
UTF-8 database, log or e-mail can encode, so such a body is refused before anything reads it.
"""

import json

from ninja.parser import Parser


class UnpairedSurrogate(ValueError):
    """The body holds a lone UTF-16 surrogate, which is not a character."""

    message = (
        "リクエストの本文に文字として使えないコード(対になっていないサロゲート \\ud800〜\\udfff)が"
        "含まれています。UTF-8 の文字として送ってください。"
    )


def parse_json(body: bytes):
    data = json.loads(body)
    if b"\\u" not in body and b"\x00" not in body and _utf8(body):
        # No escape, and UTF-8 (no NUL byte, which the other encodings JSON may come in put
        # beside every ASCII character): the text holds only the characters UTF-8 encodes, none of
        # them a surrogate, and the whole check below would find none.
        return data
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise UnpairedSurrogate(UnpairedSurrogate.message) from None
    return data


def _utf8(body: bytes) -> bool:
    """Whether ``body`` is strict UTF-8 (which encodes no surrogate; ``json.loads`` itself lets
    one encoded in the bytes through)."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def parsed_body(request):
    """The request's JSON body (an empty body is ``{}``), parsed once per request: a view that
    reads the body itself gets what ninja's body parameter has already parsed."""
    if "_parsed_json" not in request.__dict__:
        request._parsed_json = parse_json(request.body or b"{}")
    return request._parsed_json


class TextJsonParser(Parser):
    def parse_body(self, request):
        return parsed_body(request)
