"""What the figures pages show (the dashboard, a unit's page, the tickets behind a figure), gathered from
`queries.compute` and `present`: this module only picks figures, compares periods and formats numbers; every
figure is the engine's."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiesu.core import clock
from jiesu.evaluation import present, queries, scoring
from jiesu.evaluation.periods import PERIOD_KINDS, Period, month_of, period_of_kind
from jiesu.evaluation.queries import FigureScope, FigureTable, FigureValue
from jiesu.evaluation.registry import COUNT, FIGURES, MEAN, RATE, Figure, get
from jiesu.org.models import Unit

# The headline of the city, and of a unit (the centre's own figures — 受理量, 办结率 — are not a unit's).
CITY_HEADLINE = ("accepted", "closing_rate", "reply_timely", "response_rate", "overdue",
                 "satisfaction_rate", "resolution_rate", "return_rate", "call_answer_rate", "call_answer_15s")
UNIT_HEADLINE = ("assigned", "sign_timely", "reply_timely", "response_rate", "satisfaction_rate",
                 "resolution_rate", "return_rate", "overdue")
UNIT_COLUMNS = UNIT_HEADLINE
TREND_RATES = ("reply_timely", "satisfaction_rate")
BREAKDOWN_RATES = ("reply_timely", "satisfaction_rate", "overdue")
# The city's calls by line (12345 and each merged sub-line), each figure linking to the calls behind it.
LINE_FIGURES = ("call_answer_rate", "call_answer_15s", "call_wait", "call_abandoned", "call_satisfaction")


@dataclass(frozen=True)
class Filters:
    """The filter of a figures page, all in the URL: period kind and day (or from–to), unit, sub-units."""

    kind: str
    on: str
    start: str
    end: str
    period: Period
    unit: str = ""
    subunits: bool = False

    def query(self, **changes: Any) -> str:
        values = {"period": self.kind, "on": self.on, "from": self.start, "to": self.end, "unit": self.unit,
                  "subunits": "1" if self.subunits else "", **changes}
        if values["period"] != "range":
            values.pop("from"), values.pop("to")
        return urlencode({k: v for k, v in values.items() if v})

    @property
    def city_query(self) -> str:
        return self.query(unit="", subunits="")

    def previous(self) -> str:
        return self._shifted(self.period.previous())

    def following(self) -> str:
        end = self.period.end + timedelta(days=1)
        nxt = month_of(end) if self.period.is_month else Period(end, end + timedelta(days=self.period.days - 1))
        return self._shifted(nxt)

    def _shifted(self, period: Period) -> str:
        if self.kind == "range":
            return self.query(**{"from": period.start.isoformat(), "to": period.end.isoformat()})
        on = f"{period.start:%Y-%m}" if self.kind == "month" else period.start.isoformat()
        return self.query(on=on)


def filters_from(params: QueryDict, *, unit: str = "") -> Filters:
    """The filter from a query string; a bad value raises ValidationFailed with the field named."""
    kind = params.get("period") or ("range" if params.get("from") or params.get("to") else "month")
    on, start, end = params.get("on", ""), params.get("from", ""), params.get("to", "")
    period = period_of_kind(kind, on, start, end)
    if kind == "range":
        start, end = period.start.isoformat(), period.end.isoformat()
    return Filters(kind, on, start, end, period, unit or params.get("unit", ""),
                   params.get("subunits", "") in {"1", "on", "true"})


def default_filters(unit: str = "") -> Filters:
    return filters_from(QueryDict(), unit=unit)


# ---- numbers as the pages print them ---------------------------------------------------------------------------

def shown(figure: Figure, value: float | None) -> str:
    if value is None:
        return "—"
    if figure.kind == RATE:
        return f"{value * 100:.1f}%"
    if figure.kind == MEAN:
        return f"{value:.1f}"
    return f"{int(value)}"


def amount(number: float) -> str:
    return f"{int(number)}" if float(number).is_integer() else f"{number:.1f}"


@dataclass
class Cell:
    """One figure's value with its numerator and denominator, and the lists behind each (tickets or calls)."""

    figure: Figure
    value: float | None
    text: str
    numerator: str
    denominator: str
    numerator_url: str = ""
    denominator_url: str = ""

    @property
    def is_count(self) -> bool:
        return self.figure.kind == COUNT


