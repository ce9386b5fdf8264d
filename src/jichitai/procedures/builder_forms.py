"""The builder's forms beside the question form (``forms.FieldForm``): the translation table
of one language and the page jumps."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jichitai.procedures import pages
from jichitai.procedures.registry import field_types


class TranslationForm(forms.Form):
    """The translation table of one language: an input per text (``texts``: the procedure's
    name and description, then the form's texts), in their order; an empty input leaves the
    text in Japanese. The procedure's texts are named by what they are (``procedure_name``),
    the form's by their position (``text_0``)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, texts: list, language_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.named_texts = []
        form_texts = 0
        for text in texts:
            if text.path:
                name = f"text_{form_texts}"
                form_texts += 1
            else:
                name = f"procedure_{text.key}"
            self.fields[name] = forms.CharField(
                label=_("「%(japanese)s」の%(language)s訳")
                % {"japanese": text.japanese, "language": language_name},
                required=False,
                max_length=text.max_length,
                initial=text.translated,
                widget=forms.Textarea(attrs={"rows": 3}) if text.key == "description" else None,
                error_messages={
                    "max_length": _(
                        "%(limit_value)d 文字以内にしてください(いま %(show_value)d 文字です)。"
                    )
                },
            )
            self.named_texts.append((name, text))

    def rows(self):
        """(text, its input) in the table's order."""
        return [(text, self[name]) for name, text in self.named_texts]

    def by_place(self) -> dict[tuple[str, str, str], str]:
        return {text.place: self.cleaned_data[name] for name, text in self.named_texts}


TO_CONFIRMATION = "end"


class JumpForm(forms.Form):
    """「この答えのときは N ページへ進む」: written by ``pages.with_jump`` as conditions on the
    pages in between."""

    source = forms.TypedChoiceField(label=_("このページに答えたあと"), coerce=int)
    field = forms.ChoiceField(label=_("この項目で"))
    values = forms.CharField(
        label=_("次の選択肢が選ばれたとき(1行に1つ)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("選択肢の見出しか値を書きます。"),
    )
    target = forms.ChoiceField(label=_("進む先"))

    def __init__(self, *args, fields, **kwargs):
        super().__init__(*args, prefix="jump", **kwargs)
        self.form_fields = fields
        self.form_pages = pages.split(fields)
        numbered = [
            (
                str(page.number),
                _("%(number)s ページ %(title)s") % {"number": page.number, "title": page.title},
            )
            for page in self.form_pages
        ]
        self.fields["source"].choices = numbered[:-1]
        self.fields["target"].choices = [
            *numbered[2:],
            (TO_CONFIRMATION, _("確認画面(残りのページを飛ばす)")),
        ]
        self.fields["field"].choices = [
            (spec["name"], spec["label"])
            for spec in fields
            if field_types.get(spec["type"]).has_choices
        ]

    def clean(self):
        data = super().clean()
        source, name = data.get("source"), data.get("field")
        if source is None or name is None:
            return data
        page = next(page for page in self.form_pages if page.number == source)
        if name not in page.earlier | page.names:
            self.add_error(
                "field", _("飛ぶかどうかは、そのページまでに答える項目で決めてください。")
            )
            return data
        spec = next(spec for spec in self.form_fields if spec["name"] == name)
        by_text = {}
        for choice in spec.get("choices", []):
            by_text.setdefault(choice["label"], choice["value"])
            by_text[choice["value"]] = choice["value"]
        lines = [line.strip() for line in data.get("values", "").splitlines() if line.strip()]
        unknown = [line for line in lines if line not in by_text]
        if unknown:
            self.add_error(
                "values",
                _("「%(label)s」の選択肢にありません: %(values)s")
                % {"label": spec["label"], "values": "、".join(unknown)},
            )
        elif not lines:
            self.add_error("values", _("選択肢を1つ以上書いてください。"))
        elif any("'" in by_text[line] and '"' in by_text[line] for line in lines):
            self.add_error("values", _("引用符を2種類とも含む選択肢は条件に使えません。"))
        else:
            data["condition"] = pages.choice_condition(spec, [by_text[line] for line in lines])
        target = data.get("target")
        data["target_page"] = None if target == TO_CONFIRMATION else int(target or 0)
        if data["target_page"] is not None and data["target_page"] <= source + 1:
            self.add_error(
                "target", _("進む先は、飛ばすページがあるように後のページを選んでください。")
            )
        return data
