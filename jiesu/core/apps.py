from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "jiesu.core"
    label = "core"
    verbose_name = _("核心")

    def ready(self) -> None:
        from django.contrib import admin

        admin.site.site_header = _("接诉 · 12345 热线管理后台")
        admin.site.site_title = _("接诉管理后台")
        admin.site.index_title = _("配置管理")
