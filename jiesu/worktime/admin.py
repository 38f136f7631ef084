"""Admin pages for the working calendar (in Chinese). Every save and delete goes through the services, so each
change is written to the event log. Years are never deleted (untick “已录入完整” instead).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jiesu.core.errors import DomainError, ValidationFailed
from jiesu.worktime import services
from jiesu.worktime.calendar import parse_periods
from jiesu.worktime.models import CalendarDay, CalendarYear, WorkSchedule

WEEKDAYS = "一二三四五六日"

# The admin index shows a warning when a calendar year is missing (see templates/worktime/admin_index.html).
# `index_template` is the documented AdminSite hook; it leaves settings and other apps' templates untouched.
admin.site.index_template = "worktime/admin_index.html"


class ReasonForm(forms.ModelForm):
    reason = forms.CharField(label=_("变更说明"), required=False, max_length=500,
                             help_text=_("可选，记入操作日志。"), widget=forms.TextInput(attrs={"size": 60}))


class CalendarDayForm(ReasonForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        on, kind = data.get("date"), data.get("kind")
        if on and kind:
            try:
                services.check_day(on, kind)
            except ValidationFailed as exc:
                raise forms.ValidationError(str(exc.message)) from None
        return data


class DayFormSet(forms.BaseInlineFormSet):
    """Days must lie in their year. (CalendarDay.clean checks saved years; this also covers a year being added.)"""

    def clean(self) -> None:
        super().clean()
        year = self.instance.year
        for form in self.forms:
            on = getattr(form, "cleaned_data", {}).get("date")
            if on and year and on.year != year and not form.cleaned_data.get("DELETE") and "date" not in form.errors:
                form.add_error("date", _("日期不在所选年度内。"))


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    form = CalendarDayForm
    formset = DayFormSet
    fields = ["date", "kind", "name"]
    extra = 0
    verbose_name_plural = _("节假日与调休日（未列出的日期：周一至周五上班，周六周日休息）")


def _report(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, str(exc.message))


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "is_complete", "source", "off_count", "working_count", "updated_at"]
    list_filter = ["is_complete", "source"]
    fields = ["year", "source", "is_complete", "note", "reason", "updated_at"]
    readonly_fields = ["source", "updated_at"]
    inlines = [CalendarDayInline]
    actions = ["seed_official"]
    form = ReasonForm

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*self.readonly_fields, "year"] if obj else list(self.readonly_fields)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("休息日（工作日放假）"))
    def off_count(self, obj: CalendarYear) -> int:
        return obj.days.filter(kind=CalendarDay.Kind.OFF).count()

    @admin.display(description=_("调休上班日"))
    def working_count(self, obj: CalendarYear) -> int:
        return obj.days.filter(kind=CalendarDay.Kind.WORKING).count()

    def save_model(self, request: HttpRequest, obj: CalendarYear, form: Any, change: bool) -> None:
        row = services.set_year(request.user, obj.year, source=None if change else "manual", note=obj.note,
                                is_complete=obj.is_complete, reason=form.cleaned_data.get("reason", ""))
        obj.pk, obj.source = row.pk, row.source

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        reason = form.cleaned_data.get("reason", "")
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for day_form in formset.initial_forms:
            if day_form in formset.deleted_forms:
                services.remove_day(request.user, day_form.initial["date"], reason)
                formset.deleted_objects.append(day_form.instance)
            elif day_form.has_changed():
                _save_day(request, day_form, reason)
                formset.changed_objects.append((day_form.instance, day_form.changed_data))
        for day_form in formset.extra_forms:
            if day_form.has_changed() and day_form not in formset.deleted_forms:
                _save_day(request, day_form, reason)
                formset.new_objects.append(day_form.instance)

    @admin.action(description=_("按国务院办公厅安排（chinese-calendar）重新导入所选年度"))
    def seed_official(self, request: HttpRequest, queryset: Any) -> None:
        for row in queryset:
            try:
                result = services.seed_year(request.user, row.year, reason="后台导入")
            except DomainError as exc:
                _report(request, exc)
                continue
            messages.info(request, _("%(year)s 年：新增 %(a)d、修改 %(c)d、删除 %(r)d 天。") % {
                "year": row.year, "a": len(result.added), "c": len(result.changed), "r": len(result.removed)})


def _save_day(request: HttpRequest, form: Any, reason: str) -> CalendarDay:
    """Save one day form through the services; a changed date is a removal plus a new day."""
    obj = form.instance
    old_date = form.initial.get("date")
    if old_date and old_date != obj.date:
        services.remove_day(request.user, old_date, reason)
    saved = services.set_day(request.user, obj.date, obj.kind, obj.name, reason)
    obj.pk, obj.year_id = saved.pk, saved.year_id
    return saved


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    form = CalendarDayForm
    list_display = ["date", "weekday", "kind", "name", "year"]
    list_filter = ["year", "kind"]
    search_fields = ["name"]
    date_hierarchy = "date"
    fields = ["date", "kind", "name", "reason"]
    list_per_page = 100

    @admin.display(description=_("星期"))
    def weekday(self, obj: CalendarDay) -> str:
        return f"周{WEEKDAYS[obj.date.weekday()]}"

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: Any, change: bool) -> None:
        _save_day(request, form, form.cleaned_data.get("reason", ""))

    def delete_model(self, request: HttpRequest, obj: CalendarDay) -> None:
        services.remove_day(request.user, obj.date, "后台删除")

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for day in queryset:
            services.remove_day(request.user, day.date, "后台批量删除")


class WorkScheduleForm(ReasonForm):
    class Meta:
        model = WorkSchedule
        fields = ["periods", "cutoff", "valid_from"]

    def clean_periods(self) -> Any:
        periods = self.cleaned_data.get("periods")
        try:
            parse_periods(periods or [])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        return periods


@admin.register(WorkSchedule)
class WorkScheduleAdmin(admin.ModelAdmin):
    form = WorkScheduleForm
    list_display = ["__str__", "valid_from", "updated_at"]
    fields = ["periods", "cutoff", "valid_from", "reason"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not WorkSchedule.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: WorkSchedule, form: Any, change: bool) -> None:
        row = services.set_schedule(request.user, periods=obj.periods, cutoff=obj.cutoff,
                                    valid_from=obj.valid_from, reason=form.cleaned_data.get("reason", ""))
        obj.pk = row.pk
