"""Reads behind the inbox's views and the due dates: which applications wait for whom, how they
sort, and an application's due date under its procedure's 標準処理期間. ``selectors`` applies
them to what a member may see."""

from datetime import timedelta

from django.db.models import Count, DateTimeField, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from jichitai.procedures import deadlines
from jichitai.procedures.models import Application, ApplicationEvent, ClosedDay, Procedure
from jichitai.tenancy.selectors import for_tenant

# Statuses in which the organization has to act (its 期限 runs) and in which an application still
# waits for someone (差戻し waits for the applicant, 承認 for completion).
AWAITING_STAFF = [Application.Status.RECEIVED, Application.Status.REVIEWING]
WAITING = [*AWAITING_STAFF, Application.Status.RETURNED, Application.Status.APPROVED]
SORT_COLUMNS = {
    "receipt": "receipt_number",
    "procedure": "procedure__name",
    "applicant": "applicant_name",
    "submitted": "submitted_at",
    "due": "due_date",
    "channel": "channel",
    "status": "status",
    "assignee": "assigned_to__full_name",
}


def closed_days_query(organization) -> QuerySet[ClosedDay]:
    return for_tenant(ClosedDay, organization)


def closed_days_of(organization, *, since=None) -> set:
    days = closed_days_query(organization)
    if since is not None:
        days = days.filter(date__gte=since)
    return set(days.values_list("date", flat=True))


def due_date_for(procedure: Procedure, received_on):
    """The application's due date under the procedure's 標準処理期間, if it has one."""
    if not procedure.processing_days:
        return None
    return deadlines.add_open_days(
        received_on,
        procedure.processing_days,
        closed_days_of(procedure.organization, since=received_on),
    )


def due_date_on_return(application: Application, *, returned_on, back_on):
    """The due date of an application returned (差戻し) on ``returned_on`` and back with the
    organization on ``back_on``: the open days it had left, counted again from ``back_on``."""
    if application.due_date is None:
        return None
    closed = closed_days_of(
        application.organization, since=min(returned_on, application.due_date, back_on)
    )
    left = deadlines.open_days_between(returned_on, application.due_date, closed)
    return deadlines.add_open_days(back_on, left, closed)


def returned_on(application: Application):
    """The day the application was last returned to its applicant."""
    event = (
        ApplicationEvent.objects.filter(
            application=application, to_status=Application.Status.RETURNED
        )
        .order_by("-at", "-id")
        .first()
    )
    return timezone.localdate(event.at) if event else None


def in_view(
    applications: QuerySet[Application], view: str, *, user, status: str = ""
) -> QuerySet[Application]:
    """「自分の担当」「未割当」: work still waiting (unless a status is asked for);
    「期限超過」: past the due date while the organization has to act."""
    if view in ("mine", "unassigned"):
        applications = applications.filter(assigned_to=user if view == "mine" else None)
        if not status:
            applications = applications.filter(status__in=WAITING)
    elif view == "overdue":
        applications = applications.filter(
            status__in=AWAITING_STAFF, due_date__lt=timezone.localdate()
        )
    return applications


def sorted_by(applications: QuerySet[Application], sort: str) -> QuerySet[Application]:
    """``sort`` is a key of ``SORT_COLUMNS``, "-" first for descending; blanks go last."""
    column = SORT_COLUMNS.get(sort.lstrip("-"))
    if column is None:
        return applications
    if sort.startswith("-"):
        return applications.order_by(F(column).desc(nulls_last=True), "-id")
    return applications.order_by(F(column).asc(nulls_last=True), "id")


def counts(applications: QuerySet[Application], user) -> dict[str, int]:
    today = timezone.localdate()
    return applications.aggregate(
        mine=Count("id", filter=Q(assigned_to=user, status__in=WAITING)),
        unassigned=Count("id", filter=Q(assigned_to__isnull=True, status__in=WAITING)),
        overdue=Count("id", filter=Q(status__in=AWAITING_STAFF, due_date__lt=today)),
        due_soon=Count(
            "id",
            filter=Q(
                status__in=AWAITING_STAFF,
                due_date__gte=today,
                due_date__lte=today + timedelta(days=deadlines.DUE_SOON_DAYS),
            ),
        ),
        waiting=Count("id", filter=Q(status__in=WAITING)),
        all=Count("id"),
    )


def delays_by_procedure(applications: QuerySet[Application]) -> list[dict]:
    """Per procedure with a 標準処理期間: applications waiting, how many of them are past due,
    and of those decided (承認・却下) how many were decided after their due date."""
    decided_at = Subquery(
        ApplicationEvent.objects.filter(
            application=OuterRef("pk"),
            kind=ApplicationEvent.Kind.STATUS,
            to_status__in=[Application.Status.APPROVED, Application.Status.REJECTED],
        )
        .order_by("at")
        .values("at")[:1],
        output_field=DateTimeField(),
    )
    today = timezone.localdate()
    rows = (
        applications.filter(due_date__isnull=False)
        .annotate(decided_at=decided_at)
        .values("procedure_id", "procedure__name", "procedure__processing_days")
        .annotate(
            waiting=Count("id", filter=Q(status__in=AWAITING_STAFF)),
            overdue=Count("id", filter=Q(status__in=AWAITING_STAFF, due_date__lt=today)),
            decided=Count("id", filter=Q(decided_at__isnull=False)),
            decided_late=Count("id", filter=Q(decided_at__date__gt=F("due_date"))),
        )
        .order_by("-overdue", "procedure__name")
    )
    return list(rows)
