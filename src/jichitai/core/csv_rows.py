"""Reading the rows of a CSV file from outside (bank receipts, open data, automation inputs) the
one way: strictly, so a quote never closed is an error naming its line instead of one cell that
silently swallows every line after it, and with the reason told in Japanese, not in the words
of Python's csv module. Its text is decoded the one way too, from any encoding a Japanese office
saves a table in."""

import codecs
import csv
import io

from django.utils.translation import gettext as _


class UndecodableText(ValueError):
    """The bytes are in none of the encodings ``decode_text`` reads, or not in the one their byte
    order mark claims; ``str()`` tells the person who made the file what to do."""

    def __str__(self) -> str:
        return _("文字コードを判別できません。UTF-8 か Shift_JIS で保存し直してください。")


def decode_text(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was in: UTF-8 with or without a byte order mark, UTF-16 with
    one (what Excel's 「Unicode テキスト」 saves), or Shift_JIS (CP932). A byte order mark decides:
    bytes that do not follow the one they start with are refused, not read as Shift_JIS."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "cp932"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # No text a person saves holds NUL: such bytes are a binary file, or UTF-32.
        if "\x00" not in text:
            return text, encoding
    raise UndecodableText


def delimiter_of(text: str) -> str:
    """The character between the cells: a tab in a table Excel saved as 「テキスト (タブ区切り)」 or
    「Unicode テキスト」 (its first filled line has tabs and no comma), otherwise a comma."""
    first_line = next((line for line in io.StringIO(text, newline=None) if line.strip()), "")
    return "\t" if "\t" in first_line and "," not in first_line else ","


class UnreadableCsv(ValueError):
    """The text is not CSV from ``line`` on; ``str()`` says where and why, for the person who
    made the file."""

    def __init__(self, line: int, reason: str) -> None:
        self.line, self.reason = line, reason
        super().__init__(
            _("%(line)s行目から CSV として読めません(%(reason)s)。")
            % {"line": line, "reason": reason}
        )


def _reason(error: csv.Error) -> str:
    text = str(error)
    if "unexpected end of data" in text:
        return _('引用符(")が閉じられないまま、ファイルが終わっています')
    if "expected after" in text:
        return _('引用符(")で囲んだ値の後に、区切りのカンマがありません')
    if "field larger than field limit" in text:
        return _("1つのセルが大きすぎます")
    return text


def csv_rows(text: str, delimiter: str | None = None) -> list[list[str]]:
    """The rows of ``text``, its cells separated by ``delimiter``: by default, the one
    ``delimiter_of`` finds."""
    delimiter = delimiter or delimiter_of(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = []
    while True:
        # The line the next row starts on: a quote never closed is told where it was opened.
        starts_on = reader.line_num + 1
        try:
            rows.append(next(reader))
        except StopIteration:
            return rows
        except csv.Error as error:
            raise UnreadableCsv(starts_on, _reason(error)) from None
