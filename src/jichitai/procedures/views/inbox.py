"""The inbox: applications, one application with its history, status changes, notes, assignment,
files; the export and erasure of one application."""

from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_POST

from jichitai.audit import services as audit
from jichitai.core import params
from jichitai.core.exports import csv_response, export_csv
from jichitai.core.files import private_file_response
from jichitai.core.forms import add_service_errors
from jichitai.procedures import exports, retention, selectors, services
from jichitai.procedures.forms import (
    INBOX_SORTS,
    INBOX_VIEWS,
    AssignForm,
    BulkStatusForm,
    ClosedDayForm,
    CommentForm,
    InboxFilterForm,
    PurgeForm,
    StatusForm,
)
from jichitai.procedures.models import Application
from jichitai.procedures.registry import panels_for, staff_panels
from jichitai.tenancy.middleware import requires_role
from jichitai.tenancy.models import Role

PAGE_SIZE = 50
# Rows chosen for one bulk status change: at most a page of the inbox.
MAX_BULK_SELECTION = PAGE_SIZE


@requires_role(Role.VIEWER)
@require_http_methods(["GET", "POST"])
def inbox(request, org_code):
    membership = request.membership
    procedures = selectors.visible_procedures(membership)
    filters = InboxFilterForm(request.GET or None, procedures=procedures)
    criteria = {
        k: v
        for k, v in (
            filters.cleaned_data.items() if filters.is_bound and filters.is_valid() else []
        )
        if v
    }
    applications = selectors.applications_of(membership, **criteria)
    staff = selectors.assignable_staff(request.tenant)
    # Pressing Enter in the message box submits without naming a button: a status change.
    action = request.POST.get("action", "status")
    posted = request.POST or None
    bulk = BulkStatusForm(posted if action == "status" else None)
    bulk_assign = AssignForm(
        posted if action == "assign" else None,
        staff=staff,
        prefix="bulk",
    )
    if request.method == "POST":
        if not membership.has_role(Role.CLERK):
            raise Http404
        chosen = selectors.chosen_applications(
            membership,
            params.integers(
                request.POST.getlist("selected"),
                name="selected",
                label="選択した申請",
                max_items=MAX_BULK_SELECTION,
            ),
        )
        if not chosen:
            messages.error(request, _("まとめて変更する申請を選んでください。"))
        elif bulk_assign.is_bound and bulk_assign.is_valid():
            assignee = bulk_assign.cleaned_data["assignee"]
            services.bulk_assign(actor=request.user, applications=chosen, assignee=assignee)
            messages.success(
                request,
                _("%(count)s 件の担当者を「%(name)s」にしました。")
                % {"count": len(chosen), "name": assignee or _("未割当")},
            )
            return redirect(request.get_full_path())
        elif bulk.is_bound and bulk.is_valid():
            changed, skipped = services.bulk_change_status(
                actor=request.user,
                applications=chosen,
                to_status=bulk.cleaned_data["to_status"],
                message=bulk.cleaned_data["message"],
            )
            messages.success(request, _("%(count)s 件の状態を変更しました。") % {"count": changed})
            if skipped:
                messages.warning(
                    request, _("変更できなかった申請: %(list)s") % {"list": "、".join(skipped)}
                )
            return redirect(request.get_full_path())
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "procedures/staff/inbox.html",
        {
            "filters": filters,
            "page": page,
            "bulk": bulk,
            "bulk_assign": bulk_assign,
            "query": query.urlencode(),
            "tabs": inbox_tabs(request.GET, selectors.inbox_counts(membership)),
            "columns": sort_columns(request.GET),
            "column_labels": COLUMN_LABELS,
        },
    )


def _with(query: QueryDict, **changes) -> str:
    """The inbox URL's query string with ``changes`` (filters stay, the page starts again)."""
    changed = query.copy()
    changed.pop("page", None)
    for key, value in changes.items():
        if value:
            changed[key] = value
        else:
            changed.pop(key, None)
    return "?" + changed.urlencode()


def inbox_tabs(query: QueryDict, counts: dict[str, int]) -> list[dict]:
    current = query.get("view", "")
    totals = {"": counts["all"], **counts}
    return [
        {
            "label": label,
            "count": totals[key],
            "url": _with(query, view=key),
            "current": key == current,
            "alert": key == "overdue" and totals[key] > 0,
        }
        for key, label in INBOX_VIEWS
    ]


COLUMN_LABELS = {
    "receipt": _lazy("受付番号"),
    "procedure": _lazy("手続"),
    "applicant": _lazy("申請者"),
    "submitted": _lazy("受付日時"),
    "due": _lazy("処理期限"),
    "channel": _lazy("経路"),
    "status": _lazy("状態"),
    "assignee": _lazy("担当者"),
}


def sort_columns(query: QueryDict) -> list[dict]:
    """Each column's header: a link sorting by it (again: the other way) and its aria-sort."""
    current = query.get("sort", "")
    columns = []
    for key in INBOX_SORTS:
        ascending, descending = current == key, current == f"-{key}"
        columns.append(
            {
                "label": COLUMN_LABELS[key],
                "url": _with(query, sort=f"-{key}" if ascending else key),
                "aria_sort": "ascending" if ascending else "descending" if descending else "",
            }
        )
    return columns


@requires_role(Role.VIEWER)
def delays(request, org_code):
    """標準処理期間の遵守状況: per procedure, what waits past its due date and what was decided late."""
    return render(
        request, "procedures/staff/delays.html", {"rows": selectors.delays_of(request.membership)}
    )


