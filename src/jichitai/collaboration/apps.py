from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    name = "jichitai.collaboration"
    label = "collaboration"
    verbose_name = "市町連携"

    def ready(self) -> None:
        from jichitai.collaboration import registrations  # noqa: F401
