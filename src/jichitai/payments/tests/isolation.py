from jichitai.payments.models import ReconciliationBatch
from jichitai.payments.tests.factories import application_with_payment
from jichitai.tenancy.tests.isolation import object_kwargs

object_kwargs.register(
    "payment_id", lambda organization: application_with_payment(organization).payment.pk
)
object_kwargs.register(
    "batch_id",
    lambda organization: (
        ReconciliationBatch.objects.create(organization=organization, file_name="伊勢市.csv").pk
    ),
)
# Not objects: the document and the action a URL names. The walk still proves the payment in it
# belongs to another organization.
object_kwargs.register("kind", lambda organization: "slip")
object_kwargs.register("action", lambda organization: "cancel")