def cell(table: FigureTable, v: FigureValue, *, links: bool = True, group_key: str | None = None,
         city: bool = False) -> Cell:
    c = Cell(v.figure, v.value, shown(v.figure, v.value), amount(v.numerator), str(v.denominator))
    if links and present.listable(v.figure):
        link = {"page": True, "group_key": group_key, "city": city}
        c.denominator_url = present.items_link(table, v.figure.code, "denominator", **link)  # type: ignore[arg-type]
        if not c.is_count:
            c.numerator_url = present.items_link(table, v.figure.code, "numerator", **link)  # type: ignore[arg-type]
    return c


@dataclass
class Compared:
    """A figure now and in the period before, and whether the change is for the better."""

    now: Cell
    before: Cell
    change: str
    direction: str  # "better", "worse", "same" or "" (nothing to compare)


def compare(now: Cell, before: Cell) -> Compared:
    if now.value is None or before.value is None:
        return Compared(now, before, "", "")
    delta = now.value - before.value
    if abs(delta) < 1e-9:
        return Compared(now, before, _("持平"), "same")
    good = (delta > 0) == now.figure.higher_is_better
    if now.figure.kind == RATE:
        text = _("%(delta)s 个百分点") % {"delta": f"{delta * 100:+.1f}"}
    elif now.figure.kind == COUNT and before.value:
        text = f"{delta:+.0f}（{delta / before.value * 100:+.0f}%）"
    else:
        text = f"{delta:+.0f}" if now.figure.kind == COUNT else f"{delta:+.1f}"
    return Compared(now, before, text, "better" if good else "worse")


def headline(scope: FigureScope, period: Period, wanted: tuple[str, ...]) -> tuple[list[Compared], FigureTable]:
    codes = [c for c in wanted if c in FIGURES]  # a figure whose package is not installed is left out
    table = queries.compute(scope, period, codes=codes)
    before = queries.compute(scope, period.previous(), codes=codes, fresh=False)
    return [compare(cell(table, table.total[c]), cell(before, before.total[c])) for c in codes
            if c in table.total], table


# ---- charts and tables -------------------------------------------------------------------------------------------

def trend(scope: FigureScope, period: Period, count_code: str) -> dict[str, Any]:
    """Per day: the count as bars, the rates as lines (in %), as the chart script reads it."""
    codes = [count_code, *TREND_RATES]
    table = queries.compute(scope, period, group_by="day", codes=codes, fresh=False)
    by_day = {g.key: g.values for g in table.groups}
    today = timezone.localtime(clock.now()).date()
    days = [d.isoformat() for d in period.each_day() if d <= today] or [period.start.isoformat()]
    series = []
    for code in codes:
        figure = get(code)
        values = [by_day[d][code].value if d in by_day and code in by_day[d] else None for d in days]
        data = ([int(v or 0) for v in values] if figure.kind == COUNT
                else [None if v is None else round(v * 100, 1) for v in values])
        series.append({"name": str(figure.label), "kind": "count" if figure.kind == COUNT else "rate",
                       "data": data})
    return {"days": [d[5:] for d in days], "series": series}


@dataclass
class Breakdown:
    title: str
    columns: list[Figure]
    rows: list[tuple[str, list[Cell]]]
    chart: dict[str, Any] = field(default_factory=dict)
    chart_id: str = ""


def call_lines(scope: FigureScope, period: Period) -> Breakdown | None:
    """话务 by line, on the city's dashboard only (the call figures are the centre's, not a unit's)."""
    if not scope.is_city:
        return None
    return breakdown(scope, period, "channel", LINE_FIGURES[0], _("话务（按线路）"), rates=LINE_FIGURES[1:],
                     chart_name=_("呼入"))


def breakdown(scope: FigureScope, period: Period, group_by: str, count_code: str, title: str,
              limit: int = 12, rates: tuple[str, ...] = BREAKDOWN_RATES, chart_name: str = "") -> Breakdown:
    """``count_code``'s items by group, biggest first, with ``rates`` beside (bars: its denominators)."""
    codes = [count_code, *rates]
    table = queries.compute(scope, period, group_by=group_by, codes=codes, fresh=False)
    columns = [get(c) for c in codes if c in (table.groups[0].values if table.groups else {})] or [get(count_code)]
    groups = sorted(table.groups, key=lambda g: -g.values[count_code].denominator if count_code in g.values else 0)
    groups = [g for g in groups if any(v.denominator for v in g.values.values())][:limit]
    rows = [(g.label, [cell(table, g.values[f.code], group_key=g.key) for f in columns]) for g in groups]
    chart = {"labels": [g.label for g in groups], "name": chart_name or str(get(count_code).label),
             "data": [g.values[count_code].denominator if count_code in g.values else 0 for g in groups]}
    return Breakdown(title, columns, rows, chart, f"fig-{group_by}")


@dataclass
class UnitRow:
    unit: Unit
    url: str
    cells: list[Cell]


