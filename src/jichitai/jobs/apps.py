from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jichitai.jobs"
    label = "jobs"
    verbose_name = "バックグラウンド処理"

    def ready(self) -> None:
        from jichitai.jobs import checks, registrations  # noqa: F401  (registers them)
