from django.apps import AppConfig


class WorktimeConfig(AppConfig):
    name = "jiesu.worktime"
    label = "worktime"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from django.core import checks

        from jiesu.worktime.checks import calendar_years_check

        checks.register(calendar_years_check, "worktime", checks.Tags.database)
