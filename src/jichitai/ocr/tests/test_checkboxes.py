"""Check boxes as people mark them, read on rendered pages of the tuning layout 現況届: a mark that is
one stroke across the box is sure however thin or pale, and a little ink in a box read as empty
goes to a person (``mark_unclear``); an empty box stays quiet."""

import random

import numpy as np
import pytest
from PIL import ImageDraw

from jichitai.ocr import extract, marks, reasons, samples

DPI = 200


def _marked(style: str, ink: int = 0, seed: int = 0, condition: str = "clean") -> np.ndarray:
    """The 現況届 with only its check box 婚姻の有無 marked the way ``style`` says."""
    image = samples.filled_form("genkyo", {}, dpi=DPI)
    zone = next(z for z in samples.LAYOUTS["genkyo"][1] if z.name == "married")
    box = tuple(round(mm / 25.4 * DPI) for mm in zone.box_mm)
    rng = random.Random(seed)
    samples.draw_check_mark(ImageDraw.Draw(image), box, style, rng, ink, DPI)
    return np.asarray(samples.degrade(image, condition, rng))


@pytest.mark.parametrize(("style", "ink"), [("short", 0), ("slash", 0), ("pale tick", 0)])
def test_a_thin_short_or_pale_stroke_across_the_box_is_checked_without_a_doubt(
    genkyo_extractor, style, ink
):
    field = genkyo_extractor.extract(_marked(style, ink)).fields["married"]
    assert field.value is True
    assert not field.flagged


