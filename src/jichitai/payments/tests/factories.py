from jichitai.procedures import services as procedures
from jichitai.procedures.tests.factories import event_data, published_procedure


def paid_procedure(organization, **settings):
    settings.setdefault("fee_kind", "fixed")
    settings.setdefault("fee_amount", 1500)
    return published_procedure(
        organization, name=settings.pop("name", "手数料のある講座"), **settings
    )


def application_with_payment(organization, number: int = 0, **settings):
    procedure = paid_procedure(organization, **settings)
    return procedures.submit_application(procedure=procedure, data=event_data(number)).application
