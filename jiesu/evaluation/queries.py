"""Reading figures: for a period, a scope of units, grouped by unit, category, region, channel, kind or day —
from the daily facts (fast) or straight from the records (naive, the reference); and the tickets behind them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from jiesu.catalog.models import TICKET_KINDS, Category, Channel
from jiesu.core.errors import NotFound, PermissionDeniedError, ValidationFailed
from jiesu.core.permissions import Perm
from jiesu.core.scope import scope_of
from jiesu.evaluation import facts as fact_store
from jiesu.evaluation.models import ALL_UNITS, Fact, FactDay
from jiesu.evaluation.periods import Period, parse_day
from jiesu.evaluation.registry import DIMENSIONS, Figure, all_figures, get
from jiesu.org.models import Region, Unit

GROUPS = ("unit", *DIMENSIONS, "day")
REFRESH_LIMIT = 2000  # a page refreshes the facts itself when fewer keys than this are stale
_refreshed: ContextVar[bool | None] = ContextVar("figures_refreshed", default=None)


@contextmanager
def one_refresh() -> Iterator[None]:
    """Inside, the facts are brought up to date once, at the first read: a page reads many tables (and the
    ranking its own) of the same moment."""
    token = _refreshed.set(False)
    try:
        yield
    finally:
        _refreshed.reset(token)


def _refresh() -> None:
    done = _refreshed.get()
    if not done:
        fact_store.refresh(limit=REFRESH_LIMIT)
        if done is False:
            _refreshed.set(True)


@dataclass(frozen=True)
class FigureScope:
    """Whose figures: ``units`` None is the whole city; ``viewer_city_wide`` may see every unit's details."""

    units: frozenset[int] | None
    unit: Unit | None = None
    subunits: bool = False
    viewer_city_wide: bool = False

    @property
    def is_city(self) -> bool:
        return self.units is None


def unit_scope(unit_code: str | None, subunits: bool = False, *, viewer_city_wide: bool = True) -> FigureScope:
    """The scope of a unit (or the city), for those who see everything (the command line, the circular)."""
    if not unit_code:
        return FigureScope(None, viewer_city_wide=viewer_city_wide)
    unit = Unit.objects.filter(code=unit_code).first()
    if unit is None:
        raise NotFound()
    ids = set(unit.descendants_and_self().values_list("pk", flat=True)) if subunits else {unit.pk}
    return FigureScope(frozenset(ids), unit=unit, subunits=subunits, viewer_city_wide=viewer_city_wide)


def scope_for(user: Any, unit_code: str | None = None, subunits: bool = False) -> FigureScope:
    """The units a user asks for, within what they may see: the city and every unit for centre staff (统计查看
    or tickets city-wide), else only the units of their own scope (and always the city's totals)."""
    own = scope_of(user, Perm.TICKET_VIEW)
    city_wide = scope_of(user, Perm.STATS_VIEW).city_wide or own.city_wide  # centre staff see every ticket anyway
    if not city_wide and own.empty:
        raise PermissionDeniedError()
    if not unit_code:
        if city_wide:
            return FigureScope(None, viewer_city_wide=True)
        return FigureScope(frozenset(own.unit_ids), viewer_city_wide=False)
    wanted = unit_scope(unit_code, subunits, viewer_city_wide=city_wide)
    if city_wide:
        return wanted
    assert wanted.unit is not None and wanted.units is not None
    if wanted.unit.pk not in own.unit_ids:
        raise NotFound()
    return FigureScope(frozenset(wanted.units & own.unit_ids), unit=wanted.unit, subunits=subunits,
                       viewer_city_wide=False)


@dataclass(frozen=True)
class FigureValue:
    figure: Figure
    numerator: float
    denominator: int

    @property
    def value(self) -> float | None:
        return self.figure.value(self.numerator, self.denominator)

    def as_dict(self) -> dict[str, Any]:
        value = self.value
        return {"value": None if value is None else round(value, 6), "numerator": round(self.numerator, 3),
                "denominator": self.denominator}


@dataclass
class Group:
    key: str
    label: str
    values: dict[str, FigureValue] = field(default_factory=dict)


@dataclass
class FigureTable:
    period: Period
    scope: FigureScope
    figures: list[Figure]
    group_by: str | None
    total: dict[str, FigureValue]
    city: dict[str, FigureValue]
    groups: list[Group]


