"""Keeping the facts current: the items of every figure stored per key (`Fact`) and summed per day (`FactDay`).

`refresh()` recomputes the keys that changed since the last run (incremental, idempotent: the daily sums get the
difference between a key's new and old items); `rebuild()` recomputes everything. Both use the figures' parts,
the same queries as the naive computation, so the facts can only differ from it if this bookkeeping is wrong
(tests compare them on random histories).
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import CharField, F, IntegerField, Max, Min, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from jiesu.core import clock
from jiesu.core.models import Event
from jiesu.evaluation.models import ALL_UNITS, Fact, FactDay, FactState
from jiesu.evaluation.registry import DIMENSIONS, Figure, Part, all_figures, of_source

OVERLAP = timedelta(seconds=60)  # events of the last minute are looked at again: a late commit is not missed
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Source:
    """What makes a source's keys stale: ``changed(state) -> (keys, new last id)``; ``key_range`` for rebuilds."""

    name: str
    changed: Callable[[FactState], tuple[set[int], int]]
    watermark: Callable[[], int]  # the newest id ``changed`` would look at now (read before a rebuild)


def event_source(name: str, subject_type: str) -> Source:
    def changed(state: FactState) -> tuple[set[int], int]:
        # Two queries, not one with OR: each is an index range (the newest ids; the last minute's partition),
        # where the OR made PostgreSQL look into every month's partition.
        events = Event.objects.filter(subject_type=subject_type)
        queries = [events.filter(id__gt=state.last_id)]
        if state.last_run_at is not None:
            queries.append(events.filter(occurred_at__gte=state.last_run_at - OVERLAP))
        keys: set[int] = set()
        last = state.last_id
        for rows in queries:
            for pk, subject in rows.values_list("id", "subject_id").iterator(chunk_size=5000):
                keys.add(int(subject))
                last = max(last, pk)
        return keys, last

    return Source(name, changed, lambda: Event.objects.aggregate(m=Max("id"))["m"] or 0)


def id_source(name: str, model: Any, written_at: str | None = None) -> Source:
    """Rows that never change once written (call records): new ids are the only change. With ``written_at``
    (the field holding when a row was written), rows of the last minute are looked at again, as for events."""
    def changed(state: FactState) -> tuple[set[int], int]:
        ids = set(model.objects.filter(pk__gt=state.last_id).values_list("pk", flat=True))
        if written_at and state.last_run_at is not None:  # a second query, not an OR (see event_source)
            ids |= set(model.objects.filter(**{f"{written_at}__gte": state.last_run_at - OVERLAP})
                       .values_list("pk", flat=True))
        return ids, max([*ids, state.last_id])

    return Source(name, changed, lambda: model.objects.aggregate(m=Max("pk"))["m"] or 0)


SOURCES: dict[str, Source] = {"tickets": event_source("tickets", "ticket")}


def register_source(source: Source) -> None:
    SOURCES[source.name] = source


# ---- items → facts --------------------------------------------------------------------------------------------

def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _fact(figure: Figure, row: dict[str, Any]) -> Fact:
    day = local_day(row["f_at"])
    return Fact(figure=figure.code, source=figure.source, key=row["f_key"], day=day,
                num_day=local_day(row["f_num_at"]) if row["f_num_at"] else day, unit_id=row["f_unit"] or 0,
                category_id=row["f_category"] or 0, region_id=row["f_region"] or 0,
                channel_id=row["f_channel"] or 0, kind=row["f_kind"] or "", den=row["f_den"], num=row["f_num"])


ROW_FIELDS = ("f_key", "f_at", "f_num_at", "f_unit", "f_den", "f_num", *[f"f_{d}" for d in DIMENSIONS])


def facts_of(figure: Figure, part: Part, items: Any) -> Iterator[Fact]:
    for row in items.values(*ROW_FIELDS).iterator(chunk_size=5000):
        if row["f_den"] or row["f_num"]:
            yield _fact(figure, row)


def _sums(facts: Iterable[Any]) -> dict[tuple, list[int]]:
    """The FactDay contributions of facts: per (day, dim, unit, figure, num_day, key) → [den, num]."""
    sums: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for f in facts:
        keys = {"": "", "category": str(f.category_id), "region": str(f.region_id), "channel": str(f.channel_id),
                "kind": f.kind}
        for unit in {f.unit_id, ALL_UNITS}:
            for dim, key in keys.items():
                cell = sums[(f.day, dim, unit, f.figure, f.num_day, key)]
                cell[0] += f.den
                cell[1] += f.num
    return sums


