"""The scenario schema built from the step library, Japanese errors naming step path and line,
placeholders, and the file steps (CSV in CP932, Excel template 転記, filter/aggregate, e-mail,
HTTP API with a 503)."""

import http.server
import io
import re
import threading
from pathlib import Path

import pytest
from django.core import mail
from django.test import override_settings
from openpyxl import Workbook, load_workbook
from openpyxl.workbook.defined_name import DefinedName
from pypdf import PdfReader

from jichitai.automation import definition, vault
from jichitai.automation.errors import BusinessError, DefinitionError, NotApplied
from jichitai.automation.steps import steps
from jichitai.automation.tests import factories
from jichitai.core.tests.pdf import pdf_text
from jichitai.core.tests.samples import FIRST_SHEET, with_part_rewritten

pytestmark = pytest.mark.django_db


def test_the_schema_knows_every_step_and_its_parameters():
    schema = definition.scenario_schema()
    names = schema["$defs"]["step"]["properties"]["step"]["enum"]
    for name in [
        "excel.read",
        "excel.write",
        "excel.fill_template",
        "csv.read",
        "csv.write",
        "table.filter",
        "table.aggregate",
        "pdf.render",
        "pdf.merge",
        "browser.open",
        "browser.fill",
        "browser.select",
        "browser.click",
        "browser.read_text",
        "browser.read_table",
        "browser.download",
        "browser.screenshot",
        "email.send",
        "http.call",
        "applications.approved",
    ]:
        assert name in names


def test_errors_name_the_step_path_and_the_line_in_japanese():
    source = """name: sample
title: サンプル
manual_minutes_before: 10
manual_minutes_after: 1
items: rows
each:
  - step: excel.read
    with:
      columns: 所属
  - step: browser.fill
    with: {selector: "#a", colour: red}
  - step: excel.raed
"""
    with pytest.raises(DefinitionError) as caught:
        definition.parse(source)
    problems = caught.value.problems
    assert "8行目 each[1].with: 必須の項目がありません(「path」)。" in problems
    assert "9行目 each[1].with.columns: 値の種類が違います。" in problems
    assert "11行目 each[2].with: 使えない項目があります(「colour」)。" in problems
    assert "12行目 each[3].step: 「excel.raed」という手順(step)はありません。" in problems
    with pytest.raises(DefinitionError, match="2行目: YAML として読めません"):
        definition.parse("name: a\n  title: [\n")


def test_a_scenario_with_yaml_aliases_or_too_large_is_refused_in_japanese(tsu):
    from django.core.exceptions import ValidationError

    from jichitai.automation import services
    from jichitai.core.tests.samples import ALIAS_BOMB

    with pytest.raises(DefinitionError) as caught:
        definition.parse(ALIAS_BOMB)
    assert caught.value.problems == [
        "3行目: YAML の別名(アンカー「&」・エイリアス「*」)は使えません。値をそれぞれの場所に書いてください。"
    ]
    with pytest.raises(ValidationError, match="大きすぎます"):
        services.create_scenario(
            actor=None, organization=tsu, source=factories.SOURCE + "#" * 300_000
        )


def test_placeholders_keep_types_and_fail_with_the_missing_name():
    context = {"item": {"氏名": "三重 花子", "rows": [1, 2]}}
    assert definition.resolve("{{ item.rows }}", context) == [1, 2]
    assert definition.resolve("様 {{ item.氏名 }} 様", context) == "様 三重 花子 様"
    with pytest.raises(BusinessError, match="「住所」が見つかりません"):
        definition.resolve("{{ item.住所 }}", context, where="each[1]: ")


class Ctx:
    """A step context over a folder, as the runner gives one."""

    plan = False

    def __init__(self, folder: Path, organization=None):
        self.folder = folder
        self.organization = organization
        self.outputs: dict[str, bytes] = {}
        self.redact = vault.Redactor()

    def input_path(self, value):
        return self.folder / Path(value).name

    def write_output(self, name, content):
        self.outputs[name] = content
        (self.folder / name).write_bytes(content)
        return name

    def output_path(self, name):
        return self.folder / name

    def target_url(self, target, path="/"):
        return self.base + path

    def secret(self, name):
        return "token-value"


