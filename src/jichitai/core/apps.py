from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jichitai.core"
    label = "core"
    verbose_name = "共通"

    def ready(self) -> None:
        from jichitai.core import checks  # noqa: F401  (registers the deploy checks)
