from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "jichitai.procedures"
    label = "procedures"
    verbose_name = "電子申請・届出"

    def ready(self) -> None:
        from jichitai.procedures import (  # noqa: F401
            jobs,
            published,
            registrations,
            repeat_rendering,
            repeats,
        )

        published.connect_signals()
