from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jichitai.api"
    label = "api"
    verbose_name = "API"
