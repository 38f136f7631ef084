from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jiesu.api"
    label = "api"
    verbose_name = "接口"
