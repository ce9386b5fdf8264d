from jichitai.collaboration.models import Initiative, SurveyRequest
from jichitai.collaboration.tests.factories import council
from jichitai.tenancy.models import Organization
from jichitai.tenancy.tests.isolation import object_kwargs


def _initiative(organization):
    prefecture = organization if organization.parent_id is None else organization.parent
    existing = Initiative.objects.filter(organization=prefecture).first()
    return existing or council(prefecture, [organization] if organization.parent_id else [])


def _survey_request(organization):
    prefecture = organization.parent or Organization.objects.get(code="240001")
    initiative = _initiative(prefecture)
    request, _created = SurveyRequest.objects.get_or_create(
        initiative=initiative, organization=organization
    )
    return request.pk


object_kwargs.register("initiative_id", lambda organization: _initiative(organization).pk)
object_kwargs.register("request_id", _survey_request)


def _material(organization):
    """A material of a council ``organization`` took part in."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jichitai.collaboration import services

    initiative = _initiative(organization)
    if organization.parent_id is not None:
        services.record_participation(actor=None, initiative=initiative, municipality=organization)
    session = initiative.sessions.first()
    return services.add_material(
        actor=None,
        session=session,
        upload=SimpleUploadedFile("資料.txt", "議事次第".encode(), content_type="text/plain"),
    ).pk


object_kwargs.register(
    "session_id", lambda organization: _initiative(organization).sessions.first().pk
)
object_kwargs.register("material_id", _material)
