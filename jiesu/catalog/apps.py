from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "jiesu.catalog"
    label = "catalog"
    verbose_name = _("派单目录与时限")
