from django.apps import AppConfig


class AutomationConfig(AppConfig):
    name = "jichitai.automation"
    label = "automation"
    verbose_name = "業務自動化(RPA)"

    def ready(self) -> None:
        from jichitai.automation import jobs, registrations, steps  # noqa: F401  (they register)
