"""Reading PDFs back in tests (poppler-utils from Debian): the text as laid out, and the fonts."""

import subprocess


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["/usr/bin/pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def pdf_fonts(content: bytes) -> list[str]:
    """One line per font, e.g. ``CCDUBL+IPAexGothic CID TrueType Identity-H yes yes yes 13 0``."""
    output = subprocess.run(
        ["/usr/bin/pdffonts", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return [line for line in output.splitlines()[2:] if line.strip()]


def all_fonts_embedded(content: bytes) -> bool:
    fonts = pdf_fonts(content)
    return bool(fonts) and all(" yes yes " in line for line in fonts)
