"""Reading the rows of a CSV file from outside (bank receipts, open data, automation inputs) the
one way: strictly, so a quote never closed is an error naming its line instead of one cell that
silently swallows every line after it, and with the reason told in Japanese, not in the words
of Python's csv module."""

import csv
import io

from django.utils.translation import gettext as _


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


def csv_rows(text: str, delimiter: str = ",") -> list[list[str]]:
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
