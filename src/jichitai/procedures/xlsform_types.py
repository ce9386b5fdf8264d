"""What XLSForm's words mean here: which question types map to which field types, which are left
out or refused and why, how a yes/no is written, which language a column heading names."""

import re

from django.utils.translation import gettext_noop

# pyxform's question type → our field type.
SUPPORTED_TYPES = {
    "text": "text",
    "string": "text",
    "integer": "number",
    "int": "number",
    "decimal": "number",
    "phone number": "phone",
    "date": "date",
    "time": "time",
    "dateTime": "datetime",
    "datetime": "datetime",
    "geopoint": "geopoint",
    "gps": "geopoint",
    "select one": "single_choice",
    "select all that apply": "multiple_choice",
    # A slider on a phone; here a number between start and end in steps (``range_bounds``).
    "range": "number",
    # A code a phone scans; here the resident types it (imported with a warning).
    "barcode": "text",
    "acknowledge": "consent",
    # pyxform's own name for acknowledge: an "OK" the person ticks, like the 同意 checkbox.
    "trigger": "consent",
    "file": "file",
    # pyxform's name for ``image``: a picture, checked as one (``PICTURE_KINDS``).
    "photo": "file",
    "image": "file",
    "note": "note",
    "calculate": "calculate",
}
# This platform's own types, for the Japanese field kinds XLSForm has no word for; pyxform is
# given them as text and they are restored afterwards.
OWN_TYPES = {
    "email": "email",
    "phone": "phone",
    "postal_code": "postal_code",
    "name": "name",
    "address": "address",
    "persons": "persons",
    "yes_no": "yes_no",
}
# What a phone collects about itself: nothing a resident answers on the web.
DEVICE_METADATA = {
    "start",
    "end",
    "today",
    "deviceid",
    "uri:deviceid",
    "simserial",
    "subscriberid",
    "phonenumber",
    "username",
    "audit",
    "start-geopoint",
}
REFUSED_TYPES = {
    "geotrace": gettext_noop("位置の線(geotrace)"),
    "geoshape": gettext_noop("位置の範囲(geoshape)"),
    "audio": gettext_noop("録音(audio)"),
    "video": gettext_noop("動画(video)"),
    "osm": gettext_noop("地図(OSM)"),
    "rank": gettext_noop("順位付け(rank)"),
    "select one external": gettext_noop("外部選択肢(select_one_external)"),
    "include": gettext_noop("他のフォームの取込み(include)"),
    "entity": gettext_noop("エンティティ"),
    "attribute": gettext_noop("属性(attribute)"),
}
# Why a refused type cannot be honoured, where the type's name does not say it: the upload checks
# (``core.uploads.check_upload``) open pictures, PDFs and Office files, and have no reader that
# could tell a real recording from something else named .mp3 or .mp4.
REFUSED_REASONS = {
    "audio": gettext_noop("音声ファイルは中身を安全に確かめられないため、受け付けられません。"),
    "video": gettext_noop("動画ファイルは中身を安全に確かめられないため、受け付けられません。"),
}
PICTURE_KINDS = ["jpeg", "png"]
# XLSForm's own range when its parameters leave a bound out.
RANGE_DEFAULTS = {"start": "1", "end": "10", "step": "1"}
# Types whose XLSForm default is written in XLSForm's own form (seconds, a time zone, altitude).
READ_DEFAULTS = {"time", "datetime", "geopoint"}
TRUE_VALUES = {"yes", "true", "true()", "1", "はい"}
FALSE_VALUES = {"", "no", "false", "false()", "0", "いいえ"}
LANGUAGE_CODES = {
    "japanese": "ja",
    "日本語": "ja",
    "やさしい日本語": "ja-easy",
    "english": "en",
    "portuguese": "pt",
    "português": "pt",
    "spanish": "es",
    "español": "es",
    "vietnamese": "vi",
    "tiếng việt": "vi",
    "chinese": "zh",
    "中文": "zh",
    "tagalog": "tl",
    "filipino": "tl",
    "french": "fr",
    "swahili": "sw",
}


def language_code(name: str) -> str:
    """The code of a language named in a column heading: ``label::English (en)`` or ``label::English``."""
    match = re.search(r"\(([A-Za-z-]{2,8})\)\s*$", name)
    if match:
        return match[1].lower()
    return LANGUAGE_CODES.get(name.strip().lower(), name.strip().lower())
