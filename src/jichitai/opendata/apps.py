from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "jichitai.opendata"
    label = "opendata"
    verbose_name = "オープンデータ"

    def ready(self) -> None:
        from jichitai.opendata import ckan, jobs, registrations  # noqa: F401