@requires_role(Role.MANAGER)
@require_http_methods(["GET", "POST"])
def closed_days(request, org_code):
    """The organization's own closed days, which 標準処理期間 does not count."""
    form = ClosedDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_closed_day(
                actor=request.user, organization=request.tenant, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("閉庁日を追加しました。"))
            return redirect("procedures:closed_days", org_code=org_code)
    return render(
        request,
        "procedures/staff/closed_days.html",
        {"form": form, "days": selectors.closed_days(request.tenant)},
        status=422 if form.errors else 200,
    )


@requires_role(Role.MANAGER)
@require_POST
def closed_day_remove(request, org_code, day_id):
    services.remove_closed_day(actor=request.user, day=selectors.closed_day(request.tenant, day_id))
    messages.success(request, _("閉庁日を削除しました。"))
    return redirect("procedures:closed_days", org_code=org_code)


@requires_role(Role.VIEWER)
def application_detail(request, org_code, application_id):
    application = selectors.application_of(request.membership, application_id)
    audit.record_read(
        actor=request.user,
        organization=request.tenant,
        target=application,
        summary="申請内容を閲覧",
    )
    return _detail(request, application)


def _detail(
    request,
    application,
    *,
    status_form=None,
    comment_form=None,
    assign_form=None,
    purge_form=None,
    status=200,
):
    allowed = sorted(
        services.TRANSITIONS[Application.Status(application.status)],
        key=lambda s: list(Application.Status).index(s),
    )
    staff = selectors.assignable_staff(request.tenant)
    context = {
        "application": application,
        "rows": selectors.display_rows(application),
        "files": selectors.application_files(application),
        "events": selectors.history(application, internal=True),
        "status_form": status_form or StatusForm(allowed=allowed),
        "comment_form": comment_form or CommentForm(),
        "assign_form": assign_form
        or AssignForm(staff=staff, initial={"assignee": application.assigned_to}),
        "purge_form": purge_form or PurgeForm(prefix="purge"),
        "can_act": request.membership.has_role(Role.CLERK),
        "panels": panels_for(staff_panels, request, application),
    }
    return render(request, "procedures/staff/application_detail.html", context, status=status)


@requires_role(Role.CLERK)
@require_POST
def application_status(request, org_code, application_id):
    application = selectors.application_of(request.membership, application_id)
    allowed = services.TRANSITIONS[Application.Status(application.status)]
    form = StatusForm(request.POST, allowed=allowed)
    if form.is_valid():
        try:
            services.change_status(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("状態を変更し、申請者に通知しました。"))
            return redirect(
                "procedures:application", org_code=org_code, application_id=application.pk
            )
    return _detail(request, application, status_form=form, status=422)


@requires_role(Role.CLERK)
@require_POST
def application_comment(request, org_code, application_id):
    application = selectors.application_of(request.membership, application_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.add_comment(
            actor=request.user, application=application, text=form.cleaned_data["text"]
        )
        return redirect("procedures:application", org_code=org_code, application_id=application.pk)
    return _detail(request, application, comment_form=form, status=422)


@requires_role(Role.CLERK)
@require_POST
def application_assign(request, org_code, application_id):
    application = selectors.application_of(request.membership, application_id)
    staff = selectors.assignable_staff(request.tenant)
    form = AssignForm(request.POST, staff=staff)
    if form.is_valid():
        services.assign(
            actor=request.user, application=application, assignee=form.cleaned_data["assignee"]
        )
        return redirect("procedures:application", org_code=org_code, application_id=application.pk)
    return _detail(request, application, assign_form=form, status=422)


# Shown inside the application's page (?inline=1): PDFs in a frame of this site, images as such.
PREVIEWABLE = {"application/pdf", "image/png", "image/jpeg"}


@requires_role(Role.VIEWER)
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": ["'self'"]})
def application_file(request, org_code, application_id, file_id):
    application = selectors.application_of(request.membership, application_id)
    stored = selectors.application_file(application, file_id)
    audit.record_read(
        actor=request.user,
        organization=request.tenant,
        target=application,
        summary=f"添付ファイル {stored.original_name} を閲覧",
    )
    return private_file_response(
        stored.file,
        filename=stored.original_name,
        content_type=stored.content_type,
        inline=request.GET.get("inline") == "1" and stored.content_type in PREVIEWABLE,
    )


@requires_role(Role.MANAGER)
def application_export(request, org_code, application_id):
    """One application's data, e.g. to hand to the applicant before erasing it on request."""
    application = selectors.application_of(request.membership, application_id)
    header, rows = exports.application_table(application.procedure, [application])
    audit.record(
        action="procedures.application.exported",
        actor=request.user,
        target=application,
        kind="read",
    )
    return csv_response(export_csv(header, rows), f"{application.receipt_number}.csv")


@requires_role(Role.MANAGER)
@require_POST
def application_purge(request, org_code, application_id):
    application = selectors.application_of(request.membership, application_id)
    form = PurgeForm(request.POST, prefix="purge")
    if not form.is_valid():
        return _detail(request, application, purge_form=form, status=422)
    retention.purge_application(
        actor=request.user, application=application, reason=form.cleaned_data["reason"]
    )
    messages.success(request, _("この申請の個人情報を削除しました。件数の集計には残ります。"))
    return redirect("procedures:application", org_code=org_code, application_id=application.pk)
