from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "jiesu.catalog"
    label = "catalog"
    verbose_name = "派单目录与时限"
