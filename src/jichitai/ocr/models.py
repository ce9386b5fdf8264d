from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jichitai.core.files import PrivateUploadTo
from jichitai.ocr import template as template_format
from jichitai.tenancy.models import TenantOwned


class PaperTemplate(TenantOwned):
    """The blank paper form of a procedure and the zones of its fields (the template JSON's
    content, with the blank page stored as PNG)."""

    procedure = models.ForeignKey(
        "procedures.Procedure",
        on_delete=models.CASCADE,
        related_name="paper_templates",
        verbose_name=_("手続"),
    )
    name = models.CharField(_("様式名"), max_length=200)
    reference = models.FileField(upload_to=PrivateUploadTo("ocr/templates"), max_length=200)
    dpi = models.PositiveIntegerField(_("解像度(dpi)"), default=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    fields = models.JSONField(_("読取項目"), default=list, blank=True)
    double_entry = models.BooleanField(
        _("重要項目はベリファイ(別の職員が見ずに再入力)する"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("紙の様式")

    def __str__(self) -> str:
        return self.name

    def as_template(self) -> template_format.Template:
        return template_format.from_dict(
            {"name": self.name, "dpi": self.dpi, "reference": "blank.png", "fields": self.fields}
        )

    @property
    def critical_fields(self) -> list[dict]:
        return [f for f in self.fields if f.get("critical")]


class Batch(TenantOwned):
    template = models.ForeignKey(
        PaperTemplate, on_delete=models.CASCADE, related_name="batches", verbose_name=_("様式")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The day the papers arrived (for 消印有効, the postmark's): what the procedure's period is
    # judged by when a page becomes an application, however much later it is scanned.
    received_on = models.DateField(_("受付日"), default=timezone.localdate)
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("読取バッチ")

    def __str__(self) -> str:
        return f"{self.template.name} #{self.pk}"


class BatchFile(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="files")
    original_name = models.CharField(max_length=200)
    file = models.FileField(upload_to=PrivateUploadTo("ocr/scans"), max_length=200, blank=True)
    error = models.CharField(max_length=500, blank=True)
    pages = models.PositiveIntegerField(default=0)
    processed = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


# What each reason a field is flagged for (``reasons.REASONS``) means to the person checking it.
FLAG_REASONS = {
    "low_score": _("認識の確信度が低い"),
    "disagreement": _("2回の読取結果が一致しない"),
    "format": _("形式が正しくない"),
    "characters": _("項目に合わない文字がある(英字・記号など)、または電話番号の区切りが不正"),
    "length": _("読み取った文字数が記入の幅と合わない(文字の欠落・余分)"),
    "glyph_count": _(
        "記入の字と字の切れ目から数えた字数より、読み取った文字数が少ない(文字の欠落)"
    ),
    "small_kana": _(
        "小さい「ゃ・ゅ・ょ・っ」などが、ありえない位置にある(大きい字の読み違いの可能性)"
    ),
    "date_range": _("日付が遠い過去・未来で、年号や数字の読み違いの可能性がある"),
    "shifted_crop": _("記入や枠線が読取範囲の端にかかり、範囲をずらして読むと結果が変わる"),
    "off_form": _(
        "読取範囲に様式の枠線・印刷が写っていない(用紙の外・位置ずれ)ため、空欄か確かでない"
    ),
    "page_misaligned": _(
        "複数の欄で枠線・印刷が読取範囲と合わず、用紙全体の位置合わせが確かでない"
    ),
    "dictionary": _(
        "辞書にない地名・郵便番号、郵便番号と住所の市区町村が違う、"
        "または異体字(髙・﨑など)や形の似た字(臭と奥など)の読み違いの可能性"
    ),
    "faint_ink": _("記入があるのに読み取れない(薄い字など)"),
    "ambiguous_mark": _("チェック・○の印があいまい"),
    "uncertain_mark": _("読取画像のかすれ・ノイズで、印の有無を判断する根拠が弱い"),
    "mark_unclear": _("チェック欄に薄い・小さい記入があり、チェックの有無が確かでない"),
    "poor_scan": _("読取画像が粗い・ぼやけている(低解像度・写真)ため、読取に自信がない"),
    "form": _("手続のフォームの条件を満たさない"),
}


class ScanPage(TenantOwned):
    class Status(models.TextChoices):
        REVIEW = "review", _("確認待ち")
        NOT_ALIGNED = "not_aligned", _("様式と一致せず(要確認)")
        SECOND_ENTRY = "second_entry", _("ベリファイ待ち")
        CONFLICT = "conflict", _("不一致(第三者の判定待ち)")
        DONE = "done", _("受付済み")
        DISCARDED = "discarded", _("取り下げ")

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="pages")
    source = models.ForeignKey(BatchFile, on_delete=models.CASCADE, related_name="scan_pages")
    number = models.PositiveIntegerField(_("ページ"))
    image = models.FileField(upload_to=PrivateUploadTo("ocr/pages"), max_length=200)
    aligned = models.BooleanField(default=False)
    alignment_score = models.FloatField(default=0)
    reason = models.CharField(max_length=300, blank=True)
    results = models.JSONField(default=dict, blank=True)  # name -> value/raw/confidence/valid
    values = models.JSONField(default=dict, blank=True)  # as confirmed by the first person
    second_values = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REVIEW)
    first_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    second_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    application = models.ForeignKey(
        "procedures.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["batch", "source", "number"]
        constraints = [
            models.UniqueConstraint(fields=["source", "number"], name="ocr_page_once_per_file")
        ]

    def __str__(self) -> str:
        return f"{self.source.original_name} p.{self.number}"

    @property
    def flagged_names(self) -> list[str]:
        from jichitai.ocr.extract import REVIEW_BELOW

        return [
            name
            for name, result in self.results.items()
            if not result.get("valid")
            or result.get("flagged")
            # Results read before fields said why they were flagged.
            or ("reasons" not in result and result.get("confidence", 0) < REVIEW_BELOW)
        ]

    def flag_reasons(self, name: str) -> list[str]:
        """Why a field is shown to a person, in words."""
        result = self.results.get(name, {})
        reasons = [str(FLAG_REASONS.get(code, code)) for code in result.get("reasons", [])]
        if result.get("error") or (not result.get("valid", True) and "format" not in reasons):
            reasons.append(str(FLAG_REASONS["form"]))
        return list(dict.fromkeys(reasons))
