"""Japanese (and, through gettext, English) names for what the audit log stores as codes: the
action (``procedures.application.status_changed`` → 申請の状態の変更), the target's kind and the
channel.

An action is ``<app>.<subject>.<verb>``, ``<app>.<subject>_<verb>`` or ``<app>.<verb>``; its name
is put together from the subject's and the verb's, unless the whole code has its own name. A code
without a name is shown as it is, so a new action is never hidden."""

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

WHOLE: dict[str, Promise] = {
    "read": gettext_lazy("個人情報の閲覧"),
    "accounts.login": gettext_lazy("ログイン"),
    "accounts.password_changed": gettext_lazy("パスワードの変更"),
    "accounts.password_ok": gettext_lazy("パスワードの確認"),
    "accounts.second_factor_failed": gettext_lazy("二要素認証の失敗"),
    "accounts.totp_enrolled": gettext_lazy("認証アプリの登録"),
    "accounts.notifications.changed": gettext_lazy("お知らせメールの設定の変更"),
    "jobs.recovered": gettext_lazy("止まったジョブの再実行"),
    "jobs.started": gettext_lazy("ジョブの開始"),
    "payments.reconciled": gettext_lazy("消込"),
    "payments.payment.paid": gettext_lazy("納付の確認"),
    "procedures.draft.saved": gettext_lazy("入力の一時保存"),
    "procedures.application.commented": gettext_lazy("申請への内部メモ"),
    "payments.gateway.mismatch": gettext_lazy("決済通知の不一致"),
    "procedures.retention.run": gettext_lazy("保存期間を過ぎた個人情報の削除"),
    "procedures.application.submitted": gettext_lazy("申請の受付"),
    "procedures.application.resubmitted": gettext_lazy("申請の再提出"),
    "procedures.application.purged": gettext_lazy("申請の個人情報の削除"),
    "procedures.applicant_link.requested": gettext_lazy("申請一覧のリンクの送信"),
    "procedures.applicant_link.used": gettext_lazy("申請一覧のリンクの使用"),
    "ocr.page.conflict": gettext_lazy("ベリファイの不一致"),
    "opendata.published_table_refreshed": gettext_lazy("自動で公開する表の更新"),
    "opendata.resource_converted": gettext_lazy("リソースの現行の形式への変換"),
    "tenancy.break_glass.granted": gettext_lazy("緊急時の管理者権限の付与"),
}

SUBJECTS: dict[str, Promise] = {
    "action": gettext_lazy("施策"),
    "action_year": gettext_lazy("施策の年度計画"),
    "adoption": gettext_lazy("導入状況"),
    "api_token": gettext_lazy("APIトークン"),
    "applicant_link": gettext_lazy("申請一覧のリンク"),
    "application": gettext_lazy("申請"),
    "applications": gettext_lazy("申請"),
    "batch": gettext_lazy("読み取りバッチ"),
    "closed_day": gettext_lazy("閉庁日"),
    "crl": gettext_lazy("失効リスト"),
    "dataset": gettext_lazy("データセット"),
    "division": gettext_lazy("所属"),
    "document": gettext_lazy("通知書等"),
    "document_template": gettext_lazy("通知書等のひな形"),
    "draft": gettext_lazy("一時保存"),
    "email_verification": gettext_lazy("メールアドレスの確認"),
    "enrolment_code": gettext_lazy("認証アプリの登録コード"),
    "form": gettext_lazy("申請フォーム"),
    "group": gettext_lazy("グループ"),
    "indicator": gettext_lazy("指標"),
    "indicator_year": gettext_lazy("指標の年度値"),
    "project_year": gettext_lazy("事業の年度予算"),
    "invitation": gettext_lazy("招待"),
    "item": gettext_lazy("RPAの処理対象"),
    "ledger": gettext_lazy("効果の台帳"),
    "membership": gettext_lazy("職員の所属・権限"),
    "municipality": gettext_lazy("市町"),
    "organization": gettext_lazy("団体"),
    "page": gettext_lazy("読み取りページ"),
    "participation": gettext_lazy("参加"),
    "payment": gettext_lazy("納付"),
    "privacy_policy": gettext_lazy("個人情報の取扱い"),
    "procedure": gettext_lazy("手続"),
    "profile": gettext_lazy("消込の設定"),
    "reconciliationprofile": gettext_lazy("消込の設定"),
    "report": gettext_lazy("報告書"),
    "resource": gettext_lazy("リソース"),
    "run": gettext_lazy("RPAの実行"),
    "scenario": gettext_lazy("シナリオ"),
    "schedule": gettext_lazy("定期実行"),
    "seal": gettext_lazy("公印"),
    "secret": gettext_lazy("秘密情報"),
    "signature": gettext_lazy("電子署名"),
    "statistics": gettext_lazy("統計データ"),
    "survey": gettext_lazy("調査"),
    "template": gettext_lazy("読み取りテンプレート"),
    "trust_anchor": gettext_lazy("信頼する認証局"),
    "trustanchor": gettext_lazy("信頼する認証局"),
    "user": gettext_lazy("利用者"),
    "version": gettext_lazy("シナリオの版"),
    "workbook": gettext_lazy("ワークブック"),
    "xlsform": gettext_lazy("XLSForm"),
    "year": gettext_lazy("年度"),
}

