from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jiesu.core"
    label = "core"
    verbose_name = "核心"
