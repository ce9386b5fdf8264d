"""A select's empty choice reads 「選択してください」 (its English in English mode), never Django's
"---------", on every form rendered through the project's renderer."""

from django import forms


class Example(forms.Form):
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", "A")], required=False)
    grouped = forms.ChoiceField(choices=[("", "---------"), ("group", [("b", "B")])])


def test_the_empty_choice_is_worded():
    html = str(Example())
    assert "---------" not in html
    assert html.count(">選択してください</option>") == 2
    assert '<optgroup label="group">' in html and '<option value="b">B</option>' in html


def test_chosen_options_stay_selected():
    html = str(Example({"kind": "a", "grouped": "b"})["kind"])
    assert '<option value="a" selected>A</option>' in html
