from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorktimeConfig(AppConfig):
    name = "jiesu.worktime"
    label = "worktime"
    verbose_name = _("工作日历")

    def ready(self) -> None:
        from django.core import checks

        from jiesu.worktime.checks import calendar_years_check

        checks.register(calendar_years_check, "worktime", checks.Tags.database)
