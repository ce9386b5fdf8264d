"""Small real files for tests: a one-page PDF, a PNG, an XLSX, and the same with active content
(JavaScript, actions, embedded files in a PDF; macros and external links in a workbook); a YAML
alias bomb; a workbook with one of its parts rewritten (a sheet's XML damaged, a dimension or a
merge it claims)."""

import io
import zipfile
from collections.abc import Callable

from openpyxl import Workbook
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject


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


# The XML of a workbook's first sheet, as openpyxl and Excel name it.
FIRST_SHEET = "xl/worksheets/sheet1.xml"


def with_part_rewritten(data: bytes, part: str, rewrite: Callable[[bytes], bytes]) -> bytes:
    """The Office file ``data`` with its zip member ``part`` rewritten by ``rewrite``."""
    source, output = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item, rewrite(content) if item.filename == part else content)
    return output.getvalue()


def _action(kind: str, **entries: str) -> DictionaryObject:
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = TextStringObject(value)
    return action


def active_pdf_bytes(kind: str) -> bytes:
    """A one-page PDF with one kind of active content: ``open_javascript`` (/OpenAction running
    /JS), ``document_javascript`` (/Names /JavaScript), ``launch`` (/OpenAction /Launch),
    ``page_action`` (a page's /AA), ``embedded_file`` (/Names /EmbeddedFiles)."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    root = writer._root_object
    if kind == "open_javascript":
        root[NameObject("/OpenAction")] = _action("/JavaScript", JS="app.alert('x')")
    elif kind == "document_javascript":
        script = writer._add_object(_action("/JavaScript", JS="app.alert('x')"))
        names = ArrayObject([TextStringObject("start"), script])
        root[NameObject("/Names")] = DictionaryObject(
            {NameObject("/JavaScript"): DictionaryObject({NameObject("/Names"): names})}
        )
    elif kind == "launch":
        root[NameObject("/OpenAction")] = _action("/Launch", F="cmd.exe")
    elif kind == "page_action":
        page[NameObject("/AA")] = DictionaryObject(
            {NameObject("/O"): _action("/URI", URI="http://10.0.0.1/")}
        )
    elif kind == "embedded_file":
        writer.add_attachment("invoice.exe", b"MZ\x90\x00")
    else:
        raise ValueError(kind)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_opening_at_its_first_page() -> bytes:
    """An ordinary PDF whose /OpenAction only shows page 1 fitted to the window."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    destination = ArrayObject([page.indirect_reference, NameObject("/Fit")])
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/GoTo"), NameObject("/D"): destination}
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def office_bytes_with(base: bytes, extra: dict[str, bytes]) -> bytes:
    """An Office file (``base``, a zip) with more parts added, e.g. ``xl/vbaProject.bin``."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            target.writestr(entry, source.read(entry.filename))
        for name, content in extra.items():
            target.writestr(name, content)
    return output.getvalue()


# A few hundred bytes that a loader with aliases expands to millions of list items.
ALIAS_BOMB = """name: bomb
title: 爆弾
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
"""
