"""KPI charts read on a phone: below ~600 px pages show the narrow drawing (``narrow_svg``), whose
labels are at least 12 px at 360 px and never overlap one another; at 1280 px the wide drawing is
shown. Checked on the drawing itself (label boxes from the SVG) and in Chromium (boxes and sizes as
rendered)."""

import re

import pytest
from defusedxml import ElementTree as ET

from jichitai.pdca.charts import NARROW_WIDTH, narrow_svg, text_width

SVG = "{http://www.w3.org/2000/svg}"
# A 360 px phone shows the page's content 328 px wide (16 px margins each side).
PHONE_CONTENT_WIDTH = 328

SEED_POINTS = {
    # 電子申請・届出システムによる申請件数 (seeds 000 and 002): close figures side by side.
    "件": [
        {"label": "R2年度", "target": 22400.0, "actual": 22299.0},
        {"label": "R3年度", "target": 22600.0, "actual": None},
        {"label": "R4年度", "target": None, "actual": None},
        {"label": "R5年度", "target": 23000.0, "actual": None},
    ],
    # Large and small figures together, and a zero.
    "千円": [
        {"label": "令和2年度", "target": 1116009.0, "actual": 1008782.0},
        {"label": "令和3年度", "target": 840727.0, "actual": 0.0},
        {"label": "令和4年度", "target": 501.0, "actual": 1795.0},
    ],
    "%": [
        {"label": "R2年度", "target": 10.0, "actual": 9.5},
        {"label": "R3年度", "target": 20.0, "actual": 20.0},
    ],
}


def _label_boxes(svg: str) -> tuple[list[tuple], tuple]:
    root = ET.fromstring(svg)
    view_box = tuple(float(n) for n in root.get("viewBox").split())
    boxes = []
    for text in root.iter(f"{SVG}text"):
        size = float(text.get("font-size"))
        x, y, width = float(text.get("x")), float(text.get("y")), text_width(text.text, size)
        anchor = text.get("text-anchor", "start")
        left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        boxes.append((left, y - size * 0.88, left + width, y + size * 0.12, size, text.text))
    return boxes, view_box


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("unit", list(SEED_POINTS))
def test_the_narrow_chart_has_large_labels_that_do_not_overlap(unit):
    svg = narrow_svg(SEED_POINTS[unit], title="指標", unit=unit, decimals=None)
    boxes, (x0, y0, width, height) = _label_boxes(svg)
    assert width == NARROW_WIDTH <= PHONE_CONTENT_WIDTH
    # Drawn at 328/320 of its size on the phone, 12.3 px and more.
    assert min(box[4] for box in boxes) * PHONE_CONTENT_WIDTH / width >= 12
    for index, box in enumerate(boxes):
        assert x0 <= box[0] and box[2] <= x0 + width, box
        assert y0 <= box[1] and box[3] <= y0 + height, box
        for other in boxes[index + 1 :]:
            assert not _overlap(box, other), (box[5], other[5])
    if unit == "件":
        assert {"22,400", "22,299"} <= {box[5] for box in boxes}


def test_in_english_the_legend_is_english_and_still_clear():
    from django.utils import translation

    with translation.override("en"):
        svg = narrow_svg(SEED_POINTS["件"], title="Applications", unit="件")
    boxes, _view_box = _label_boxes(svg)
    assert {"Target", "Actual"} <= {box[5] for box in boxes}
    for index, box in enumerate(boxes):
        assert not any(_overlap(box, other) for other in boxes[index + 1 :]), box[5]


def test_the_label_check_sees_an_overlap():
    # The wide chart scaled to a phone is what the narrow one replaces: its labels are small.
    from jichitai.pdca.charts import target_actual_svg

    svg = target_actual_svg(SEED_POINTS["件"], title="指標", unit="件")
    boxes, (_x, _y, width, _h) = _label_boxes(svg)
    assert min(box[4] for box in boxes) * PHONE_CONTENT_WIDTH / width < 12
    crowded = [(0, 0, 50, 13, 13, "1,000"), (40, 5, 90, 18, 13, "2,000")]
    assert _overlap(*crowded)


# How many lines an element's text takes as rendered.
LINES_OF_TEXT = (
    "node => { const r = document.createRange(); r.selectNodeContents(node);"
    " return r.getClientRects().length; }"
)
RENDERED_LABELS = """
(selector) => [...document.querySelectorAll(selector)].filter(svg => svg.getClientRects().length)
  .flatMap(svg => [...svg.querySelectorAll('text')].map(text => {
    const box = text.getBoundingClientRect();
    const size = parseFloat(text.getAttribute('font-size')) * text.getScreenCTM().a;
    return {text: text.textContent, size, left: box.left, top: box.top, right: box.right,
            bottom: box.bottom, chart: svg.getAttribute('aria-label')};
  }))
"""


