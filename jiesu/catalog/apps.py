from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "jiesu.catalog"
    label = "catalog"
    verbose_name = _("派单目录与时限")

    def ready(self) -> None:
        from jiesu.catalog.models import Category, Channel, DispatchRule, TimeLimit
        from jiesu.core.process_cache import watch

        watch(Category, Channel, DispatchRule, TimeLimit)  # read once per process (jiesu.core.process_cache)
