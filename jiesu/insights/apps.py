from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class InsightsConfig(AppConfig):
    name = "jiesu.insights"
    label = "insights"
    verbose_name = pgettext_lazy("app", "热点发现")

    def ready(self) -> None:
        from jiesu.insights import digest, early_warnings  # noqa: F401  the warning's message, the circular's section
