"""The form editor: a scenario built from the steps' JSON Schemas without typing YAML — steps
added, moved and removed with buttons, the condition step usable, errors in Japanese next to the
parameter with the input kept, and the YAML (the stored form) exactly what the validator accepts;
every shipped scenario opens in the editor and comes back unchanged."""

import re
from html.parser import HTMLParser

import pytest

from jichitai.automation import definition, editor, samples
from jichitai.automation.errors import DefinitionError
from jichitai.automation.models import Scenario
from jichitai.automation.registry import scenarios

pytestmark = pytest.mark.django_db


class _Form(HTMLParser):
    """The values a browser would send for the page's POST form (without a submit button)."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") != "checkbox":
            self.values[name] = attrs.get("value", "")
        elif tag == "input" and name and "checked" in attrs:
            self.values[name] = "on"
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select:
            if self._select not in self.values or "selected" in attrs:
                self.values[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data.removeprefix("\n")


def _form(response) -> dict:
    parser = _Form()
    parser.feed(response.content.decode())
    return parser.values


@pytest.mark.parametrize("name", scenarios.names())
def test_every_shipped_scenario_opens_in_the_editor_and_comes_back_unchanged(name):
    data = definition.parse(scenarios.get(name).source)
    opened = editor.from_definition(data)
    again = editor.to_yaml(editor.to_definition(opened))
    assert opened.valid and definition.parse(again) == data


def test_a_clerk_builds_a_scenario_with_a_condition_without_typing_yaml(tsu, tsu_clerk, login):
    procedure = samples.vehicle_tax_procedure(tsu, approved=1, received=0)
    clerk = login(tsu_clerk)
    url = f"/s/{tsu.code}/automation/scenarios/compose/"
    values = _form(clerk.get(url))
    values.update(
        title="転居以外の届出を完了にする",
        name="complete-unless-moved",
        manual_minutes_before="5",
        manual_minutes_after="1",
        items="applications",
        key="{{ item.receipt_number }}",
        **{"input-0-name": "procedure", "input-0-label": "手続", "input-0-kind": "procedure"},
    )
    for section, step in [
        ("each", "applications.complete"),
        ("each", "item.skip_if"),
        ("prepare", "applications.approved"),
    ]:
        values = _form(
            clerk.post(url, {**values, "new-section": section, "new-step": step, "action": "add"})
        )
    # The condition goes before the completion: moved up within its section.
    assert values["step-1-step"] == "item.skip_if"
    values = _form(clerk.post(url, {**values, "action": "up-1"}))
    assert [values[f"step-{i}-step"] for i in range(3)] == [
        "item.skip_if",
        "applications.complete",
        "applications.approved",
    ]
    page = clerk.post(
        url, {**values, "action": "add", "new-step": "csv.write", "new-section": "finish"}
    )
    values = _form(page)
    values = _form(clerk.post(url, {**values, "action": "remove-3"}))
    assert "step-3-step" not in values

    # The procedure parameter offers the run's input and the organization's procedures.
    page = clerk.post(url, values).content.decode()
    assert "実行時に選ぶ手続(手続)" in page and procedure.name in page
    values.update(
        {
            "step-0-p-value": "{{ item.data.reason }}",
            "step-0-p-in": "転居",
            "step-0-p-reason": "転居は窓口で案内する",
            "step-1-p-receipt_number": "",
            "step-2-p-procedure": "{{ inputs.procedure }}",
            "step-2-save": "applications",
            "action": "save",
        }
    )
    refused = clerk.post(url, values)
    text = refused.content.decode()
    assert refused.status_code == 400 and not Scenario.objects.exists()
    assert 'id="id_step-1-p-receipt_number_error"><li>入力してください。' in text
    assert "転居は窓口で案内する" in text  # input kept

    values["step-1-p-receipt_number"] = "{{ item.receipt_number }}"
    values["manual_minutes_before"] = "五"
    refused = clerk.post(url, values).content.decode()
    assert "1件あたりの手作業時間(導入前、分): 数値を半角で入力してください。" in refused
    # A figure too large to be a number (float infinity) was written to the database and failed.
    for too_large in ("1e309", "nan", "-inf"):
        values["manual_minutes_before"] = too_large
        refused = clerk.post(url, values)
        assert refused.status_code == 400 and not Scenario.objects.exists(), too_large
        assert "1件あたりの手作業時間(導入前、分): 数値が大きすぎるか、数値ではありません。" in (
            refused.content.decode()
        ), too_large
    values["manual_minutes_before"] = "5"
    assert clerk.post(url, values).status_code == 302
    version = Scenario.objects.get().current_version
    assert definition.parse(version.source) == version.definition
    assert version.definition["each"][0] == {
        "step": "item.skip_if",
        "with": {
            "value": "{{ item.data.reason }}",
            "in": ["転居"],
            "reason": "転居は窓口で案内する",
        },
    }


def test_an_existing_scenario_opens_in_the_editor_and_saves_a_new_version(
    tsu, tsu_clerk, login, shipped
):
    scenario = shipped("vehicle-tax-address")
    clerk = login(tsu_clerk)
    url = f"/s/{tsu.code}/automation/scenarios/{scenario.pk}/editor/"
    values = _form(clerk.get(url))
    assert values["step-1-p-target"] == "legacy" and values["targets"] == "legacy"
    unchanged = clerk.post(url, {**values, "action": "save"})
    assert "前の版から変更がありません。" in unchanged.content.decode()
    values["manual_minutes_after"] = "2"
    assert clerk.post(url, {**values, "action": "save"}).status_code == 302
    scenario.refresh_from_db()
    assert scenario.current_version.number == 2
    assert scenario.current_version.definition["manual_minutes_after"] == 2


def test_every_step_parameter_has_a_japanese_title():

    from jichitai.automation.steps import steps

    untitled = [
        f"{name}.{param}"
        for name, entry in steps.items()
        for param, schema in entry.schema["properties"].items()
        if not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", schema.get("title", ""))
    ]
    assert untitled == []


def test_the_mail_and_pdf_steps_explain_every_parameter_in_the_editor():
    from jichitai.automation.steps import steps

    form = editor.from_definition(
        {
            "targets": ["mailbox"],
            "prepare": [{"step": "mail.receive", "with": {"target": "mailbox"}}],
            "each": [{"step": "pdf.extract", "with": {}}, {"step": "mail.mark", "with": {}}],
        }
    )
    fields = {f"{s.step}.{f.name.rsplit('-p-', 1)[1]}": f for s in form.steps for f in s.fields}
    names = [
        f"{name}.{param}"
        for name in ("mail.receive", "mail.mark", "pdf.extract")
        for param in steps.get(name).schema["properties"]
    ]
    assert sorted(fields) == sorted(names)
    assert [name for name in names if not fields[name].help] == []
    assert fields["mail.receive.target"].choices == [("mailbox", "mailbox")]
    assert fields["mail.receive.password_secret"].label == "パスワードの秘密情報の名前"
    assert fields["pdf.extract.anchors"].kind == "mapping"
    assert fields["mail.receive.max_attachment_mb"].kind == "number"


def test_the_editor_shows_the_first_items_of_the_latest_plan(tsu, tsu_clerk, login, run_now):
    from jichitai.automation import services
    from jichitai.automation.models import Run
    from jichitai.automation.tests.test_conditions import SOURCE

    procedure = samples.vehicle_tax_procedure(tsu, approved=3, received=0)
    scenario = services.create_scenario(actor=None, organization=tsu, source=SOURCE)
    url = f"/s/{tsu.code}/automation/scenarios/{scenario.pk}/editor/"
    clerk = login(tsu_clerk)
    assert "まだ計画を実行していません" in clerk.get(url).content.decode()
    run_now(scenario, Run.Mode.PLAN, values={"procedure": str(procedure.pk)})
    page = clerk.get(url).content.decode()
    assert re.search(r"第1版の計画\(令和\d+年\d+月\d+日 \d\d:\d\d\)", page)
    assert page.count("条件に合うため処理しませんでした(転居は窓口で案内する)") == 2
    assert "メールを送る" in page or "送付先の変更" in page


def test_an_optional_input_stays_optional_through_the_editor(tsu, tsu_clerk, login):
    from jichitai.automation import services
    from jichitai.automation.tests.test_conditions import SOURCE

    optional = SOURCE.replace("    kind: procedure\n", "    kind: procedure\n    required: false\n")
    scenario = services.create_scenario(actor=None, organization=tsu, source=optional)
    clerk = login(tsu_clerk)
    url = f"/s/{tsu.code}/automation/scenarios/{scenario.pk}/editor/"
    values = _form(clerk.get(url))
    assert "input-0-required" not in values and values["input-1-required"] == "on"
    values["manual_minutes_after"] = "2"
    assert clerk.post(url, {**values, "action": "save"}).status_code == 302
    scenario.refresh_from_db()
    assert scenario.current_version.definition["inputs"][0]["required"] is False


def test_every_step_and_parameter_reads_in_english():
    """The editor's texts come from the step library's registrations; each one has an English
    translation, so an English-speaking clerk sees no Japanese label in the editor."""
    from django.utils import translation

    from jichitai.automation.steps import steps

    japanese = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    with translation.override("en"):
        form = editor.from_definition(
            {
                "targets": ["mailbox"],
                "each": [{"step": name, "with": {}} for name in steps],
            }
        )
        texts = [label for _name, label in editor.step_choices()]
        texts += [text for _name, text, _steps in form.sections()]
        texts += [f.label for f in form.meta_fields()] + [f.help for f in form.meta_fields()]
        texts += [s.label for s in form.steps]
        texts += [f.label for s in form.steps for f in s.fields]
        texts += [f.help for s in form.steps for f in s.fields]
        # Examples keep the Japanese a clerk would type (集計.xlsx, {{ item.氏名 }}).
        untranslated = [
            t for t in map(str, texts) if japanese.search(re.sub(r"\{\{.*?\}\}|\S*\.\w+", "", t))
        ]
    assert untranslated == []


def test_the_editor_page_in_english(tsu, tsu_clerk, login):
    clerk = login(tsu_clerk)
    clerk.cookies["django_language"] = "en"
    page = clerk.get(f"/s/{tsu.code}/automation/scenarios/compose/").content.decode()
    assert "Manual work per item before automation (minutes)" in page
    assert "For each item" in page and "Read a CSV file(csv.read)" in page
    assert "1件あたりの手作業時間" not in page


@pytest.mark.parametrize("number", [".inf", "-.inf", ".nan", "1e999"])
def test_a_scenario_written_with_an_infinite_figure_is_refused_with_its_line(number):
    source = (
        f"name: x\ntitle: x\nmanual_minutes_before: 1\nmanual_minutes_after: {number}\n"
        "each:\n  - step: item.skip_if\n    with: {value: 1, in: [1], reason: r}\nitems: rows\n"
    )
    with pytest.raises(DefinitionError) as refused:
        definition.parse(source)
    assert any(
        problem.startswith("4行目 manual_minutes_after") for problem in refused.value.problems
    ), refused.value.problems
