from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jichitai.procedures.documents.models import MAX_SEAL_BYTES, DocumentKind
from jichitai.procedures.documents.rendering import PLACEHOLDERS


def _braced(names) -> str:
    return "、".join("{" + name + "}" for name in names)


class DocumentTemplateForm(forms.Form):
    kind = forms.ChoiceField(label=_("文書の種類"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("表題"), max_length=100, help_text=_("例: 交付決定通知書"))
    body = forms.CharField(label=_("本文"), widget=forms.Textarea(attrs={"rows": 10}))

    def __init__(self, *args, item_names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        # Filled in here, in the language of the page: a lazy text formatted in the class body
        # would be fixed in the language active when the module was imported.
        help_text = gettext(
            "手紙を書くように入力します(段落の間は1行あけます。HTML のタグも使えます)。次の語を波かっこで囲むと申請の内容が入ります: %(names)s"
        ) % {"names": _braced(PLACEHOLDERS)}
        if item_names:
            help_text += " " + gettext(
                "この手続のフォームの項目も同じように使えます: %(items)s"
            ) % {"items": _braced(item_names)}
        self.fields["body"].help_text = help_text


class SealForm(forms.Form):
    image = forms.FileField(
        label=_("公印の画像(PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".png,image/png"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].help_text = gettext(
            "背景を透明にした PNG 画像(%(size)s MB 以内、一辺 2000 ピクセル以内)"
        ) % {"size": MAX_SEAL_BYTES // (1024 * 1024)}
