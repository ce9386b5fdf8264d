from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "jichitai.demo"
    label = "demo"
    verbose_name = "デモデータ"

    def ready(self) -> None:
        from jichitai.demo import foundation  # noqa: F401  (registers the foundation's loader)
