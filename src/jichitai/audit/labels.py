"""Japanese (and, through gettext, English) names for what the audit log stores as codes: the
action (``procedures.application.status_changed`` → 申請の状態の変更), the target's kind and the
channel.

An action is ``<app>.<subject>.<verb>``, ``<app>.<subject>_<verb>`` or ``<app>.<verb>``; its name
is put together from the subject's and the verb's, unless the whole code has its own name. A code
without a name is shown as it is, so a new action is never hidden."""

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

WHOLE: dict[str, Promise] = {
    "read": pgettext_lazy("audit log", "個人情報の閲覧"),
    "accounts.login": pgettext_lazy("audit log", "ログイン"),
    "accounts.password_changed": pgettext_lazy("audit log", "パスワードの変更"),
    "accounts.password_ok": pgettext_lazy("audit log", "パスワードの確認"),
    "accounts.second_factor_failed": pgettext_lazy("audit log", "二要素認証の失敗"),
    "accounts.totp_enrolled": pgettext_lazy("audit log", "認証アプリの登録"),
    "accounts.notifications.changed": pgettext_lazy("audit log", "お知らせメールの設定の変更"),
    "jobs.recovered": pgettext_lazy("audit log", "止まったジョブの再実行"),
    "jobs.started": pgettext_lazy("audit log", "ジョブの開始"),
    "payments.reconciled": pgettext_lazy("audit log", "消込"),
    "payments.payment.paid": pgettext_lazy("audit log", "納付の確認"),
    "payments.payment.due_date_changed": pgettext_lazy("audit log", "納付期限の変更"),
    "procedures.draft.saved": pgettext_lazy("audit log", "入力の一時保存"),
    "procedures.application.commented": pgettext_lazy("audit log", "申請への内部メモ"),
    "payments.gateway.mismatch": pgettext_lazy("audit log", "決済通知の不一致"),
    "procedures.retention.run": pgettext_lazy("audit log", "保存期間を過ぎた個人情報の削除"),
    "procedures.application.submitted": pgettext_lazy("audit log", "申請の受付"),
    "procedures.application.resubmitted": pgettext_lazy("audit log", "申請の再提出"),
    "procedures.application.purged": pgettext_lazy("audit log", "申請の個人情報の削除"),
    "procedures.applicant_link.requested": pgettext_lazy("audit log", "申請一覧のリンクの送信"),
    "procedures.applicant_link.used": pgettext_lazy("audit log", "申請一覧のリンクの使用"),
    "ocr.page.conflict": pgettext_lazy("audit log", "ベリファイの不一致"),
    "opendata.published_table_refreshed": pgettext_lazy("audit log", "自動で公開する表の更新"),
    "opendata.resource_converted": pgettext_lazy("audit log", "リソースの現行の形式への変換"),
    "tenancy.break_glass.granted": pgettext_lazy("audit log", "緊急時の管理者権限の付与"),
}