Sums = dict[tuple[str, str], list[float]]  # (group key, figure) → [num (thousandths), den]


def _pack(figures: list[Figure], sums: Sums, key: str) -> dict[str, FigureValue]:
    return {f.code: FigureValue(f, sums.get((key, f.code), [0, 0])[0] / 1000, int(sums.get((key, f.code), [0, 0])[1]))
            for f in figures}


# ---- from the facts -------------------------------------------------------------------------------------------

def _facts_sums(period: Period, codes: list[str], units: frozenset[int] | None, group_by: str | None) -> Sums:
    dim = group_by if group_by in DIMENSIONS else ""
    rows = FactDay.objects.filter(day__gte=period.start, day__lte=period.end, figure__in=codes, dim=dim)
    if group_by == "unit":
        rows = rows.filter(unit_id__in=units) if units is not None else rows.filter(unit_id__gt=0)
    else:
        rows = rows.filter(unit_id__in=units) if units is not None else rows.filter(unit_id=ALL_UNITS)
    group = {"unit": "unit_id", "day": "day"}.get(group_by or "", "key" if dim else None)
    fields = ["figure", *([group] if group else [])]
    sums: Sums = defaultdict(lambda: [0, 0])
    for row in rows.values(*fields).annotate(d=Sum("den"), n=Sum("num", filter=Q(num_day__lte=period.end))):
        cell = sums[(str(row[group]) if group else "", row["figure"])]
        cell[0] += row["n"] or 0
        cell[1] += row["d"] or 0
    return sums


# ---- naive: one GROUP BY over the records ----------------------------------------------------------------------

def _naive_sums(period: Period, codes: list[str], units: frozenset[int] | None, group_by: str | None) -> Sums:
    sums: Sums = defaultdict(lambda: [0, 0])
    tz = timezone.get_current_timezone()
    group_expr = {"unit": F("f_unit"), "day": TruncDate("f_at", tzinfo=tz)}.get(
        group_by or "", F(f"f_{group_by}") if group_by in DIMENSIONS else None)
    for code in codes:
        for part in get(code).parts:
            items = part.items().filter(f_at__gte=period.since, f_at__lt=period.until)
            if units is not None:
                items = items.filter(f_unit__in=units)
            elif group_by == "unit":
                items = items.filter(f_unit__gt=0)
            counted = Case(When(f_num_at__lt=period.until, then=F("f_num")), default=Value(0),
                           output_field=IntegerField())
            if group_expr is None:
                rows = [{"g": "", **items.aggregate(d=Sum("f_den"), n=Sum(counted))}]
            else:
                rows = list(items.annotate(g=group_expr).values("g").order_by().annotate(d=Sum("f_den"),
                                                                                      n=Sum(counted)))
            for row in rows:
                key = row["g"].isoformat() if hasattr(row["g"], "isoformat") else str(row["g"])
                sums[(key, code)][0] += row["n"] or 0
                sums[(key, code)][1] += row["d"] or 0
    return sums


# ---- the table --------------------------------------------------------------------------------------------------

def _labels(group_by: str, keys: list[str]) -> dict[str, str]:
    ids = [int(k) for k in keys if k.lstrip("-").isdigit()]
    if group_by == "unit":
        return {str(pk): name for pk, name in Unit.objects.filter(pk__in=ids).values_list("pk", "name")}
    if group_by == "category":
        return {"0": "未分类", **{str(pk): n for pk, n in Category.objects.filter(pk__in=ids).values_list("pk", "name")}}
    if group_by == "region":
        return {"0": "未定位", **{str(pk): n for pk, n in Region.objects.filter(pk__in=ids).values_list("pk", "name")}}
    if group_by == "channel":
        return {"0": "—", **{str(pk): n for pk, n in Channel.objects.filter(pk__in=ids).values_list("pk", "name")}}
    if group_by == "kind":
        return {value: str(label) for value, label in TICKET_KINDS}
    return {k: k for k in keys}


def figures_for(codes: list[str] | None) -> list[Figure]:
    known = all_figures()
    if not codes:
        return known
    unknown = [c for c in codes if c not in {f.code for f in known}]
    if unknown:
        raise ValidationFailed(f"未知指标：{'、'.join(unknown)}。", field_errors={"figures": ["未知指标。"]})
    return [f for f in known if f.code in codes]