VERBS: dict[str, Promise] = {
    "accepted": gettext_lazy("承諾"),
    "added": gettext_lazy("追加"),
    "answered": gettext_lazy("回答"),
    "applied": gettext_lazy("反映"),
    "approved": gettext_lazy("承認"),
    "assigned": gettext_lazy("担当者の変更"),
    "bound": gettext_lazy("連携"),
    "cancelled": gettext_lazy("取消し"),
    "changed": gettext_lazy("変更"),
    "closed": gettext_lazy("受付終了"),
    "commented": gettext_lazy("内部メモ"),
    "created": gettext_lazy("作成"),
    "deleted": gettext_lazy("削除"),
    "discarded": gettext_lazy("取り下げ"),
    "edited": gettext_lazy("編集"),
    "enabled": gettext_lazy("有効化"),
    "exported": gettext_lazy("書き出し"),
    "field_deleted": gettext_lazy("項目の削除"),
    "field_saved": gettext_lazy("項目の保存"),
    "granted": gettext_lazy("付与"),
    "imported": gettext_lazy("取り込み"),
    "issued": gettext_lazy("発行"),
    "locked": gettext_lazy("確定"),
    "paid": gettext_lazy("納付済み"),
    "published": gettext_lazy("公開"),
    "recorded": gettext_lazy("記録"),
    "refreshed": gettext_lazy("更新"),
    "refunded": gettext_lazy("返金"),
    "released": gettext_lazy("再処理の許可"),
    "removed": gettext_lazy("削除"),
    "reopened": gettext_lazy("確定の解除"),
    "replaced": gettext_lazy("差し替え"),
    "requested": gettext_lazy("依頼"),
    "restored": gettext_lazy("復元"),
    "reverified": gettext_lazy("再検証"),
    "revoked": gettext_lazy("失効"),
    "saved": gettext_lazy("保存"),
    "sent": gettext_lazy("送信"),
    "started": gettext_lazy("開始"),
    "status_changed": gettext_lazy("状態の変更"),
    "submitted": gettext_lazy("登録"),
    "translated": gettext_lazy("翻訳"),
    "unpublished": gettext_lazy("非公開化"),
    "updated": gettext_lazy("更新"),
    "uploaded": gettext_lazy("アップロード"),
    "verified": gettext_lazy("確認・修正"),
    "withdrawn": gettext_lazy("取下げ"),
}


CHANNELS: dict[str, Promise] = {
    "web": gettext_lazy("画面"),
    "api": gettext_lazy("API"),
    "command": gettext_lazy("コマンド"),
    "task": gettext_lazy("バックグラウンド処理"),
    "system": gettext_lazy("システム"),
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
