from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jiesu.web"
    label = "web"
    verbose_name = "网页"