def test_csv_in_cp932_and_utf8_with_a_missing_column(tmp_path):
    (tmp_path / "sjis.csv").write_bytes("番号,氏名,金額\r\n1,髙橋 一郎,1200\r\n".encode("cp932"))
    (tmp_path / "utf8.csv").write_bytes("\ufeff番号,氏名\r\n1,三重 花子\r\n".encode())
    read = steps.get("csv.read").function
    rows = read(Ctx(tmp_path), path="sjis.csv", columns=["番号", "氏名", "金額"], numbers=["金額"])
    assert rows[0]["氏名"] == "髙橋 一郎" and rows[0]["金額"] == 1200
    with pytest.raises(BusinessError, match=r"utf8\.csv」1行目: 列「金額」がありません"):
        read(Ctx(tmp_path), path="utf8.csv", columns=["番号", "金額"])
    written = steps.get("csv.write").function(
        Ctx(tmp_path), output="out.csv", rows=rows, columns=["番号", "氏名"], encoding="cp932"
    )
    assert (tmp_path / written).read_bytes().decode("cp932").startswith("番号,氏名")


def test_a_list_saved_as_excels_unicode_text_is_read_as_its_columns(tmp_path):
    # 「Unicode テキスト」: UTF-16 with a byte order mark, tabs between the cells.
    (tmp_path / "list.txt").write_bytes(
        "番号\t氏名\t金額\r\n1\t髙橋 一郎\t1,200\r\n".encode("utf-16")
    )

    rows = steps.get("csv.read").function(
        Ctx(tmp_path), path="list.txt", columns=["番号", "氏名", "金額"], numbers=["金額"]
    )

    assert [(row["氏名"], row["金額"]) for row in rows] == [("髙橋 一郎", 1200)]


def test_a_column_a_step_reads_given_twice_is_a_business_error_not_a_guess(tmp_path):
    (tmp_path / "twice.csv").write_bytes("番号,金額,金額\r\n1,1200,1000\r\n".encode())
    workbook = Workbook()
    workbook.active.append(["番号", "金額", "金額"])
    workbook.active.append([1, 1200, 1000])
    workbook.save(tmp_path / "twice.xlsx")

    with pytest.raises(BusinessError, match=r"twice\.csv」1行目: 列「金額」が2つあります"):
        steps.get("csv.read").function(Ctx(tmp_path), path="twice.csv", columns=["番号", "金額"])
    with pytest.raises(BusinessError, match=r"1行目: 列「金額」が2つあります"):
        steps.get("excel.read").function(Ctx(tmp_path), path="twice.xlsx", columns=["金額"])
    # A column the step does not read may be given twice.
    rows = steps.get("csv.read").function(Ctx(tmp_path), path="twice.csv", columns=["番号"])
    assert rows[0]["番号"] == "1"


def test_a_csv_the_reader_cannot_parse_is_a_business_error_naming_the_file(tmp_path):
    """A quote never closed would make one cell of the rest of the file, its rows lost without
    a word: the file's fault, told like a missing column, not a crash or a short list."""
    (tmp_path / "broken.csv").write_bytes('番号,氏名\r\n1,"三重 花子\r\n2,津 太郎\r\n'.encode())

    with pytest.raises(BusinessError, match=r"broken\.csv」: 2行目から CSV として読めません"):
        steps.get("csv.read").function(Ctx(tmp_path), path="broken.csv", columns=["番号"])


