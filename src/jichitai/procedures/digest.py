"""The staff's e-mail digest of new and resubmitted applications: one mail per person per run,
to the active staff of the division that owns each procedure (a procedure with no division: the
organization's managers and administrators), unless they turned it off on their account page.
Nothing is sent when nothing is new.

It reads the applications' history (``ApplicationEvent`` of kind 受付 and 修正して再提出) rather
than hooking into submission: a submission never waits for a mail, and an event is marked once
its digest has gone out, so a run missed is made up by the next."""

from collections import defaultdict

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from jichitai.core.links import absolute_url
from jichitai.procedures.models import ApplicationEvent
from jichitai.tenancy.models import Membership, Role
from jichitai.tenancy.selectors import for_tenant

ANNOUNCED = (ApplicationEvent.Kind.SUBMITTED, ApplicationEvent.Kind.RESUBMITTED)


def _recipients(procedure) -> list:
    memberships = for_tenant(Membership.objects.all(), procedure.organization).filter(
        is_active=True,
        user__is_active=True,
        user__application_digest=True,
        role__in=[Role.CLERK, Role.MANAGER, Role.ADMIN],
    )
    if procedure.division_id:
        memberships = memberships.filter(division_id=procedure.division_id)
    else:
        memberships = memberships.filter(role__in=[Role.MANAGER, Role.ADMIN])
    return [m.user for m in memberships.select_related("user").exclude(user__email="")]


def _application_url(application) -> str:
    return absolute_url(
        reverse(
            "procedures:application",
            kwargs={"org_code": application.organization.code, "application_id": application.pk},
        )
    )


@transaction.atomic
def send_staff_digest() -> dict:
    """Sends this run's digests and marks what they told of. Events are locked (others skipped),
    so two runs at once never announce the same application twice."""
    events = list(
        ApplicationEvent.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(kind__in=ANNOUNCED, staff_notified_at__isnull=True)
        .select_related("application__organization", "application__procedure")
        .order_by("at", "id")
    )
    # person → organization → procedure → events
    per_person: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    people = {}
    for event in events:
        procedure = event.application.procedure
        for user in _recipients(procedure):
            people[user.pk] = user
            per_person[user.pk][event.application.organization][procedure].append(
                {"event": event, "url": _application_url(event.application)}
            )
    for user_id, organizations in per_person.items():
        user = people[user_id]
        count = sum(len(rows) for procs in organizations.values() for rows in procs.values())
        body = render_to_string(
            "procedures/email/staff_digest.txt",
            {
                "user": user,
                "organizations": {
                    organization: dict(procedures)
                    for organization, procedures in organizations.items()
                },
                "inbox_urls": {
                    organization: absolute_url(
                        reverse("procedures:inbox", kwargs={"org_code": organization.code})
                    )
                    for organization in organizations
                },
                "settings_url": absolute_url(reverse("accounts:notification_settings")),
            },
        )
        send_mail(f"【電子申請】新しい申請・再提出 {count} 件", body, None, [user.email])
    ApplicationEvent.objects.filter(pk__in=[e.pk for e in events]).update(
        staff_notified_at=timezone.now()
    )
    return {"events": len(events), "mails": len(per_person)}