def _rendered_overlaps(labels):
    overlaps = []
    for index, a in enumerate(labels):
        for b in labels[index + 1 :]:
            if a["chart"] == b["chart"] and (
                a["left"] < b["right"] - 0.5
                and b["left"] < a["right"] - 0.5
                and a["top"] < b["bottom"] - 0.5
                and b["top"] < a["bottom"] - 0.5
            ):
                overlaps.append((a["text"], b["text"]))
    return overlaps


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_360_px_phone_the_charts_are_narrow_and_readable(
    phone, page, demo, tmp_path, accessible
):
    url = "/o/240001/plans/smart-government-policy/"
    small = phone()
    small.goto(url)
    accessible(small)
    assert small.locator("svg.kpi-chart").first.is_hidden()
    labels = small.evaluate(RENDERED_LABELS, "svg.kpi-chart-narrow")
    charts = {label["chart"] for label in labels}
    assert len(charts) == 3 and any(re.fullmatch(r"22,299", x["text"]) for x in labels)
    assert min(label["size"] for label in labels) >= 12, labels
    assert all(label["right"] <= 360 for label in labels)
    assert _rendered_overlaps(labels) == []
    assert small.evaluate("document.documentElement.scrollWidth") <= 360
    # The budget per 年度 beside the charts: an amount stays on one line.
    amount = small.get_by_role("cell", name="1,116,009", exact=True)
    lines = amount.evaluate(LINES_OF_TEXT)
    box = amount.bounding_box()
    assert lines == 1 and box["x"] + box["width"] <= 360
    # So do an indicator's 年度 and a figure with its unit (22,400件, 10.0%).
    for table, name in [
        (".indicator-years", "令和2年度"),
        (".indicator-years", "22,400件"),
        (".budget-totals", "令和2年度"),
    ]:
        cell = small.locator(table).get_by_text(name, exact=True).first
        assert cell.evaluate(LINES_OF_TEXT) == 1, name
    small.screenshot(path=tmp_path / "plan-360.png", full_page=True)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url)
    assert page.locator("svg.kpi-chart-narrow").first.is_hidden()
    wide = page.evaluate(RENDERED_LABELS, "svg.kpi-chart")
    assert {label["chart"] for label in wide} == charts
    assert _rendered_overlaps(wide) == []
    page.screenshot(path=tmp_path / "plan-1280.png", full_page=True)
    accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_staff_plan_page_reads_at_360_and_1280_px(
    phone, page, demo, make_member, settings, tmp_path, accessible
):
    from django.contrib.auth import get_user_model

    from jichitai.pdca.models import Plan
    from jichitai.tenancy.models import Organization, Role

    settings.JICHITAI_DEMO_LOGIN_WITHOUT_OTP = True
    viewer = make_member(Organization.objects.get(code="240001"), Role.VIEWER, username="chart-v")
    get_user_model().objects.filter(pk=viewer.pk).update(is_demo=True)
    url = f"/s/240001/pdca/plans/{Plan.objects.get(organization__code='240001', slug='smart-government-policy').pk}/"
    for width, browser_page in ((360, phone()), (1280, page)):
        browser_page.set_viewport_size({"width": width, "height": 900})
        browser_page.goto("/accounts/login/")
        browser_page.get_by_label("ログインID").fill("chart-v")
        browser_page.get_by_label("パスワード").fill("correct-horse-battery")
        browser_page.get_by_role("button", name="ログイン").click()
        browser_page.goto(url)
        selector = "svg.kpi-chart-narrow" if width == 360 else "svg.kpi-chart"
        labels = browser_page.evaluate(RENDERED_LABELS, selector)
        assert len({label["chart"] for label in labels}) == 3
        assert _rendered_overlaps(labels) == []
        if width == 360:
            assert min(label["size"] for label in labels) >= 12
            assert browser_page.evaluate("document.documentElement.scrollWidth") <= 360
        total = browser_page.locator("#budget-total-2020")
        assert total.inner_text() == "312,451" and total.is_visible()
        browser_page.screenshot(path=tmp_path / f"staff-{width}.png", full_page=True)
        accessible(browser_page)
