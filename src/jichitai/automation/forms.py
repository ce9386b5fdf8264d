from datetime import time

from django import forms
from django.db.models.fields import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

from jichitai.automation import schedule_times
from jichitai.core.forms import FiscalYearField
from jichitai.core.uploads import UploadRejected, check_upload

MAX_INPUT_BYTES = 20 * 1024 * 1024
FILE_KINDS = {"file", "folder"}


class ScenarioSourceForm(forms.Form):
    source = forms.CharField(
        label=_("シナリオの定義(YAML)"),
        widget=forms.Textarea(attrs={"rows": 28, "spellcheck": "false", "class": "code"}),
        help_text=_(
            "手順(step)の一覧はこの画面の下にあります。保存すると新しい版になり、承認されるまで本番実行できません。"
        ),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class RunForm(forms.Form):
    """Built from the scenario's declared inputs."""

    def __init__(self, *args, definition: dict, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = {}
        for entry in definition.get("inputs", []):
            name, kind = entry["name"], entry["kind"]
            label = entry.get("label") or name
            required = entry.get("required", True)
            self.kinds[name] = kind
            if kind == "folder":
                self.fields[name] = MultipleFileField(
                    label=label,
                    required=required,
                    help_text=_("複数のファイルを選べます(Excel / CSV)。"),
                )
            elif kind == "file":
                self.fields[name] = forms.FileField(label=label, required=required)
            elif kind == "procedure":
                from jichitai.procedures.selectors import procedures_of

                self.fields[name] = forms.ChoiceField(
                    label=label,
                    required=required,
                    choices=BLANK_CHOICE_DASH
                    + [(str(p.pk), p.name) for p in procedures_of(organization)],
                )
            else:
                self.fields[name] = forms.CharField(label=label, required=required, max_length=500)

    def clean(self):
        data = super().clean()
        self.uploads = {}
        for name, kind in self.kinds.items():
            if kind not in FILE_KINDS or not data.get(name):
                continue
            files = data[name] if isinstance(data[name], list) else [data[name]]
            entries = []
            for uploaded in files:
                try:
                    checked = check_upload(
                        uploaded, allowed=["xlsx", "csv", "pdf"], max_bytes=MAX_INPUT_BYTES
                    )
                except UploadRejected as error:
                    self.add_error(name, error)
                    break
                uploaded.seek(0)
                entries.append((checked.name, uploaded.read()))
            self.uploads[name] = entries
        return data

    def values(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name, kind in self.kinds.items()
            if kind not in FILE_KINDS and self.cleaned_data.get(name) not in (None, "")
        }


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("対応の結果"),
        choices=[
            ("manual", _("手作業で処理した(今後の実行では処理しません)")),
            ("release", _("原因を直した(次回の実行で自動処理します)")),
        ],
        initial="manual",
        required=False,
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(
        label=_("対応した内容"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("例: 旧システムに手入力で登録した(登録番号 L000123)、申請者に確認中 など"),
    )


class SecretForm(forms.Form):
    name = forms.SlugField(
        label=_("名前"), max_length=80, help_text=_("シナリオの secrets に書く名前(半角英数字)")
    )
    value = forms.CharField(
        label=_("値"),
        max_length=500,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("保存後は表示されません。変更するときは同じ名前で保存し直してください。"),
    )


class LedgerLineForm(forms.Form):
    fiscal_year = FiscalYearField(label=_("年度"))
    division = forms.CharField(label=_("所属"), max_length=100)
    task = forms.CharField(label=_("業務"), max_length=200)
    hours_before = forms.DecimalField(
        label=_("導入前の年間作業時間(時間)"), min_value=0, max_digits=10, decimal_places=1
    )
    hours_after = forms.DecimalField(
        label=_("導入後の年間作業時間(時間)"), min_value=0, max_digits=10, decimal_places=1
    )
    note = forms.CharField(label=_("備考"), max_length=300, required=False)


class ScheduleForm(RunForm):
    """The scenario's non-file inputs and when to run: 毎日 / 平日 / 毎週 / 毎月 at a time of day,
    or a crontab written by hand. ``cleaned_data["cron"]`` holds the crontab either way."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A scheduled run has nobody to hand it files.
        self.reads_files = [name for name, kind in self.kinds.items() if kind in FILE_KINDS]
        for name in self.reads_files:
            del self.fields[name]
            del self.kinds[name]
        self.fields["frequency"] = forms.ChoiceField(
            label=_("実行する日"),
            choices=schedule_times.FREQUENCIES,
            initial="weekdays",
            widget=forms.RadioSelect,
        )
        self.fields["weekday"] = forms.ChoiceField(
            label=_("曜日(毎週のとき)"), choices=schedule_times.WEEKDAYS, required=False
        )
        self.fields["day"] = forms.ChoiceField(
            label=_("日(毎月のとき)"),
            choices=schedule_times.DAYS,
            required=False,
            help_text=_("29日〜31日は、ない月があるため「末日」を選んでください。"),
        )
        self.fields["time"] = forms.TimeField(
            label=_("時刻"),
            required=False,
            initial=time(6, 0),
            widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            help_text=_("例: 06:00"),
        )
        self.fields["cron"] = forms.CharField(
            label=_("cron 形式(「cron 形式で指定」のとき)"),
            max_length=100,
            required=False,
            help_text=_("分 時 日 月 曜日。例: */30 8-17 * * 1-5(平日の8時〜17時台に30分ごと)"),
        )
        # What the run works on first, then when it runs.
        self.order_fields([*self.kinds, "frequency", "weekday", "day", "time", "cron"])

    def clean(self):
        data = super().clean()
        frequency = data.get("frequency")
        if frequency == "cron":
            if not data.get("cron"):
                self.add_error("cron", _("cron 形式(分 時 日 月 曜日)で入力してください。"))
            return data
        if frequency == "weekly" and not data.get("weekday"):
            self.add_error("weekday", _("曜日を選んでください。"))
        if frequency == "monthly" and not data.get("day"):
            self.add_error("day", _("日を選んでください。"))
        if frequency and data.get("time") is None and "time" not in self.errors:
            self.add_error("time", _("時刻を入力してください。例: 06:00"))
        if frequency and not self.errors:
            data["cron"] = schedule_times.crontab(
                frequency=frequency,
                time=data["time"],
                weekday=data.get("weekday", ""),
                day=data.get("day", ""),
            )
        return data