@pytest.mark.parametrize("damage", ["sheet-cut-off", "not-a-zip"])
def test_a_damaged_workbook_is_a_business_error_in_words_not_a_class_name(tmp_path, damage):
    """A person reads the item's message: it says the file cannot be read as a workbook, not
    「ParseError」 or 「BadZipFile」; and being the file's fault, it is not retried."""
    book = Workbook()
    book.active.append(["番号", "氏名"])
    book.save(tmp_path / "good.xlsx")
    broken = (
        with_part_rewritten(
            (tmp_path / "good.xlsx").read_bytes(),
            FIRST_SHEET,
            lambda xml: xml[: len(xml) // 2] + b"<<",
        )
        if damage == "sheet-cut-off"
        else b"PK\x03\x04 not a workbook"
    )
    (tmp_path / "報告.xlsx").write_bytes(broken)

    with pytest.raises(BusinessError) as error:
        steps.get("excel.read").function(Ctx(tmp_path), path="報告.xlsx", columns=["番号"])

    assert "「報告.xlsx」を Excel ブック(.xlsx)として読めません" in str(error.value)
    assert not re.search(r"[A-Z][a-z]+[A-Z]\w*|Error", str(error.value))


def test_a_workbook_claiming_the_whole_sheet_is_read_by_what_it_holds(tmp_path):
    """A stray note at Excel's last row and column (XFD1048576): read as it is, the sheet would
    be 17 billion empty cells; the rows it holds are read, the note far right of the table's
    columns left aside, and the row count is what a person sees."""
    book = Workbook()
    book.active.append(["番号", "金額"])
    book.active.append([1, 1200])
    book.active["XFD1048576"] = "メモ"
    book.save(tmp_path / "報告.xlsx")

    rows = steps.get("excel.read").function(
        Ctx(tmp_path), path="報告.xlsx", columns=["番号", "金額"], numbers=["金額"]
    )

    assert [(row["番号"], row["金額"], row["_row"]) for row in rows] == [(1, 1200, 2)]


def test_excel_write_keeps_numbers_from_a_csv_numeric_and_codes_as_text(tmp_path):
    (tmp_path / "in.csv").write_bytes(
        '番号,郵便番号,金額,率,備考\r\n1,0140001,"1,200",-2.5,十件\r\n'.encode("cp932")
    )
    rows = steps.get("csv.read").function(
        Ctx(tmp_path), path="in.csv", columns=["番号", "郵便番号", "金額", "率", "備考"]
    )
    written = steps.get("excel.write").function(
        Ctx(tmp_path), output="out.xlsx", sheets={"一覧": rows}
    )
    sheet = load_workbook(tmp_path / written)["一覧"]
    values = [cell.value for cell in sheet[2]]
    assert values == [1, "0140001", 1200, -2.5, "十件"]
    assert sheet["C2"].data_type == "n"


def test_fill_an_excel_template_by_named_cells_and_ranges(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "様式"
    sheet["A1"] = "令達通知"
    workbook.defined_names["宛先"] = DefinedName("宛先", attr_text="様式!$B$2")
    workbook.defined_names["明細"] = DefinedName("明細", attr_text="様式!$A$5:$C$7")
    workbook.save(tmp_path / "template.xlsx")
    fill = steps.get("excel.fill_template").function
    fill(
        Ctx(tmp_path),
        template="template.xlsx",
        output="filled.xlsx",
        cells={"宛先": "津高等学校長"},
        ranges={"明細": [{"科目": "需用費", "金額": 1000, "_row": 2}, ["役務費", 2000]]},
    )
    filled = load_workbook(tmp_path / "filled.xlsx")["様式"]
    assert filled["B2"].value == "津高等学校長" and filled["A1"].value == "令達通知"
    assert (filled["A5"].value, filled["B5"].value, filled["A6"].value, filled["B6"].value) == (
        "需用費",
        1000,
        "役務費",
        2000,
    )
    with pytest.raises(BusinessError, match="名前「合計」が定義されていません"):
        fill(Ctx(tmp_path), template="template.xlsx", output="x.xlsx", cells={"合計": 1})
    with pytest.raises(BusinessError, match="3 行ですが、4 行"):
        fill(Ctx(tmp_path), template="template.xlsx", output="x.xlsx", ranges={"明細": [[1]] * 4})


def test_filter_and_aggregate():
    rows = [
        {"課": "甲", "月": "4", "量": 10},
        {"課": "甲", "月": "4", "量": "5"},
        {"課": "乙", "月": "4", "量": 1},
        {"課": "乙", "月": "", "量": 7},
    ]
    kept = steps.get("table.filter").function(None, rows=rows, not_empty=["月"])
    assert len(kept) == 3
    total = steps.get("table.aggregate").function(
        None, rows=kept, group_by=["課"], sum=["量"], count="件数"
    )
    assert total == [{"課": "乙", "量": 1, "件数": 1}, {"課": "甲", "量": 15, "件数": 2}]


def test_email_step_sends_with_django_mail():
    steps.get("email.send").function(None, to="kakari@example.jp", subject="完了", body="本文")
    assert mail.outbox[0].to == ["kakari@example.jp"] and mail.outbox[0].subject == "完了"


class _Api(http.server.BaseHTTPRequestHandler):
    statuses: list = []

    def log_message(self, *args):
        pass

    def do_POST(self):
        status = self.statuses.pop(0) if self.statuses else 201
        body = b'{"ok": true, "auth": "%s"}' % self.headers.get("Authorization", "").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_http_call_returns_json_and_reports_a_503_as_not_applied(tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        ctx = Ctx(tmp_path)
        ctx.base = f"http://127.0.0.1:{server.server_address[1]}"
        call = steps.get("http.call").function
        _Api.statuses = [503]
        with pytest.raises(NotApplied, match="HTTP 503"):
            call(ctx, target="api", path="/records", method="POST", json={"a": 1})
        answer = call(
            ctx, target="api", path="/records", method="POST", json={"a": 1}, bearer_secret="token"
        )
        assert answer == {"ok": True, "auth": "Bearer token-value"}
        assert steps.get("http.call").effect_for({"method": "POST"}) == "external"
        assert steps.get("http.call").effect_for({}) == "remote"
    finally:
        server.shutdown()
        server.server_close()


def test_vault_keys_rotate_with_multifernet():
    from cryptography.fernet import Fernet

    token = vault.encrypt("パスワード123")
    new_key = Fernet.generate_key().decode()
    from django.conf import settings

    with override_settings(JICHITAI_VAULT_KEYS=[new_key, *settings.JICHITAI_VAULT_KEYS]):
        assert vault.decrypt(token) == "パスワード123"
        rotated = vault.rotate(token)
    with override_settings(JICHITAI_VAULT_KEYS=[new_key]):
        assert vault.decrypt(rotated) == "パスワード123"
    redact = vault.Redactor(["a b&c/d"])
    assert (
        redact("x a b&c/d y a%20b%26c%2Fd z a+b%26c%2Fd")
        == "x [秘密情報] y [秘密情報] z [秘密情報]"
    )


def test_a_factory_scenario_is_valid(tsu):
    assert factories.scenario(tsu).current_version.definition["title"] == "サンプル"


class _Recorder(http.server.BaseHTTPRequestHandler):
    """An address inside the network a document must not make the worker call."""

    requests: list[str] = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.requests.append(self.path)
        self.send_response(404)
        self.end_headers()


def test_a_pdf_from_staff_html_keeps_the_document_and_nothing_of_the_server(tmp_path, settings):
    key_file = tmp_path / "vault_key"
    key_file.write_text(settings.JICHITAI_VAULT_KEYS[0])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.requests = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    html = (
        f'<link rel="attachment" href="file://{key_file}">'
        f'<link rel="attachment" href="file:///etc/passwd">'
        f'<style>@import url("{origin}/imported.css"); h1::after {{ content: "STYLE-TEXT"; }}</style>'
        "<h1>登録一覧</h1>{% for r in rows %}<p>{{ r.氏名 }}</p>{% endfor %}"
        f'<img src="{origin}/stamp.png"><p style="background: url({origin}/bg.png)">以上</p>'
    )
    ctx = Ctx(tmp_path)
    try:
        steps.get("pdf.render").function(
            ctx, output="一覧.pdf", html=html, context={"rows": [{"氏名": "三重 花子"}]}
        )
    finally:
        server.shutdown()
        server.server_close()
    content = ctx.outputs["一覧.pdf"]
    reader = PdfReader(io.BytesIO(content))
    assert reader.attachments == {} and not reader.pages[0].images
    assert _Recorder.requests == []
    text = pdf_text(content)
    assert "登録一覧" in text and "三重 花子" in text and "以上" in text
    assert "STYLE-TEXT" not in text
    assert settings.JICHITAI_VAULT_KEYS[0].encode() not in content


def test_a_pdf_template_must_be_one_of_the_shipped_ones(tmp_path):
    render = steps.get("pdf.render").function
    with pytest.raises(BusinessError, match="使えません"):
        render(Ctx(tmp_path), output="x.pdf", template="automation/pdf/../../core/pdf/base.html")
