from django.apps import AppConfig


class PdcaConfig(AppConfig):
    name = "jichitai.pdca"
    label = "pdca"
    verbose_name = "計画・KPI(PDCA)"

    def ready(self) -> None:
        from jichitai.pdca import jobs, registrations  # noqa: F401
