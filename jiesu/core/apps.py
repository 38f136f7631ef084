from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "jiesu.core"
    label = "core"
    verbose_name = _("核心")

    def ready(self) -> None:
        from django.contrib import admin
        from django.db.models.signals import post_migrate

        from jiesu.core import partitions, security_checks  # noqa: F401 (registers the production checks)

        post_migrate.connect(_install_config_triggers, sender=self, dispatch_uid="core:config_triggers")
        partitions.register("core_event", "occurred_at")  # by month on PostgreSQL (migration 0006)

        admin.site.site_header = _("接诉 · 12345 热线管理后台")
        admin.site.site_title = _("接诉管理后台")
        admin.site.index_title = _("配置管理")


def _install_config_triggers(using: str = "default", **_: object) -> None:
    from django.db import connections

    from jiesu.core.process_cache import install_triggers

    install_triggers(connections[using])
