from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from jichitai.procedures.documents.models import MAX_SEAL_BYTES, DocumentKind
from jichitai.procedures.documents.rendering import PLACEHOLDERS


class DocumentTemplateForm(forms.Form):
    kind = forms.ChoiceField(label=_("文書の種類"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("表題"), max_length=100, help_text=_("例: 交付決定通知書"))
    body = forms.CharField(
        label=_("本文"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "段落は <p>…</p> で囲みます。次の語を波かっこで囲むと申請の内容が入ります: %(names)s"
        )
        % {"names": "、".join("{" + name + "}" for name in PLACEHOLDERS)},
    )

    def __init__(self, *args, item_names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        if item_names:
            self.fields["body"].help_text = format_lazy(
                "{} {}",
                self.fields["body"].help_text,
                _("この手続のフォームの項目も同じように使えます: %(items)s")
                % {"items": "、".join("{" + name + "}" for name in item_names)},
            )


class SealForm(forms.Form):
    image = forms.FileField(
        label=_("公印の画像(PNG)"),
        help_text=_("背景を透明にした PNG 画像(%(size)s MB 以内、一辺 2000 ピクセル以内)")
        % {"size": MAX_SEAL_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(attrs={"accept": ".png,image/png"}),
    )
