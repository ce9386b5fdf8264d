"""The foundation's own cards and navigation entries."""

from django.utils.translation import gettext_lazy as _

from jichitai.dashboard.registry import Card, NavItem, cards, navigation
from jichitai.jobs import selectors as job_selectors
from jichitai.tenancy import selectors as tenancy_selectors
from jichitai.tenancy.models import Organization, Role


def _organization_summary(request):
    return {
        "organization": request.tenant,
        **tenancy_selectors.organization_counts(request.tenant),
    }


def _running_jobs(request):
    jobs = list(job_selectors.unfinished_jobs_of(request.tenant)[:5])
    return {"jobs": jobs} if jobs else None


def _recent_activity(request):
    events = list(tenancy_selectors.audit_events_of(request.tenant)[:8])
    return {"events": events} if events else None


cards.register(
    "organization",
    Card(_("団体の概要"), "dashboard/cards/organization.html", _organization_summary, order=10),
)
cards.register(
    "jobs",
    Card(_("処理中のバックグラウンド処理"), "dashboard/cards/jobs.html", _running_jobs, order=20),
)
cards.register(
    "activity",
    Card(
        _("最近の操作"),
        "dashboard/cards/activity.html",
        _recent_activity,
        order=90,
        role=Role.MANAGER,
    ),
)

navigation.register("home", NavItem(_("ホーム"), "dashboard:organization_home", order=0))
navigation.register(
    "jobs",
    NavItem(
        _("処理状況"),
        "jobs:jobs",
        order=80,
        administration=_("取込・書き出し・集計など、時間のかかる処理の進み具合と結果。"),
    ),
)
navigation.register(
    "organization",
    NavItem(
        _("団体・所属"),
        "tenancy:organization",
        order=85,
        administration=_("団体の連絡先、所属(課)の一覧、個人情報の取扱い(住民に示す文面)。"),
    ),
)
navigation.register(
    "members",
    NavItem(
        _("職員"),
        "tenancy:members",
        order=86,
        role=Role.MANAGER,
        administration=_("職員の一覧と権限・所属。管理者は職員を追加・招待・停止できます。"),
    ),
)
navigation.register(
    "municipalities",
    NavItem(
        _("市町の管理"),
        "tenancy:municipalities",
        order=87,
        role=Role.ADMIN,
        organization_kind=Organization.Kind.PREFECTURE,
        administration=_("県内の市町の登録と、利用の開始・停止。"),
    ),
)
navigation.register(
    "audit",
    NavItem(
        _("監査ログ"),
        "audit:events",
        order=90,
        role=Role.MANAGER,
        administration=_("誰が、いつ、何をしたかの記録。操作・操作者・対象・期間で絞り込めます。"),
    ),
)
navigation.register(
    "api_tokens",
    NavItem(
        _("APIトークン"),
        "api_tokens:list",
        order=95,
        role=Role.ADMIN,
        administration=_("外部のシステムがこの団体の API を使うための認証情報の発行と失効。"),
    ),
)
