"""Small real files for tests: a one-page PDF, a PNG, an XLSX."""

import io

from openpyxl import Workbook
from PIL import Image
from pypdf import PdfWriter


def pdf_bytes(width: float = 595, height: float = 842) -> bytes:
    """A blank one-page PDF; the page size is in points (A4 by default)."""
    writer = PdfWriter()
    writer.add_blank_page(width=width, height=height)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_bytes(width: int = 20, height: int = 20) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (width, height), 255).save(buffer, format="PNG")
    return buffer.getvalue()


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
