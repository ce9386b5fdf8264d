"""Steps on the platform's own data: the approved applications of a procedure."""

from django.utils.translation import gettext_noop

from jichitai.automation.errors import BusinessError
from jichitai.automation.registry import ANY, EXTERNAL, STRING, step


@step(
    "applications.approved",
    gettext_noop("承認済みの申請の読み取り"),
    properties={"procedure": ANY},
    required=["procedure"],
)
def applications_approved(ctx, procedure):
    from jichitai.automation import selectors

    return selectors.approved_applications(ctx.organization, procedure)


@step(
    "applications.complete",
    gettext_noop("申請を完了にする"),
    properties={"receipt_number": STRING, "message": STRING},
    required=["receipt_number"],
    effect=EXTERNAL,
    describe=lambda p: f"申請 {p.get('receipt_number')} を「完了」にする",
)
def applications_complete(ctx, receipt_number, message=""):
    """Marks an approved application of the organization completed (its history says why)."""
    from jichitai.procedures import services as procedures
    from jichitai.procedures.models import Application
    from jichitai.tenancy.selectors import for_tenant

    application = (
        for_tenant(Application, ctx.organization).filter(receipt_number=receipt_number).first()
    )
    if application is None:
        raise BusinessError(f"受付番号 {receipt_number} の申請がありません。")
    if application.status == Application.Status.COMPLETED:
        return application.status
    if application.status != Application.Status.APPROVED:
        raise BusinessError(
            f"受付番号 {receipt_number} の申請は「{application.get_status_display()}」のため完了にできません。"
        )
    procedures.change_status(
        actor=None, application=application, to_status="completed", message=message
    )
    return "completed"
