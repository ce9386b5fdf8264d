from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "jichitai.tenancy"
    label = "tenancy"
    verbose_name = "団体・所属"