SUBJECTS: dict[str, Promise] = {
    "action": pgettext_lazy("audit log", "取組"),
    "action_year": pgettext_lazy("audit log", "取組の年度計画"),
    "adoption": pgettext_lazy("audit log", "導入状況"),
    "api_token": pgettext_lazy("audit log", "APIトークン"),
    "applicant_link": pgettext_lazy("audit log", "申請一覧のリンク"),
    "application": pgettext_lazy("audit log", "申請"),
    "applications": pgettext_lazy("audit log", "申請"),
    "batch": pgettext_lazy("audit log", "読み取りバッチ"),
    "closed_day": pgettext_lazy("audit log", "閉庁日"),
    "crl": pgettext_lazy("audit log", "失効リスト"),
    "dataset": pgettext_lazy("audit log", "データセット"),
    "division": pgettext_lazy("audit log", "所属"),
    "document": pgettext_lazy("audit log", "通知書等"),
    "document_template": pgettext_lazy("audit log", "通知書等のひな形"),
    "draft": pgettext_lazy("audit log", "一時保存"),
    "email_verification": pgettext_lazy("audit log", "メールアドレスの確認"),
    "enrolment_code": pgettext_lazy("audit log", "認証アプリの登録コード"),
    "form": pgettext_lazy("audit log", "申請フォーム"),
    "group": pgettext_lazy("audit log", "グループ"),
    "indicator": pgettext_lazy("audit log", "指標"),
    "indicator_year": pgettext_lazy("audit log", "指標の年度値"),
    "project_year": pgettext_lazy("audit log", "事業の年度予算"),
    "invitation": pgettext_lazy("audit log", "招待"),
    "initiative": pgettext_lazy("audit log", "市町連携の取組"),
    "item": pgettext_lazy("audit log", "RPAの処理対象"),
    "ledger": pgettext_lazy("audit log", "効果の台帳"),
    "material": pgettext_lazy("audit log", "会議資料"),
    "membership": pgettext_lazy("audit log", "職員の所属・権限"),
    "municipality": pgettext_lazy("audit log", "市町"),
    "node": pgettext_lazy("audit log", "計画の階層"),
    "organization": pgettext_lazy("audit log", "団体"),
    "page": pgettext_lazy("audit log", "読み取りページ"),
    "participation": pgettext_lazy("audit log", "参加"),
    "payment": pgettext_lazy("audit log", "納付"),
    "plan": pgettext_lazy("audit log", "計画"),
    "privacy_policy": pgettext_lazy("audit log", "個人情報の取扱い"),
    "procedure": pgettext_lazy("audit log", "手続"),
    "profile": pgettext_lazy("audit log", "消込の設定"),
    "reconciliationprofile": pgettext_lazy("audit log", "消込の設定"),
    "report": pgettext_lazy("audit log", "報告書"),
    "resource": pgettext_lazy("audit log", "リソース"),
    "run": pgettext_lazy("audit log", "RPAの実行"),
    "scenario": pgettext_lazy("audit log", "シナリオ"),
    "schedule": pgettext_lazy("audit log", "定期実行"),
    "seal": pgettext_lazy("audit log", "公印"),
    "session": pgettext_lazy("audit log", "開催回"),
    "secret": pgettext_lazy("audit log", "秘密情報"),
    "signature": pgettext_lazy("audit log", "電子署名"),
    "attachments": pgettext_lazy("audit log", "添付 PDF の電子署名"),
    "statistics": pgettext_lazy("audit log", "統計データ"),
    "survey": pgettext_lazy("audit log", "調査"),
    "template": pgettext_lazy("audit log", "読み取りテンプレート"),
    "trust_anchor": pgettext_lazy("audit log", "信頼する認証局"),
    "trustanchor": pgettext_lazy("audit log", "信頼する認証局"),
    "user": pgettext_lazy("audit log", "利用者"),
    "version": pgettext_lazy("audit log", "シナリオの版"),
    "workbook": pgettext_lazy("audit log", "ワークブック"),
    "xlsform": pgettext_lazy("audit log", "XLSForm"),
    "year": pgettext_lazy("audit log", "年度"),
}