def _add_to_days(delta: dict[tuple, list[int]]) -> None:
    rows = [(*k, den, num) for k, (den, num) in delta.items() if den or num]
    if not rows:
        return
    q = connection.ops.quote_name
    table = q(FactDay._meta.db_table)
    columns = ", ".join(q(c) for c in ("day", "dim", "unit_id", "figure", "num_day", "key", "den", "num"))
    conflict = ", ".join(q(c) for c in ("day", "dim", "unit_id", "figure", "num_day", "key"))
    sql = (f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT ({conflict}) "
           f"DO UPDATE SET {q('den')} = {table}.{q('den')} + excluded.{q('den')}, "
           f"{q('num')} = {table}.{q('num')} + excluded.{q('num')}")
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    FactDay.objects.filter(day__in={r[0] for r in rows}, den=0, num=0).delete()


def _serialise(source: str) -> None:
    """One refresh of a source at a time (PostgreSQL); SQLite serialises writers by itself."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(f"jiesu-facts-{source}".encode())])


def replace_keys(source: str, keys: list[int]) -> int:
    """Recomputes the facts of these keys in one transaction; returns how many facts they now have."""
    figures = of_source(source)
    with transaction.atomic():
        _serialise(source)
        old = list(Fact.objects.filter(source=source, key__in=keys))
        new = [f for figure in figures for part in figure.parts for f in facts_of(figure, part, part.for_keys(keys))]
        Fact.objects.filter(pk__in=[f.pk for f in old]).delete()
        Fact.objects.bulk_create(new, batch_size=2000)
        delta = _sums(new)
        for k, (den, num) in _sums(old).items():
            delta[k][0] -= den
            delta[k][1] -= num
        _add_to_days(delta)
    return len(new)


@dataclass
class RefreshResult:
    keys: dict[str, int] = field(default_factory=dict)
    facts: int = 0


def _state(source: str) -> FactState:
    return FactState.objects.get_or_create(source=source)[0]


def refresh(sources: Iterable[str] | None = None, *, batch: int = 500, progress: Progress | None = None,
            limit: int | None = None) -> RefreshResult:
    """Brings the facts up to date. With ``limit``, does nothing for a source with more stale keys than that
    (a page does not do a task's work) and says so in the result (keys = −1)."""
    result = RefreshResult()
    for name in sources or list(SOURCES):
        started = clock.now()
        state = _state(name)
        keys, last_id = SOURCES[name].changed(state)
        if limit is not None and len(keys) > limit:
            result.keys[name] = -1
            continue
        ordered = sorted(keys)
        for start in range(0, len(ordered), batch):
            result.facts += replace_keys(name, ordered[start:start + batch])
            if progress:
                progress(f"{name}: {min(start + batch, len(ordered))}/{len(ordered)}")
        FactState.objects.filter(source=name).update(last_id=max(last_id, state.last_id), last_run_at=started)
        result.keys[name] = len(ordered)
    return result


# ---- rebuild --------------------------------------------------------------------------------------------------

def _batches(part: Part, batch: int | None) -> Iterator[Any]:
    if batch is None:
        yield part.items()
        return
    bounds = part.rows().aggregate(lo=Min("pk"), hi=Max("pk"))
    if bounds["lo"] is None:
        return
    for lo in range(bounds["lo"], bounds["hi"] + 1, batch):
        yield part.items().filter(pk__gte=lo, pk__lt=lo + batch)


FACT_COLUMNS = ("key", "day", "num_day", "unit_id", "category_id", "region_id", "channel_id", "kind", "den", "num")
FACT_ALIASES = ("f_key", "fx_day", "fx_num_day", "f_unit", "fx_category", "fx_region", "fx_channel", "fx_kind",
                "fx_den", "fx_num")  # the items' columns written to FACT_COLUMNS, in the same order


def _fact_select(items: Any) -> Any:
    """The items as fact rows (the columns of FACT_COLUMNS), computed by the database as `_fact` does in Python."""
    tz = timezone.get_current_timezone()
    day = TruncDate("f_at", tzinfo=tz)
    zero = Value(0, output_field=IntegerField())
    rows = items.annotate(
        fx_day=day, fx_num_day=Coalesce(TruncDate("f_num_at", tzinfo=tz), day),
        fx_den=Coalesce(F("f_den"), zero), fx_num=Coalesce(F("f_num"), zero),
        fx_kind=Coalesce(F("f_kind"), Value("", output_field=CharField())),
        **{f"fx_{d}": Coalesce(F(f"f_{d}"), zero) for d in DIMENSIONS if d != "kind"})
    rows = rows.exclude(fx_den=0, fx_num=0)
    return rows.values(*FACT_ALIASES).order_by()  # the insert needs no order: sorting millions of items costs


def _insert_facts(figure: Figure, items: Any) -> int:
    """Writes the facts of these items with one INSERT … SELECT: the rows never pass through Python (a
    province's history is tens of millions of facts)."""
    sql, params = _fact_select(items).query.sql_with_params()
    q = connection.ops.quote_name
    columns = ", ".join(q(c) for c in (*FACT_COLUMNS, "figure", "source"))
    chosen = ", ".join(f"items.{q(a)}" for a in FACT_ALIASES)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {q(Fact._meta.db_table)} ({columns}) SELECT {chosen}, %s, %s "
                       f"FROM ({sql}) items", [figure.code, figure.source, *params])
        return max(cursor.rowcount, 0)


