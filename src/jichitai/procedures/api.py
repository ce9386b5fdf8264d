"""The procedures part of the JSON API. Public paths are stable (used by other systems):

- ``GET  /api/v1/o/<code>/procedures``
- ``GET  /api/v1/o/<code>/procedures/<id>``
- ``POST /api/v1/o/<code>/procedures/<id>/applications`` (``Idempotency-Key`` header)
- ``GET  /api/v1/applications/<receipt_number>?token=…``

Staff endpoints (``/api/v1/staff/…``) take an organization API token.
"""

import base64
import binascii
import json
from datetime import date, datetime
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from jichitai.api.auth import OrganizationToken
from jichitai.api.parsing import parsed_body
from jichitai.api.schemas import (
    BoundedPagination,
    ErrorOut,
    ObjectId,
    ValidationErrorOut,
    printable,
)
from jichitai.audit import services as audit
from jichitai.core.exports import csv_response, export_csv, xlsx_response
from jichitai.core.middleware import client_ip
from jichitai.core.ratelimit import Rate, hit_reading
from jichitai.procedures import exports, published, selectors, services
from jichitai.procedures.availability import ProcedureUnavailable, unavailable_reason
from jichitai.procedures.definitions import file_fields
from jichitai.procedures.models import Application, Procedure
from jichitai.procedures.notifications import status_url
from jichitai.procedures.registry import fee_of
from jichitai.tenancy.models import Role
from jichitai.tenancy.selectors import organization_by_code

public_router = Router(tags=["手続(公開)"])
staff_router = Router(tags=["受付(職員)"], auth=OrganizationToken())


class ProcedureOut(Schema):
    id: int
    name: str
    category: str
    description: str
    division: str
    opens_at: datetime | None
    closes_at: datetime | None
    capacity: int | None
    capacity_left: int | None
    accepting: bool


class ProcedureFeeOut(Schema):
    kind: Literal["fixed", "per_person", "after_review"]
    label: str
    amount: int | None = Field(
        description="円。定額はその額、1人あたりは1人分の額、審査後に決定する手続は null"
    )


class ProcedureDetailOut(ProcedureOut):
    form_version: int
    form_schema: dict[str, Any] = Field(
        alias="schema", description="申込フォームの JSON Schema (2020-12)"
    )
    needs_signature: bool
    fee: ProcedureFeeOut | None = Field(description="手数料(ない手続は null)")
    needs_attachments: bool


class FeeOut(Schema):
    """What one application owes and whether it has been paid."""

    amount: int
    status: Literal["unpaid", "paid", "cancelled", "refunded"]
    status_label: str
    payment_number: str = Field(description="納付書・入金データに載る納付番号")
    due_date: date
    paid_amount: int | None
    paid_at: datetime | None


def _procedure_fee_out(procedure: Procedure) -> dict | None:
    if procedure.fee_kind == Procedure.FeeKind.NONE:
        return None
    return {
        "kind": procedure.fee_kind,
        "label": procedure.get_fee_kind_display(),
        "amount": procedure.fee_amount,
    }


def _procedure_detail_out(procedure: Procedure) -> dict:
    version = procedure.current_version
    return {
        **_procedure_out(procedure),
        "form_version": version.number,
        "schema": version.schema,
        "needs_signature": procedure.needs_signature,
        "fee": _procedure_fee_out(procedure),
        "needs_attachments": bool(file_fields(version.fields)),
    }


def _procedure_out(procedure: Procedure) -> dict:
    return {
        "id": procedure.pk,
        "name": procedure.name,
        "category": procedure.category,
        "description": procedure.description,
        "division": procedure.division.name,
        "opens_at": procedure.opens_at,
        "closes_at": procedure.closes_at,
        "capacity": procedure.capacity,
        "capacity_left": procedure.capacity_left,
        "accepting": unavailable_reason(procedure) is None,
    }


class ApplicationDataIn(Schema):
    """The form's data: an object following the procedure's JSON Schema (``GET …/procedures/<id>``)."""

    model_config = ConfigDict(extra="allow")


class SubmissionOut(Schema):
    receipt_number: str
    status: str
    status_token: str
    status_url: str


class HistoryOut(Schema):
    at: datetime
    kind: str
    status: str
    message: str


class ApplicationStatusOut(Schema):
    receipt_number: str
    procedure: str
    status: str
    status_label: str
    submitted_at: datetime
    fee: FeeOut | None = Field(description="手数料とその納付状況(手数料のない申請は null)")
    history: list[HistoryOut]