@dataclass
class UnitTable:
    columns: list[Figure]
    rows: list[UnitRow]
    sort: str
    descending: bool
    total: int  # units with something in the period; ``rows`` may show only the first of them


UNIT_ROWS = 50  # rows the dashboard shows unless asked for all (a province has hundreds of units)


def unit_table(scope: FigureScope, period: Period, filters: Filters, sort: str, descending: bool,
               limit: int | None = UNIT_ROWS) -> UnitTable:
    """The units' figures in the scope, units with nothing in the period left out, sorted by one column (the URL
    says which); the first ``limit`` of them as rows (None: all)."""
    table = queries.compute(scope, period, group_by="unit", codes=list(UNIT_COLUMNS), fresh=False)
    sort = sort if sort in UNIT_COLUMNS else "assigned"
    groups = [g for g in table.groups if g.key.isdigit() and any(v.denominator for v in g.values.values())]

    def key(g: Any) -> tuple[bool, float]:
        value = g.values[sort].value
        return (value is None, -(value or 0) if descending else (value or 0))

    groups.sort(key=key)
    shown_groups = groups if limit is None else groups[:limit]
    units = Unit.objects.in_bulk([int(g.key) for g in shown_groups])
    columns = [get(c) for c in UNIT_COLUMNS]
    rows = [UnitRow(units[int(g.key)], f"{unit_page_path(units[int(g.key)].code)}?{filters.city_query}",
                    [cell(table, g.values[c.code], group_key=g.key) for c in columns])
            for g in shown_groups if int(g.key) in units]
    return UnitTable(columns, rows, sort, descending, len(groups))


def unit_page_path(code: str) -> str:
    return reverse("evaluation:unit", args=[code])


@dataclass
class UnitComparison:
    """A unit's figures beside the city's, with the period before."""

    rows: list[tuple[Compared, Cell]]


def unit_against_city(scope: FigureScope, period: Period) -> UnitComparison:
    compared, table = headline(scope, period, UNIT_HEADLINE)
    city_links = scope.viewer_city_wide
    rows = [(c, cell(table, table.city[c.now.figure.code], links=city_links, city=True)) for c in compared]
    return UnitComparison(rows)


def periods_menu(filters: Filters) -> list[tuple[str, str, bool]]:
    labels = {"month": _("按月"), "week": _("按周"), "day": _("按日"), "range": _("自定义")}
    return [(kind, labels[kind], kind == filters.kind) for kind in PERIOD_KINDS]


# ---- the monthly ranking (evaluation.scoring) ------------------------------------------------------------------

def ranking_month(period: Period) -> Period:
    """Rankings are monthly: the period's month if it is one, else the month its last day falls in."""
    return period if period.is_month else month_of(period.end)


@dataclass
class RankedGroup:
    label: str
    ranked: list[Any]  # scoring.Entry, best first: the first RANKED_ROWS and the black list after them
    unranked: int
    not_shown: int = 0  # ranked units between those (the circular lists them all)
    gap_at: int = 0  # the row before which they are left out


RANKED_ROWS = 10


@dataclass
class RankingView:
    month: Period
    closed: bool
    groups: list[RankedGroup]


def ranking_view(period: Period) -> RankingView:
    """Every group's ranked units (for those who see every unit), and how many were listed without a rank."""
    month = ranking_month(period)
    result = scoring.ranking_for(month)
    groups = []
    for group in scoring.GROUPS:
        entries = result.of_group(group.code)
        ranked = [e for e in entries if e.rank is not None]
        shown = ranked[:RANKED_ROWS] + [e for e in ranked[RANKED_ROWS:] if e.list == scoring.BLACK]
        groups.append(RankedGroup(str(group.label), shown, len(entries) - len(ranked), len(ranked) - len(shown),
                                  RANKED_ROWS))
    return RankingView(month, result.stored, groups)


@dataclass
class UnitRank:
    month: Period
    closed: bool
    group: str
    entry: Any  # scoring.Entry of the unit
    of: int  # units ranked in its group


def unit_rank(unit: Unit, period: Period) -> UnitRank | None:
    """The unit's own line of the month's ranking (its rank, score, change and list), None if it is in no group."""
    month = ranking_month(period)
    result = scoring.ranking_for(month)
    entry = next((e for e in result.entries if e.unit_id == unit.pk), None)
    if entry is None:
        return None
    ranked = [e for e in result.of_group(entry.group) if e.rank is not None]
    return UnitRank(month, result.stored, str(scoring.GROUP_BY_CODE[entry.group].label), entry, len(ranked))