DIM_COLUMNS = {"category": "category_id", "region": "region_id", "channel": "channel_id", "kind": "kind"}


def _dim_key(column: str) -> str:
    return column if column == "kind" else f"CAST({column} AS VARCHAR)"


def _sum_days_in_sql(codes: list[str]) -> None:
    """FactDay from Fact for these figures: every (unit level, dimension) sum."""
    if connection.vendor == "postgresql":
        _sum_days_grouping_sets(codes)
        return
    q = connection.ops.quote_name
    facts, days = q(Fact._meta.db_table), q(FactDay._meta.db_table)
    marks = ", ".join(["%s"] * len(codes))
    keys = {"": "''", **{dim: _dim_key(column) for dim, column in DIM_COLUMNS.items()}}
    with connection.cursor() as cursor:
        for unit in ("unit_id", str(ALL_UNITS)):
            for dim, key in keys.items():
                group = ", ".join(["day", "figure", "num_day", *([key] if dim else []),
                                   *(["unit_id"] if unit == "unit_id" else [])])
                cursor.execute(
                    f"INSERT INTO {days} (day, dim, unit_id, figure, num_day, {q('key')}, den, num) "
                    f"SELECT day, '{dim}', {unit}, figure, num_day, {key}, SUM(den), SUM(num) FROM {facts} "
                    f"WHERE figure IN ({marks}) GROUP BY {group}", codes)


def _sum_days_grouping_sets(codes: list[str]) -> None:
    """The same sums in one pass over the facts (PostgreSQL's GROUPING SETS): ten passes over a province's
    tens of millions of facts cost more than the rest of the rebuild."""
    q = connection.ops.quote_name
    sets = [f"({', '.join(['unit_id', *([column] if column else [])])})" for column in ("", *DIM_COLUMNS.values())]
    sets += ["()", *(f"({column})" for column in DIM_COLUMNS.values())]
    grouped = {dim: f"GROUPING({column}) = 0" for dim, column in DIM_COLUMNS.items()}
    dim = " ".join(f"WHEN {test} THEN '{name}'" for name, test in grouped.items())
    key = " ".join(f"WHEN {grouped[name]} THEN {_dim_key(column)}" for name, column in DIM_COLUMNS.items())
    marks = ", ".join(["%s"] * len(codes))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(FactDay._meta.db_table)} (day, dim, unit_id, figure, num_day, {q('key')}, den, num) "
            f"SELECT day, CASE {dim} ELSE '' END, CASE WHEN GROUPING(unit_id) = 0 THEN unit_id ELSE {ALL_UNITS} END, "
            f"figure, num_day, CASE {key} ELSE '' END, SUM(den), SUM(num) FROM {q(Fact._meta.db_table)} "
            f"WHERE figure IN ({marks}) GROUP BY day, figure, num_day, GROUPING SETS ({', '.join(sets)})", codes)


def _more_memory_for_sorting() -> None:
    """PostgreSQL's default 4 MB per sort sends a province's grouping to disk; a rebuild is one maintenance
    session, so it may take more for its own transaction (JIESU_FIGURES_REBUILD_WORK_MEM)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('work_mem', %s, true)",
                           [getattr(settings, "JIESU_FIGURES_REBUILD_WORK_MEM", "256MB")])


def rebuild(figure_codes: Iterable[str] | None = None, *, batch: int | None = None,
            progress: Progress | None = None) -> int:
    """Recomputes the facts of these figures (all by default) from scratch; returns the number of facts.

    By default each part is one statement: the database joins its records to the tickets once (batches by id
    made PostgreSQL scan every ticket for each batch); ``batch`` splits the parts into id ranges."""
    figures = [f for f in all_figures() if figure_codes is None or f.code in set(figure_codes)]
    codes = [f.code for f in figures]
    started = clock.now()
    watermarks = {name: SOURCES[name].watermark() for name in {f.source for f in figures}}
    total = 0
    with transaction.atomic():
        _more_memory_for_sorting()
        Fact.objects.filter(figure__in=codes).delete()
        FactDay.objects.filter(figure__in=codes).delete()
        for figure in figures:
            for part in figure.parts:
                for rows in _batches(part, batch):
                    total += _insert_facts(figure, rows)
                    if progress:
                        progress(f"{figure.code}: {total} facts")
        _sum_days_in_sql(codes)
        for name, last_id in watermarks.items():
            FactState.objects.update_or_create(source=name, defaults={"last_id": last_id, "last_run_at": started})
    return total

