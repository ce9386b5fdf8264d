from django import forms
from django.utils.translation import gettext_lazy as _

from jichitai.opendata import standards
from jichitai.opendata.licenses import DEFAULT_LICENSE, license_choices
from jichitai.opendata.models import Dataset, Group
from jichitai.opendata.services.statistics import is_welfare_procedure


class DatasetForm(forms.Form):
    title = forms.CharField(label=_("タイトル"), max_length=200)
    name = forms.CharField(
        label=_("URL名"),
        max_length=100,
        help_text=_(
            "半角英小文字・数字・「-」「_」。公開ページとAPIのURLになります(例: tsu-aed)。"
        ),
    )
    notes = forms.CharField(
        label=_("説明"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    division = forms.ModelChoiceField(label=_("担当所属"), queryset=None, required=False)
    license_id = forms.ChoiceField(label=_("ライセンス"), initial=DEFAULT_LICENSE)
    tags = forms.CharField(
        label=_("タグ"),
        required=False,
        help_text=_("読点(、)またはカンマで区切って入力(例: 防災、AED)"),
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("分類"),
        queryset=Group.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    frequency = forms.ChoiceField(label=_("更新頻度"), choices=Dataset.Frequency.choices)
    contact_name = forms.CharField(label=_("問い合わせ先"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("問い合わせ先メールアドレス"), required=False)
    contact_phone = forms.CharField(label=_("問い合わせ先電話番号"), max_length=40, required=False)

    def __init__(self, *args, divisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = divisions
        self.fields["license_id"].choices = license_choices()

    def clean_tags(self):
        text = self.cleaned_data["tags"].replace("、", ",").replace("，", ",")
        return [tag.strip() for tag in text.split(",") if tag.strip()]

    @staticmethod
    def initial_for(dataset: Dataset) -> dict:
        return {
            "title": dataset.title,
            "name": dataset.name,
            "notes": dataset.notes,
            "division": dataset.division,
            "license_id": dataset.license_id,
            "tags": "、".join(tag.name for tag in dataset.tags.all()),
            "groups": list(dataset.groups.all()),
            "frequency": dataset.frequency,
            "contact_name": dataset.contact_name,
            "contact_email": dataset.contact_email,
            "contact_phone": dataset.contact_phone,
        }


def standard_choices():
    return [("", _("(準拠しない)")), *standards.choices()]


class ResourceForm(forms.Form):
    upload = forms.FileField(
        label=_("ファイル"),
        required=False,
        help_text=_(
            "CSV・Excel(.xlsx)・JSON・GeoJSON・PDF・ZIP など。Excel は CSV にも変換し、Excel の「テキスト (タブ区切り)」「Unicode テキスト」で保存した .txt(標準データセットを選んだ .txt はカンマ区切りでも)は CSV にして登録します。"
        ),
    )
    url = forms.URLField(
        assume_scheme="https",
        label=_("またはリンク先URL"),
        required=False,
        help_text=_("他のサイトにあるファイルの場合"),
    )
    name = forms.CharField(
        label=_("名称"), max_length=200, required=False, help_text=_("空欄ならファイル名")
    )
    description = forms.CharField(
        label=_("説明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    standard = forms.ChoiceField(
        label=_("準拠する標準データセット"),
        required=False,
        help_text=_("選ぶと、自治体標準オープンデータセットの定義で項目と値を検証します。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard"].choices = standard_choices()


class ReplaceFileForm(forms.Form):
    upload = forms.FileField(label=_("新しいファイル"))
    standard = forms.ChoiceField(label=_("準拠する標準データセット"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard"].choices = standard_choices()


class PublishForm(forms.Form):
    override_reason = forms.CharField(
        label=_("検証エラーのまま公開する理由(管理者のみ)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class StatisticsForm(forms.Form):
    procedure = forms.ModelChoiceField(label=_("集計する手続"), queryset=None)
    title = forms.CharField(label=_("タイトル"), max_length=200)
    name = forms.CharField(label=_("URL名"), max_length=100)
    suppression_threshold = forms.IntegerField(
        label=_("秘匿する件数"),
        min_value=1,
        max_value=100,
        initial=5,
        help_text=_("この数未満の件数は「秘匿」と表示し、公開しません。"),
    )
    license_id = forms.ChoiceField(label=_("ライセンス"), initial=DEFAULT_LICENSE)
    welfare_confirmed = forms.BooleanField(
        label=_("福祉の手続の集計であることを確認し、公開してよいと判断しました"),
        required=False,
        help_text=_("福祉の手続を選んだときだけ必要です。"),
    )

    def __init__(self, *args, procedures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].queryset = procedures
        self.fields["license_id"].choices = license_choices()

    def clean(self):
        data = super().clean()
        procedure = data.get("procedure")
        if (
            procedure
            and is_welfare_procedure(procedure=procedure)
            and not data.get("welfare_confirmed")
        ):
            self.add_error(
                "welfare_confirmed",
                _(
                    "「%(name)s」は福祉の手続のようです。件数が少ない地域や区分では、支援を受けている人が特定されるおそれがあります。秘匿する件数を大きくすること(例: 10)を検討し、公開してよいと判断したらチェックしてください。"
                )
                % {"name": procedure.name},
            )
        return data


class GroupForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=200)
    name = forms.CharField(label=_("URL名"), max_length=100)
    description = forms.CharField(
        label=_("説明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