VERBS: dict[str, Promise] = {
    "accepted": pgettext_lazy("audit log", "承諾"),
    "added": pgettext_lazy("audit log", "追加"),
    "answered": pgettext_lazy("audit log", "回答"),
    "applied": pgettext_lazy("audit log", "反映"),
    "approved": pgettext_lazy("audit log", "承認"),
    "assigned": pgettext_lazy("audit log", "担当者の変更"),
    "bound": pgettext_lazy("audit log", "連携"),
    "cancelled": pgettext_lazy("audit log", "取消し"),
    "changed": pgettext_lazy("audit log", "変更"),
    "closed": pgettext_lazy("audit log", "受付終了"),
    "commented": pgettext_lazy("audit log", "内部メモ"),
    "created": pgettext_lazy("audit log", "作成"),
    "deleted": pgettext_lazy("audit log", "削除"),
    "discarded": pgettext_lazy("audit log", "取り下げ"),
    "edited": pgettext_lazy("audit log", "編集"),
    "enabled": pgettext_lazy("audit log", "有効化"),
    "exported": pgettext_lazy("audit log", "書き出し"),
    "field_deleted": pgettext_lazy("audit log", "項目の削除"),
    "field_saved": pgettext_lazy("audit log", "項目の保存"),
    "granted": pgettext_lazy("audit log", "付与"),
    "imported": pgettext_lazy("audit log", "取り込み"),
    "issued": pgettext_lazy("audit log", "発行"),
    "locked": pgettext_lazy("audit log", "確定"),
    "paid": pgettext_lazy("audit log", "納付済み"),
    "published": pgettext_lazy("audit log", "公開"),
    "recorded": pgettext_lazy("audit log", "記録"),
    "refreshed": pgettext_lazy("audit log", "更新"),
    "refunded": pgettext_lazy("audit log", "返金"),
    "released": pgettext_lazy("audit log", "再処理の許可"),
    "removed": pgettext_lazy("audit log", "削除"),
    "reopened": pgettext_lazy("audit log", "確定の解除"),
    "replaced": pgettext_lazy("audit log", "差し替え"),
    "requested": pgettext_lazy("audit log", "依頼"),
    "restored": pgettext_lazy("audit log", "復元"),
    "reverified": pgettext_lazy("audit log", "再検証"),
    "revoked": pgettext_lazy("audit log", "失効"),
    "saved": pgettext_lazy("audit log", "保存"),
    "sent": pgettext_lazy("audit log", "送信"),
    "started": pgettext_lazy("audit log", "開始"),
    "status_changed": pgettext_lazy("audit log", "状態の変更"),
    "submitted": pgettext_lazy("audit log", "登録"),
    "translated": pgettext_lazy("audit log", "翻訳"),
    "unpublished": pgettext_lazy("audit log", "非公開化"),
    "updated": pgettext_lazy("audit log", "更新"),
    "uploaded": pgettext_lazy("audit log", "アップロード"),
    "verified": pgettext_lazy("audit log", "確認・修正"),
    "withdrawn": pgettext_lazy("audit log", "取下げ"),
}


CHANNELS: dict[str, Promise] = {
    "web": pgettext_lazy("audit log", "画面"),
    "api": pgettext_lazy("audit log", "API"),
    "command": pgettext_lazy("audit log", "コマンド"),
    "task": pgettext_lazy("audit log", "バックグラウンド処理"),
    "system": pgettext_lazy("audit log", "システム"),
}


def _subject_and_verb(rest: str) -> tuple[str, str] | None:
    if "." in rest:
        subject, verb = rest.rsplit(".", 1)
        return subject.rsplit(".", 1)[-1], verb
    # "dataset_created": the longest known subject the code starts with.
    for subject in sorted(SUBJECTS, key=len, reverse=True):
        if rest.startswith(subject + "_") and rest[len(subject) + 1 :] in VERBS:
            return subject, rest[len(subject) + 1 :]
    return None


def action_label(action: str) -> str:
    """The audit action's name for people, in the active language; the code when it has none."""
    if action in WHOLE:
        return str(WHOLE[action])
    _app, _dot, rest = action.partition(".")
    parts = _subject_and_verb(rest)
    if parts is None or parts[0] not in SUBJECTS or parts[1] not in VERBS:
        return action
    subject, verb = parts
    return _("%(subject)sの%(verb)s") % {"subject": SUBJECTS[subject], "verb": VERBS[verb]}


def target_type_label(target_type: str) -> str:
    """``procedures.Application`` → 申請: the model's verbose name."""
    try:
        return str(apps.get_model(target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return target_type


def channel_label(channel: str) -> str:
    return str(CHANNELS[channel]) if channel in CHANNELS else channel
