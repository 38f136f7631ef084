from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorktimeConfig(AppConfig):
    name = "jiesu.worktime"
    label = "worktime"
    verbose_name = _("工作日历")

    def ready(self) -> None:
        from django.core import checks

        from jiesu.core.process_cache import watch
        from jiesu.worktime.checks import calendar_years_check
        from jiesu.worktime.models import CalendarDay, CalendarYear, WorkSchedule

        checks.register(calendar_years_check, "worktime", checks.Tags.database)
        watch(CalendarYear, CalendarDay, WorkSchedule)  # the calendar is read once per process
