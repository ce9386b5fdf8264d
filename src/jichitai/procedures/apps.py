from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "jichitai.procedures"
    label = "procedures"
    verbose_name = "電子申請・届出"

    def ready(self) -> None:
        from jichitai.procedures import jobs, published, registrations  # noqa: F401

        published.connect_signals()