def _status_out(application: Application, *, internal: bool = False) -> dict:
    events = selectors.history(application, internal=internal)
    return {
        "receipt_number": application.receipt_number,
        "procedure": application.procedure.name,
        "status": application.status,
        "status_label": application.get_status_display(),
        "submitted_at": application.submitted_at,
        "fee": fee_of(application),
        "history": [
            {
                "at": event.at,
                "kind": event.kind,
                "status": event.to_status,
                "message": event.message,
            }
            for event in events
        ],
    }


@public_router.get(
    "o/{code}/procedures",
    response={200: list[ProcedureOut], 404: ErrorOut},
    summary="受付中の手続の一覧",
)
def list_procedures(request, code: str, q: str = ""):
    organization = organization_by_code(code)
    return [_procedure_out(p) for p in selectors.open_procedures(organization, query=printable(q))]


@public_router.get(
    "o/{code}/procedures/{procedure_id}",
    response={200: ProcedureDetailOut, 404: ErrorOut},
    summary="手続と申込フォームの JSON Schema",
    by_alias=True,
)
def get_procedure(request, code: str, procedure_id: ObjectId):
    organization = organization_by_code(code)
    procedure = selectors.public_procedure(organization, procedure_id)
    return _procedure_detail_out(procedure)


@public_router.post(
    "o/{code}/procedures/{procedure_id}/applications",
    response={
        201: SubmissionOut,
        400: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
        422: ValidationErrorOut,
        429: ErrorOut,
    },
    summary="申請を送信する",
    description="本文はフォームのデータ(JSON Schema に従うオブジェクト)。同じ手続に同じ Idempotency-Key と同じ本文で再送すると、最初の受付番号を返し、新たに作成しません。同じキーで別の本文を送ると 422(code: idempotency_key_reused)。",
)
# Its one write is ``submit_application``, which opens the transaction it needs (none around the
# single statement that is most submissions).
@transaction.non_atomic_requests
def submit(
    request,
    code: str,
    procedure_id: ObjectId,
    payload: ApplicationDataIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
    signature: str | None = Header(
        None,
        alias="X-Signature",
        description="電子署名が必要な手続: 正規化した内容への CMS 分離署名(DER)の Base64",
    ),
):
    # Counted first, with the version of the published procedures read in the same round trip.
    retry_after, published_version = hit_reading(
        "api-submit",
        client_ip(request) or "unknown",
        Rate.parse(settings.JICHITAI_API_SUBMIT_RATE),
        read=published.VERSION_KEY,
    )
    if retry_after is not None:
        return Status(
            429,
            {
                "detail": _("短時間に多くの送信がありました。しばらく待ってから再送してください。"),
                "code": "rate_limited",
            },
        )
    procedure = selectors.public_procedure_by_code(
        code, procedure_id, published_version=published_version
    )
    # The documented body model keeps no keys it does not know; the form's keys are read from the
    # request itself (ninja has already refused a body that is not JSON).
    if idempotency_key is not None and not (1 <= len(idempotency_key) <= 100):
        return Status(
            422,
            {
                "detail": _("Idempotency-Key は1〜100文字にしてください。"),
                "code": "invalid",
                "errors": {"Idempotency-Key": [_("1〜100文字にしてください。")]},
            },
        )
    data = parsed_body(request)
    if not isinstance(data, dict):
        return Status(
            422,
            {
                "detail": _("本文はフォームのデータのオブジェクト({…})にしてください。"),
                "code": "invalid",
                "errors": {"body": [_("オブジェクトではありません。")]},
            },
        )
    signature_bytes = None
    if signature:
        try:
            signature_bytes = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError):
            return Status(
                422,
                {
                    "detail": _("X-Signature を Base64 として読み取れません。"),
                    "code": "invalid",
                    "errors": {"signature": [_("Base64 で送ってください。")]},
                },
            )
    try:
        submission = services.submit_application(
            procedure=procedure,
            data=data,
            signature=signature_bytes,
            channel=Application.Channel.API,
            idempotency_key=f"api-{idempotency_key}" if idempotency_key else None,
            reject_unknown=True,
        )
    except services.ApplicationInvalid as error:
        return Status(
            422,
            {
                "detail": _("入力内容に誤りがあります。"),
                "code": "invalid",
                "errors": error.message_dict,
            },
        )
    except ProcedureUnavailable as error:
        return Status(409, {"detail": error.message, "code": error.code})
    except services.IdempotencyKeyReused as error:
        return Status(
            422,
            {
                "detail": error.message,
                "code": "idempotency_key_reused",
                "errors": {"Idempotency-Key": [error.message]},
            },
        )
    application = submission.application
    # ``SubmissionOut`` as ninja renders it (the same JSON and content type), without validating
    # its four strings once more.
    answer = {
        "receipt_number": application.receipt_number,
        "status": application.status,
        "status_token": application.status_token,
        "status_url": status_url(application),
    }
    return HttpResponse(
        json.dumps(answer), status=201, content_type="application/json; charset=utf-8"
    )


