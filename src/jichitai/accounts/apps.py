from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "jichitai.accounts"
    label = "accounts"
    verbose_name = "職員アカウント"

    def ready(self) -> None:
        from jichitai.accounts import registrations  # noqa: F401
