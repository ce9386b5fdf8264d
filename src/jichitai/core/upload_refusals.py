"""How an upload is refused: one exception that a form shows next to the file field, and the
sentences shared by the checks of several kinds of file (zip-based Office files, PDFs, images)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

# Larger than an A3 page scanned at 600 dpi (≈ 7000 × 9900), far below what exhausts memory.
# The same limit holds for a PDF page rasterised at the resolution it will be read at.
MAX_IMAGE_PIXELS = 80_000_000


class UploadRejected(ValidationError):
    pass


def too_large_expanded(name: str) -> str:
    return gettext("「%(name)s」は展開後のサイズが大きすぎるため受け付けられません。") % {
        "name": name
    }


def contains(name: str, what: str) -> str:
    return gettext("「%(name)s」には%(what)sが含まれているため受け付けられません。") % {
        "name": name,
        "what": what,
    }
