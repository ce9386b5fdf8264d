from django.apps import AppConfig


class SignaturesConfig(AppConfig):
    name = "jichitai.signatures"
    label = "signatures"
    verbose_name = "電子署名"

    def ready(self) -> None:
        from jichitai.signatures import registrations  # noqa: F401
