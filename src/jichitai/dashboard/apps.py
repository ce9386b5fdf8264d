from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "jichitai.dashboard"
    label = "dashboard"
    verbose_name = "職員ホーム"

    def ready(self) -> None:
        from jichitai.dashboard import cards  # noqa: F401  (registers the foundation's cards)
