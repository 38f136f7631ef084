from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "jiesu.intelligence"
    label = "intelligence"
    verbose_name = "智能辅助"
