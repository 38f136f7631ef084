"""The lifecycle tests' small city (a fixed working Monday, 2026-03-02 09:00), and figures read both ways."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from jiesu.api.tests.conftest import apis  # noqa: F401  (fixtures reused as they are)
from jiesu.core import clock
from jiesu.evaluation import facts
from jiesu.evaluation.periods import Period
from jiesu.evaluation.queries import FigureScope, FigureTable, compute
from jiesu.tickets import services
from jiesu.tickets.sweep import sweep
from jiesu.tickets.tests.conftest import FIXED_NOW, City, city, fixed_clock  # noqa: F401

CITY = FigureScope(None, viewer_city_wide=True)
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


def comparable(table: FigureTable) -> dict[str, Any]:
    """A table as plain numbers, without zero cells (the naive path also sees items that add nothing)."""
    def cells(values: dict) -> dict:
        return {code: (round(v.numerator, 3), v.denominator) for code, v in values.items()
                if v.numerator or v.denominator}
    groups = {g.key: cells(g.values) for g in table.groups}
    return {"total": cells(table.total), "city": cells(table.city),
            "groups": {k: v for k, v in groups.items() if v}}


def read(scope: FigureScope = CITY, period: Period = MARCH, group_by: str | None = None) -> FigureTable:
    """The figures from the facts (refreshed), after checking they equal the naive computation."""
    facts.refresh()
    fast = compute(scope, period, group_by=group_by, fresh=False)
    naive = compute(scope, period, group_by=group_by, naive=True)
    assert comparable(fast) == comparable(naive)
    return fast


def value(table: FigureTable, code: str, where: str = "total") -> tuple[float, int]:
    v = getattr(table, where)[code]
    return (round(v.numerator, 3), v.denominator)


class Story:
    """Acts on one ticket at moments counted in working hours from the fixed Monday morning."""

    def __init__(self, the_city: City, **ticket: Any):
        self.city = the_city
        with clock.at(FIXED_NOW):
            self.ticket = services.accept(the_city.operator, the_city.ticket_data(**ticket))

    def at(self, moment: datetime | timedelta, who: str, action: str, **data: Any) -> Story:
        when = FIXED_NOW + moment if isinstance(moment, timedelta) else moment
        with clock.at(when):
            self.ticket = services.perform(getattr(self.city, who), self.ticket.number, action, data)
        return self

    def sweep(self, moment: timedelta) -> Story:
        sweep(FIXED_NOW + moment)
        return self


@pytest.fixture
def story(city: City) -> Callable[..., Story]:  # noqa: F811
    return lambda **ticket: Story(city, **ticket)


@pytest.fixture
def history(city: City) -> tuple[Any, Any]:  # noqa: F811
    """Two tickets dispatched on the fixed Monday and signed for: one to the heating company, one to 城管局."""
    heat = services.accept(city.operator, city.ticket_data())
    services.dispatch(city.dispatcher, heat.number, lead_unit="heating")
    services.sign(city.heating_handler, heat.number)
    urban = services.accept(city.operator, city.ticket_data(title="占道经营"))
    services.dispatch(city.dispatcher, urban.number, lead_unit="urban")
    services.sign(city.urban_handler, urban.number)
    return heat, urban
