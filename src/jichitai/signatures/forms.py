from django import forms
from django.utils.translation import gettext_lazy as _


class TrustAnchorForm(forms.Form):
    name = forms.CharField(
        label=_("名称"), max_length=200, help_text=_("例: 公的個人認証サービス 署名用認証局")
    )
    file = forms.FileField(label=_("認証局の証明書(PEM または DER)"))


class RevocationListForm(forms.Form):
    file = forms.FileField(label=_("失効リスト CRL(PEM または DER)"))
