from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "jichitai.operations"
    label = "operations"
    verbose_name = "運用(バックアップ・復元)"
