"""Every page names itself first and the service second, so a browser tab, a bookmark and a screen
reader's page list say which page it is (JIS X 8341-3 / WCAG 2.4.2 Page Titled)."""

import re
from pathlib import Path

import pytest
from django.test import Client

PACKAGE = Path(__file__).resolve().parents[2]
PAGES = sorted(
    template
    for template in PACKAGE.glob("*/templates/**/*.html")
    if re.search(r'\{%\s*extends\s+"base\.html"', template.read_text(encoding="utf-8"))
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "title"),
    [
        ("/", "トップ | jichitai スマート自治体"),
        ("/accounts/login/", "職員ログイン | jichitai スマート自治体"),
    ],
)
def test_the_page_title_is_the_page_then_the_service(path, title, prefecture):
    page = Client().get(path).content.decode()
    assert f"<title>{title}</title>" in page


def test_there_are_pages_to_check():
    assert len(PAGES) > 50


@pytest.mark.parametrize("template", PAGES, ids=lambda template: str(template.relative_to(PACKAGE)))
def test_every_page_names_itself(template):
    assert re.search(r"\{%\s*block title\s*%\}\s*\S", template.read_text(encoding="utf-8"))
