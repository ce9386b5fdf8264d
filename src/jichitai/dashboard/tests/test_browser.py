"""The staff menu as it shows on a desk screen, in real Chromium."""

import pytest

from jichitai.tenancy.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("locale", ["ja-JP", "en-US"])
def test_the_staff_menu_fits_one_row_on_a_desk_screen(
    desk, prefecture, make_member, locale, accessible
):
    """Every entry of the daily work is in sight at once on a 1280 px screen, in English as in
    Japanese: a second row of entries under the first reads as a sub-menu of them."""
    page = desk(make_member(prefecture, Role.ADMIN), locale=locale)
    page.goto(f"/s/{prefecture.code}/")
    entries = page.locator("nav.staff-nav a")
    tops = {round(box["y"]) for box in (entry.bounding_box() for entry in entries.all())}
    assert entries.count() >= 10
    assert len(tops) == 1, f"{entries.count()} entries over {len(tops)} rows"
    accessible(page)
