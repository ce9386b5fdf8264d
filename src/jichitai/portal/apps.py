from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "jichitai.portal"
    label = "portal"
    verbose_name = "公開ページ"
