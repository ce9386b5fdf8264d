from django import forms
from django.utils.translation import gettext_lazy as _

# Certificates and CRLs of a signing CA are kilobytes; a large JPKI CRL stays under this.
MAX_BYTES = 1024 * 1024


class TrustFileField(forms.FileField):
    """A certificate or CRL file. Its content (PEM or DER, whatever the extension) is read by the
    service with ``cryptography``; here only its size is limited."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("ファイルが大きすぎます(上限 1 MB)。認証局の証明書か CRL を選んでください。")
            )
        return upload


class TrustAnchorForm(forms.Form):
    name = forms.CharField(
        label=_("名称"), max_length=200, help_text=_("例: 公的個人認証サービス 署名用認証局")
    )
    file = TrustFileField(
        label=_("認証局の証明書"),
        help_text=_("PEM 形式、DER 形式(.pem、.cer、.crt、.der)または PKCS#7 形式(.p7b)"),
    )


class RevocationListForm(forms.Form):
    file = TrustFileField(
        label=_("失効リスト CRL"), help_text=_("PEM 形式または DER 形式(.crl、.pem、.der)")
    )