def compute(scope: FigureScope, period: Period, *, group_by: str | None = None, codes: list[str] | None = None,
            naive: bool = False, fresh: bool = True) -> FigureTable:
    if group_by and group_by not in GROUPS:
        raise ValidationFailed(f"不能按“{group_by}”分组。", field_errors={"group_by": [f"可选：{'、'.join(GROUPS)}。"]})
    if group_by == "unit" and scope.is_city and not scope.viewer_city_wide:
        raise PermissionDeniedError()
    if fresh and not naive:
        _refresh()
    figures = figures_for(codes)
    figures_in_scope = [f for f in figures if f.unit_level] if scope.units is not None else figures
    read = _naive_sums if naive else _facts_sums
    codes_all = [f.code for f in figures]
    total = _pack(figures_in_scope, read(period, [f.code for f in figures_in_scope], scope.units, None), "")
    city = _pack(figures, read(period, codes_all, None, None), "") if scope.units is not None else total
    groups: list[Group] = []
    if group_by:
        grouped_figures = [f for f in figures if f.unit_level] if group_by == "unit" else figures_in_scope
        sums = read(period, [f.code for f in grouped_figures], scope.units, group_by)
        keys = sorted({k for k, _ in sums})
        labels = _labels(group_by, keys)
        groups = [Group(k, labels.get(k, k), _pack(grouped_figures, sums, k)) for k in keys]
        if group_by != "day":
            groups.sort(key=lambda g: g.label)
    return FigureTable(period, scope, figures, group_by, total, city, groups)


def _group_value(column: str, key: str) -> Any:
    """A group's key from a link as its column's value; a bad one is bad input, not a 500."""
    if column == "kind":
        return key
    if column == "day":
        return parse_day(key, "key")
    try:
        return int(key)
    except ValueError as exc:
        raise ValidationFailed(f"分组值“{key}”无效。", field_errors={"key": ["应为数字。"]}) from exc


def _items(scope: FigureScope, period: Period, figure: Figure, part: str, group_by: str | None,
           key: str | None) -> QuerySet[Fact]:
    """The stored items of a figure's numerator or denominator in the period (of the scope's units, for a unit's
    figure), in one group when asked: what the ticket and the call lists are checked against."""
    rows = Fact.objects.filter(figure=figure.code, day__gte=period.start, day__lte=period.end)
    rows = rows.filter(num__gt=0, num_day__lte=period.end) if part == "numerator" else rows.filter(den__gt=0)
    if scope.units is not None and figure.unit_level:
        rows = rows.filter(unit_id__in=scope.units)
    if group_by and key is not None:
        column = {"unit": "unit_id", "category": "category_id", "region": "region_id", "channel": "channel_id",
                  "kind": "kind", "day": "day"}.get(group_by)
        if column is None:
            raise ValidationFailed(f"不能按“{group_by}”分组。")
        rows = rows.filter(**{column: _group_value(column, key)})
    return rows


LIST_MISSING = {"tickets": "该指标的条目不是工单，没有工单清单。", "calls": "该指标的条目不是话单，没有话单清单。"}


def _listable(code: str, source: str) -> Figure:
    figure = get(code)
    if not figure.drill_down or figure.source != source:
        raise NotFound(LIST_MISSING.get(source, LIST_MISSING["tickets"]))
    return figure


def item_tickets(user: Any, scope: FigureScope, period: Period, code: str, part: str,
                 group_by: str | None = None, key: str | None = None) -> tuple[QuerySet[Any], int]:
    """The tickets behind a figure's numerator or denominator (those this user may see), and how many items
    there are in all."""
    from jiesu.tickets.queries import visible_tickets

    rows = _items(scope, period, _listable(code, "tickets"), part, group_by, key)
    return visible_tickets(user).filter(pk__in=rows.values("key")), rows.count()


def item_calls(user: Any, scope: FigureScope, period: Period, code: str, part: str,
               group_by: str | None = None, key: str | None = None) -> tuple[QuerySet[Any], int]:
    """The call records behind a call figure's numerator or denominator (those this user may see: city-wide
    统计查看), and how many items there are in all (one call is one item)."""
    from jiesu.calls.queries import visible_calls

    rows = _items(scope, period, _listable(code, "calls"), part, group_by, key)
    return visible_calls(user).filter(pk__in=rows.values("key")), rows.count()
