from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jichitai.audit"
    label = "audit"
    verbose_name = "監査ログ"
