"""The working calendar as data: years with their exceptional days, and the working hours of a day."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_PERIODS: list[list[str]] = [["08:30", "12:00"], ["13:30", "17:30"]]
DEFAULT_CUTOFF = "17:00"


class CalendarYear(models.Model):
    """A year whose days off and adjusted working days have been entered. Only complete years are used."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    source = models.CharField(_("来源"), max_length=60, default="manual",
                              help_text=_("例如 chinese-calendar 1.11 或 manual（人工录入）"))
    note = models.TextField(_("备注"), blank=True, help_text=_("例如国务院办公厅通知的文号"))
    is_complete = models.BooleanField(
        _("已录入完整"), default=False,
        help_text=_("只有标记为完整的年度才用于计算期限；录入中的年度按“缺少日历”处理。"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年"


class CalendarDay(models.Model):
    """An exception to the week: a weekday off (休息日) or a weekend working day (调休上班)."""

    class Kind(models.TextChoices):
        OFF = "off", _("休息日")
        WORKING = "working", _("调休上班")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=40, blank=True, help_text=_("例如 春节、国庆节"))
    year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days", verbose_name=_("年度"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("节假日或调休日")
        verbose_name_plural = _("节假日与调休日")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".strip()

    def clean(self) -> None:
        if self.date and self.year_id and self.date.year != self.year.year:
            raise ValidationError({"date": _("日期不在所选年度内。")})


class WorkSchedule(models.Model):
    """Working hours of a working day and the cut-off time. One row is in force (the latest)."""

    periods = models.JSONField(
        _("工作时段"), default=list,
        help_text=_('按时间顺序的时段列表，例如 [["08:30", "12:00"], ["13:30", "17:30"]]'),
    )
    cutoff = models.TimeField(_("当日受理截止时间"), help_text=_("此时间及以后受理的诉求从下一个工作日起算。"))
    valid_from = models.DateField(_("启用日期"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("作息时间")
        verbose_name_plural = _("作息时间")
        ordering = ["-valid_from", "-id"]

    def __str__(self) -> str:
        spans = "、".join(f"{start}–{end}" for start, end in self.periods)
        return f"{spans}（截止 {self.cutoff:%H:%M}）"