def test_a_dot_in_a_box_read_as_empty_goes_to_a_person():
    image = samples.filled_form("genkyo", {}, dpi=DPI)
    zone = next(z for z in samples.LAYOUTS["genkyo"][1] if z.name == "married")
    x, y, w, h = (round(mm / 25.4 * DPI) for mm in zone.box_mm)
    # A pen rested in the box: a blot too small to be a mark, too big to be a speck of noise.
    ImageDraw.Draw(image).ellipse([x + w // 2, y + h // 2, x + w // 2 + 4, y + h // 2 + 4], fill=0)
    template = samples.template_for("genkyo")
    field = extract.Extractor(template, np.asarray(samples.blank_form("genkyo"))).extract(
        np.asarray(image)
    )
    married = field.fields["married"]
    assert married.value is False
    assert married.reasons == [reasons.UNCLEAR_MARK]


def test_a_stroke_is_told_from_scattered_grain():
    stroke = np.zeros((40, 40), np.uint8)
    stroke[20, 5:25] = 1  # one line half the box long
    grain = np.zeros((40, 40), np.uint8)
    grain[::6, ::6] = 1  # specks as many as the line has pixels, none joined
    assert marks.longest_stroke(stroke) == pytest.approx(0.5)
    assert marks.longest_stroke(grain) < marks.STROKE


@pytest.mark.parametrize("seed", range(3))
def test_an_empty_box_on_a_faint_scan_is_not_doubted(genkyo_extractor, seed):
    page = samples.degrade(samples.blank_form("genkyo"), "faint", random.Random(seed))
    field = genkyo_extractor.extract(np.asarray(page)).fields["married"]
    assert field.value is False and not field.flagged


@pytest.fixture(scope="module")
def kakunin_extractor():
    return extract.Extractor(
        samples.template_for("kakunin"), np.asarray(samples.blank_form("kakunin"))
    )


@pytest.mark.parametrize("seed", range(4))
def test_a_fine_pencil_ring_on_a_faint_150_dpi_scan_is_never_read_empty_without_a_doubt(
    kakunin_extractor, seed
):
    # A ○ drawn with a fine pencil, scanned at 150 dpi on a pale, grainy scanner: the grain breaks
    # it into specks no stroke measure joins, yet the box is darker than the paper around it.
    image = samples.blank_form("kakunin", 150)
    zone = next(z for z in samples.LAYOUTS["kakunin"][1] if z.name == "income_cert")
    box = tuple(round(mm / 25.4 * 150) for mm in zone.box_mm)
    rng = random.Random(seed)
    samples.draw_check_mark(ImageDraw.Draw(image), box, "thin ring", rng, 178, 150)
    page = np.asarray(samples.degrade(image, "faint", rng))
    field = kakunin_extractor.extract(page).fields["income_cert"]
    assert field.value is True or reasons.UNCERTAIN_MARK in field.reasons


@pytest.mark.parametrize("condition", ["clean", "rotated jpeg", "photo", "faint"])
def test_empty_boxes_of_the_check_list_stay_quiet(kakunin_extractor, condition):
    page = samples.degrade(samples.blank_form("kakunin", 150), condition, random.Random(5))
    fields = kakunin_extractor.extract(np.asarray(page)).fields
    boxes = [f for name, f in fields.items() if name not in ("applied_on", "name")]
    assert all(f.value is False and not f.flagged for f in boxes)


def _box_moved(page: np.ndarray, layout: str, name: str, dy: int) -> np.ndarray:
    """``page`` with the part around the check box ``name`` moved ``dy`` pixels down: a photo whose
    perspective the page's alignment leaves that far off in one corner."""
    zone = next(z for z in samples.LAYOUTS[layout][1] if z.name == name)
    x, y, w, h = (round(mm / 25.4 * DPI) for mm in zone.box_mm)
    moved = page.copy()
    reach = max(w, h)
    top, bottom, left, right = y - reach, y + h + reach, x - reach, x + w + reach
    moved[top:bottom, left:right] = np.median(page[top:bottom, left:right])  # the paper
    moved[top + dy : bottom + dy, left:right] = page[top:bottom, left:right]
    return moved


def test_an_empty_box_whose_blurred_border_is_a_few_pixels_in_is_not_read_checked_without_a_doubt(
    genkyo_extractor,
):
    # A 150 dpi photo from afar: the border is soft and grey, and 7 px below where the alignment
    # put it, so at the scan's lowest contrast it runs across the box's inside like a stroke.
    photo = samples.degrade(samples.blank_form("genkyo", 150), "distant photo", random.Random(0))
    page = np.asarray(photo.resize(samples.blank_form("genkyo").size))
    field = genkyo_extractor.extract(_box_moved(page, "genkyo", "married", 7)).fields["married"]
    assert field.value is False or field.flagged


def test_a_ticked_box_far_from_where_the_alignment_put_it_is_not_read_empty_without_a_doubt():
    # The page aligned well but for one corner, left 60 px off: where the box should be is paper.
    extractor = extract.Extractor(
        samples.template_for("hojo"), np.asarray(samples.blank_form("hojo"))
    )
    image = samples.blank_form("hojo")
    zone = next(z for z in samples.LAYOUTS["hojo"][1] if z.name == "agree")
    box = tuple(round(mm / 25.4 * DPI) for mm in zone.box_mm)
    samples.draw_check_mark(ImageDraw.Draw(image), box, "tick", random.Random(0), 0, DPI)
    page = _box_moved(np.asarray(image), "hojo", "agree", 60)
    field = extractor.extract(page).fields["agree"]
    assert field.value is True or field.flagged


@pytest.mark.parametrize("dpi", [200, 150])
@pytest.mark.parametrize("seed", range(12))
def test_a_pale_tick_in_a_6_mm_box_on_a_faint_page_is_never_read_empty_without_a_doubt(
    kakunin_extractor, dpi, seed
):
    # A thin tick in a dry pen, in the check list's 6 mm boxes, on a pale grainy scan: the box's
    # inside is darker than the paper around it by a small share of what the page's printing is.
    image = samples.blank_form("kakunin", dpi)
    rng = random.Random(seed)
    for name in ("bankbook", "by_mail"):
        zone = next(z for z in samples.LAYOUTS["kakunin"][1] if z.name == name)
        box = tuple(round(mm / 25.4 * dpi) for mm in zone.box_mm)
        samples.draw_check_mark(ImageDraw.Draw(image), box, "pale tick", rng, 0, dpi)
    fields = kakunin_extractor.extract(np.asarray(samples.degrade(image, "faint", rng))).fields
    assert all(
        fields[name].value is True or fields[name].flagged for name in ("bankbook", "by_mail")
    )


@pytest.mark.parametrize("style", ["tick", "fill", "cross"])
def test_a_marked_box_in_a_column_of_empty_ones_is_read_where_it_is(style):
    """The 国民健康保険 異動届's boxes are 10 mm apart: a heavy mark at 300 dpi matches its own empty
    printing less well than the empty box below does, and is not read there."""
    dpi = 300
    image = samples.filled_form("kokuho", {}, dpi=dpi)
    zone = next(z for z in samples.LAYOUTS["kokuho"][1] if z.name == "moved_out")
    box = tuple(round(mm / 25.4 * dpi) for mm in zone.box_mm)
    samples.draw_check_mark(ImageDraw.Draw(image), box, style, random.Random(1), 0, dpi)
    template = samples.template_for("kokuho")
    page = extract.Extractor(template, np.asarray(samples.blank_form("kokuho"))).extract(
        np.asarray(image)
    )
    assert page.fields["moved_out"].value is True
    assert not page.fields["moved_out"].flagged
    assert page.fields["retired"].value is False


def _circled_around(grow: float, ink: int, pen: int) -> np.ndarray:
    """The 現況届 with a ring drawn around its check box 婚姻の有無, ``grow`` of the box's side
    beyond it on each side (0: through the middles of its sides), as people circle a box."""
    image = samples.filled_form("genkyo", {}, dpi=DPI)
    zone = next(z for z in samples.LAYOUTS["genkyo"][1] if z.name == "married")
    x, y, w, h = (round(mm / 25.4 * DPI) for mm in zone.box_mm)
    ImageDraw.Draw(image).ellipse(
        [x - w * grow, y - h * grow, x + w * (1 + grow), y + h * (1 + grow)], outline=ink, width=pen
    )
    return np.asarray(image)


@pytest.mark.parametrize(("grow", "ink", "pen"), [(0.1, 170, 1), (0.05, 60, 2), (0.1, 0, 4)])
def test_a_ring_drawn_around_the_box_is_checked(genkyo_extractor, grow, ink, pen):
    # A pale thin ring hugging the border was read as an empty box at confidence 0.99: the box's
    # own read looks inside its border only.
    field = genkyo_extractor.extract(_circled_around(grow, ink, pen)).fields["married"]
    assert field.value is True
    assert field.notes == ["枠を囲む○を記入として読みました。"]


def test_the_border_of_a_page_a_few_pixels_off_is_not_a_ring(genkyo_extractor):
    image = samples.filled_form("genkyo", {}, dpi=DPI)
    shifted = np.full_like(np.asarray(image), 255)
    shifted[:, 3:] = np.asarray(image)[:, :-3]
    assert genkyo_extractor.extract(shifted).fields["married"].value is False
