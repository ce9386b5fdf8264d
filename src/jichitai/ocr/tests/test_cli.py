"""`jichitai ocr extract --template T.json SCAN … --json`: the measurement contract."""

import io
import json
import random

import pytest
from django.core.management import call_command
from PIL import Image

from jichitai.ocr import samples

KEYS = {"file", "page", "aligned", "alignment_score", "fields", "seconds"}
FIELD_KEYS = {"value", "raw", "confidence", "valid", "flagged", "reasons", "notes"}


def run(*args) -> tuple[list[dict], int]:
    out = io.StringIO()
    code = 0
    try:
        call_command("ocr", "extract", *args, "--json", stdout=out)
    except SystemExit as exit_:
        code = exit_.code
    return [json.loads(line) for line in out.getvalue().splitlines()], code


def test_json_lines_with_stable_keys_for_each_page(tmp_path):
    template = samples.write_template(tmp_path, "tenkyo")
    written, truth = samples.random_values("tenkyo", random.Random(4))
    first = samples.filled_form("tenkyo", written)
    second = samples.filled_form("tenkyo", written, dpi=300)
    first.save(tmp_path / "scan.png")
    first.save(tmp_path / "two.pdf", save_all=True, append_images=[second], resolution=200)
    records, code = run(
        "--template", str(template), str(tmp_path / "scan.png"), str(tmp_path / "two.pdf")
    )
    assert code == 0
    assert [(r["file"].rsplit("/", 1)[-1], r["page"]) for r in records] == [
        ("scan.png", 1),
        ("two.pdf", 1),
        ("two.pdf", 2),
    ]
    for record in records:
        assert set(record) == KEYS
        assert record["aligned"] is True and 0 <= record["alignment_score"] <= 1
        assert set(record["fields"]) == set(truth)
        for field in record["fields"].values():
            assert set(field) == FIELD_KEYS and 0 <= field["confidence"] <= 1
            assert isinstance(field["flagged"], bool) and isinstance(field["reasons"], list)
            assert field["flagged"] == bool(field["reasons"])
        assert {name: f["value"] for name, f in record["fields"].items()} == truth


def test_a_bad_file_is_reported_and_the_others_are_read(tmp_path):
    template = samples.write_template(tmp_path, "hojo")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7 not really")
    (tmp_path / "notes.tif").write_bytes(b"hello")
    samples.blank_form("genkyo").save(tmp_path / "other-form.png")
    written, _truth = samples.random_values("hojo", random.Random(2))
    samples.filled_form("hojo", written).convert("RGB").save(tmp_path / "ok.jpg", quality=80)
    records, code = run(
        "--template",
        str(template),
        *(str(tmp_path / n) for n in ("broken.pdf", "notes.tif", "other-form.png", "ok.jpg")),
    )
    assert code == 1
    by_file = {r["file"].rsplit("/", 1)[-1]: r for r in records}
    assert "PDF" in by_file["broken.pdf"]["error"]
    assert by_file["notes.tif"]["error"]
    assert by_file["other-form.png"]["aligned"] is False
    assert by_file["other-form.png"]["fields"] == {}
    assert by_file["ok.jpg"]["aligned"] is True


def test_a_tiff_with_several_pages_is_read_page_by_page(tmp_path):
    template = samples.write_template(tmp_path, "genkyo")
    pages = [samples.filled_form("genkyo", {"name": n}) for n in ("山田太郎", "鈴木花子")]
    pages[0].save(tmp_path / "scan.tif", save_all=True, append_images=pages[1:])
    records, _code = run("--template", str(template), str(tmp_path / "scan.tif"))
    assert [r["fields"]["name"]["value"] for r in records] == ["山田太郎", "鈴木花子"]


def test_a_broken_template_is_refused(tmp_path):
    (tmp_path / "t.json").write_text(
        '{"fields": [{"name": "x", "type": "weird", "box": [0,0,9,9]}]}'
    )
    with pytest.raises(Exception, match="種類"):
        call_command("ocr", "extract", "--template", str(tmp_path / "t.json"), "a.png", "--json")


def test_template_json_round_trip(tmp_path):
    from jichitai.ocr import template as template_format

    path = samples.write_template(tmp_path, "genkyo")
    loaded = template_format.load(path)
    assert loaded.reference_path == tmp_path / "genkyo.png"
    assert json.loads(loaded.to_json()) == json.loads(path.read_text())
    assert Image.open(loaded.reference_path).size == (1654, 2339)
