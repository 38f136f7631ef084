"""Seed every year chinese-calendar knows (only the exceptional days) and the default working hours."""

import datetime

from django.db import migrations

from jiesu.worktime.official import official_exceptions, official_years, source_label

DEFAULT_PERIODS = [["08:30", "12:00"], ["13:30", "17:30"]]


def seed(apps, schema_editor):
    CalendarYear = apps.get_model("worktime", "CalendarYear")
    CalendarDay = apps.get_model("worktime", "CalendarDay")
    WorkSchedule = apps.get_model("worktime", "WorkSchedule")
    source = source_label()
    present = set(CalendarYear.objects.values_list("year", flat=True))
    years = CalendarYear.objects.bulk_create(
        [CalendarYear(year=year, source=source, is_complete=True) for year in official_years() if year not in present]
    )
    by_year = {row.year: row for row in CalendarYear.objects.filter(year__in=[y.year for y in years])}
    days = [
        CalendarDay(date=day, kind=kind, name=name, year=by_year[year])
        for year in sorted(by_year)
        for day, kind, name in official_exceptions(year)
    ]
    CalendarDay.objects.bulk_create(days, batch_size=500)
    if not WorkSchedule.objects.exists():
        WorkSchedule.objects.create(
            periods=DEFAULT_PERIODS, cutoff=datetime.time(17, 0), valid_from=datetime.date(min(official_years()), 1, 1)
        )


class Migration(migrations.Migration):
    dependencies = [("worktime", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