@public_router.get(
    "applications/{receipt_number}",
    response={200: ApplicationStatusOut, 404: ErrorOut},
    summary="申請の状況照会(受付時に返したトークンが必要)",
)
def application_status(request, receipt_number: str, token: str = ""):
    code = receipt_number.split("-", 1)[0]
    if not code.isdigit():
        raise Http404
    organization = organization_by_code(code)
    application = selectors.application_for_applicant(organization, receipt_number, token)
    return _status_out(application)


# --- Staff -------------------------------------------------------------------------------------


class StaffApplicationOut(Schema):
    id: int
    receipt_number: str
    procedure_id: int
    procedure: str
    status: str
    channel: str
    submitted_at: datetime
    applicant_name: str
    applicant_email: str
    persons: int
    data: dict[str, Any]
    fee: FeeOut | None = Field(description="手数料とその納付状況(手数料のない申請は null)")

    @staticmethod
    def resolve_id(application) -> int:
        return application.pk

    @staticmethod
    def resolve_fee(application) -> dict | None:
        return fee_of(application)

    @staticmethod
    def resolve_procedure(application) -> str:
        return application.procedure.name


class Filters(Schema):
    procedure_id: ObjectId | None = None
    status: (
        Literal[
            "received", "reviewing", "returned", "approved", "rejected", "completed", "withdrawn"
        ]
        | None
    ) = None
    since: date | None = None
    until: date | None = None
    text: str = ""


class StatusChangeIn(Schema):
    status: Literal["reviewing", "returned", "approved", "rejected", "completed"]
    message: str = ""


@staff_router.get(
    "applications", response={200: list[StaffApplicationOut], 401: ErrorOut}, summary="申請の一覧"
)
@paginate(BoundedPagination)
def staff_applications(request, filters: Query[Filters]):
    return selectors.applications_of(
        request.auth,
        procedure=filters.procedure_id,
        status=filters.status or "",
        since=filters.since,
        until=filters.until,
        text=printable(filters.text),
        with_fees=True,
    )


@staff_router.get(
    "applications/{receipt_number}",
    response={200: StaffApplicationOut, 401: ErrorOut, 404: ErrorOut},
    summary="申請の内容",
)
def staff_application(request, receipt_number: str):
    application = selectors.application_by_receipt(request.auth, receipt_number)
    audit.record_read(
        actor=request.auth.user,
        organization=request.auth.organization,
        target=application,
        summary="APIで申請内容を取得",
    )
    return application


@staff_router.post(
    "applications/{receipt_number}/status",
    response={
        200: ApplicationStatusOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="申請の状態を変更して申請者に通知",
)
def staff_change_status(request, receipt_number: str, change: StatusChangeIn):
    principal = request.auth
    if not principal.has_role(Role.CLERK):
        return Status(
            403,
            {
                "detail": _("状態を変更するには担当職員以上の権限のトークンが必要です。"),
                "code": "forbidden",
            },
        )
    application = selectors.application_by_receipt(principal, receipt_number)
    try:
        application = services.change_status(
            actor=principal.user,
            application=application,
            to_status=change.status,
            message=change.message,
        )
    except ValidationError as error:
        return Status(
            422,
            {
                "detail": _("状態を変更できません。"),
                "code": "invalid",
                "errors": {"status": error.messages},
            },
        )
    return _status_out(application, internal=True)


@staff_router.get(
    "procedures/{procedure_id}/export",
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    summary="申請データの書き出し(CSV UTF-8 BOM付き / Shift_JIS / XLSX)",
)
def staff_export(
    request, procedure_id: ObjectId, format: Literal["csv", "csv-sjis", "xlsx"] = "csv"
):
    principal = request.auth
    procedure = selectors.visible_procedure(principal, procedure_id)
    applications = selectors.applications_for_export(principal, procedure)
    if format == "xlsx":
        return xlsx_response(
            exports.workbook(procedure, applications), f"applications_{procedure.pk}.xlsx"
        )
    header, rows = exports.application_table(procedure, applications)
    export = export_csv(header, rows, encoding="cp932" if format == "csv-sjis" else "utf-8-sig")
    response = csv_response(export, f"applications_{procedure.pk}.csv")
    response["X-Unencodable-Characters"] = str(len(export.unencodable))
    return response
