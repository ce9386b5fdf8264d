from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "jichitai.payments"
    label = "payments"
    verbose_name = "手数料・納付"

    def ready(self) -> None:
        from jichitai.payments import checks, methods, registrations  # noqa: F401
