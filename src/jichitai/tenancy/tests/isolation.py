"""What the tenant-isolation walk substitutes for each URL keyword argument.

Every app whose staff URLs take an object argument registers, in its own ``tests/isolation.py``,
a function that creates such an object in a given organization and returns the URL value. The
walk fails for an argument nobody registered, so a new URL cannot escape it.
"""

from jichitai.audit.models import AuditEvent
from jichitai.core.registry import Registry
from jichitai.jobs.models import Job
from jichitai.tenancy.tests.factories import DivisionFactory, MembershipFactory


def _api_token(organization):
    from jichitai.accounts import services
    from jichitai.tenancy.models import Role

    membership = MembershipFactory(organization=organization, role=Role.ADMIN)
    return services.create_api_token(
        actor=None, membership=membership, name="isolation", role=Role.VIEWER
    )[0].pk


object_kwargs: Registry = Registry("tenant isolation URL arguments")

object_kwargs.register(
    "division_id", lambda organization: DivisionFactory(organization=organization).pk
)
object_kwargs.register(
    "membership_id", lambda organization: MembershipFactory(organization=organization).pk
)
# A prefecture's municipality pages take a municipality's code; for the walk the "other" tenant's
# own code is the value a curious clerk would try.
object_kwargs.register("municipality_code", lambda organization: organization.code)
object_kwargs.register(
    "event_id",
    lambda organization: AuditEvent.objects.create(action="test", organization=organization).pk,
)
object_kwargs.register(
    "job_id",
    lambda organization: (
        Job.objects.create(kind="test", title="伊勢市の処理", organization=organization).pk
    ),
)
object_kwargs.register("token_id", _api_token)


def _invitation(organization):
    from jichitai.tenancy import services
    from jichitai.tenancy.models import Role

    admin = MembershipFactory(organization=organization, role=Role.ADMIN).user
    return services.invite_member(
        actor=admin,
        organization=organization,
        username="isolation-invitee",
        email="invitee@example.jp",
        role=Role.CLERK,
    ).pk


object_kwargs.register("invitation_id", _invitation)
