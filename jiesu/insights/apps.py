from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class InsightsConfig(AppConfig):
    name = "jiesu.insights"
    label = "insights"
    verbose_name = pgettext_lazy("app", "热点发现")
