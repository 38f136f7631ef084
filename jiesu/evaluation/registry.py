"""The figures registry: what each figure counts, as querysets of items (docs/dev/figures.md).

A `Figure` is made of `Part`s. A part is a queryset of records or events, each row one item with its moment
(`at`), its unit, what it adds to the denominator (`den`, 0 or 1) and to the numerator (`num`, in thousandths),
and when the numerator came true (`num_at`, for cohort figures). The same parts serve the naive computation
(one GROUP BY) and the facts (the items stored per key). Packages above `evaluation` call `register`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Expression,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

RATE, COUNT, MEAN = "rate", "count", "mean"
SECTIONS = {"intake": "接", "dispatch": "派", "handling": "办", "supervision": "督", "evaluation": "评",
            "calls": "话务"}
DIMENSIONS = ("category", "region", "channel", "kind")


def expr(value: Any) -> Any:
    """A field path, an expression, or a plain number."""
    if isinstance(value, str):
        return F(value)
    if isinstance(value, int | float):
        return Value(int(value), output_field=IntegerField())
    return value


def first_level_category(prefix: str) -> Expression:
    return Coalesce(F(f"{prefix}category__parent__parent_id"), F(f"{prefix}category__parent_id"),
                    F(f"{prefix}category_id"), Value(0), output_field=IntegerField())


def district(prefix: str) -> Expression:
    """The region's 区县 (level 3) ancestor; 0 for a ticket placed only at the city or nowhere."""
    level = f"{prefix}region__level"
    return Coalesce(Case(When(**{level: 5}, then=F(f"{prefix}region__parent__parent_id")),
                         When(**{level: 4}, then=F(f"{prefix}region__parent_id")),
                         When(**{level: 3}, then=F(f"{prefix}region_id")), default=None),
                    Value(0), output_field=IntegerField())


def ticket_dims(prefix: str) -> dict[str, Any]:
    """The ticket's dimensions reached through ``prefix`` ("" on Ticket itself, "ticket__" from a record)."""
    return {"category": first_level_category(prefix), "region": district(prefix),
            "channel": Coalesce(F(f"{prefix}channel_id"), Value(0), output_field=IntegerField()),
            "kind": Coalesce(F(f"{prefix}kind"), Value(""), output_field=CharField())}


def ticket_dims_by_key() -> dict[str, Any]:
    """The ticket's dimensions looked up by the item's key (for events, which reference tickets by id)."""
    from jiesu.tickets.models import Ticket

    def one(name: str, value: Expression) -> Subquery:
        tickets = Ticket.objects.filter(pk=OuterRef("f_key")).annotate(v=value).values("v")[:1]
        return Subquery(tickets, output_field=value.output_field)  # type: ignore[arg-type]

    return {name: one(name, value) for name, value in ticket_dims("").items()}


def event_key() -> Expression:
    return Cast("subject_id", BigIntegerField())


_ITEMS: dict[int, tuple[Part, QuerySet[Any]]] = {}


@dataclass(frozen=True)
class Part:
    rows: Callable[[], QuerySet[Any]]  # the records or events, before any annotation
    key_field: str  # the field holding the source key, filtered with __in when refreshing some keys
    at: Any  # the item's moment (a field path or an expression); rows where it is NULL are not items
    unit: Any = None  # the unit id (field path or expression); None: the item belongs to no unit
    den: Any = 1
    num: Any = 0
    num_at: Any = None  # when the numerator came true; None: at the item's moment
    dims: Callable[[], dict[str, Any]] | None = None  # dimension expressions; None: none (all 0)
    pre: Callable[[], dict[str, Any]] = field(default=dict)  # annotations the other expressions use
    key_is_text: bool = False  # the key field is text (the event log's subject_id)

    def items(self) -> QuerySet[Any]:
        """One row per item: f_key, f_at, f_num_at, f_unit, f_den, f_num and the dimensions f_<dim>.
        Built once per process (building the expressions costs more than running a small query); callers
        filter the returned queryset, which copies it."""
        cached = _ITEMS.get(id(self))
        if cached is None or cached[0] is not self:
            cached = _ITEMS[id(self)] = (self, self._build())
        return cached[1].all()

    def _build(self) -> QuerySet[Any]:
        qs = self.rows()
        pre = self.pre()
        if pre:
            qs = qs.annotate(**pre)
        key = event_key() if self.key_is_text else F(self.key_field)
        qs = qs.annotate(f_key=key, f_at=expr(self.at))
        dims = self.dims() if self.dims else {}
        zero_dims = {name: Value("" if name == "kind" else 0) for name in DIMENSIONS if name not in dims}
        unit = (Coalesce(expr(self.unit), Value(0), output_field=IntegerField()) if self.unit is not None
                else Value(0, output_field=IntegerField()))
        qs = qs.annotate(f_num_at=expr(self.num_at) if self.num_at is not None else F("f_at"), f_unit=unit,
                         f_den=expr(self.den), f_num=expr(self.num),
                         **{f"f_{name}": value for name, value in {**dims, **zero_dims}.items()})
        return qs.filter(f_at__isnull=False)

    def for_keys(self, keys: list[int]) -> QuerySet[Any]:
        values: list[Any] = [str(k) for k in keys] if self.key_is_text else list(keys)
        return self.items().filter(**{f"{self.key_field}__in": values})


@dataclass(frozen=True)
class Figure:
    code: str
    label: Any
    section: str  # a key of SECTIONS
    kind: str  # RATE, COUNT or MEAN
    parts: tuple[Part, ...]
    source: str = "tickets"
    description: Any = ""
    numerator_label: Any = ""
    denominator_label: Any = ""
    higher_is_better: bool = True
    unit_level: bool = True  # False: a figure of the centre, shown in the city's totals only
    order: int = 100
    drill_down: bool = True  # the items can be listed: tickets, or call records for the calls source

    def value(self, numerator: float, denominator: int) -> float | None:
        if self.kind == COUNT:
            return float(denominator)
        if not denominator:
            return None
        return numerator / denominator


FIGURES: dict[str, Figure] = {}


def register(figure: Figure, *, replace: bool = False) -> Figure:
    """Adds a figure; a code already taken is refused unless ``replace`` (a package redefining one)."""
    if figure.code in FIGURES and not replace and FIGURES[figure.code] != figure:
        raise ValueError(f"figure {figure.code!r} is already registered")
    if figure.section not in SECTIONS:
        raise ValueError(f"unknown section {figure.section!r}")
    FIGURES[figure.code] = figure
    return figure


def all_figures() -> list[Figure]:
    return sorted(FIGURES.values(), key=lambda f: (list(SECTIONS).index(f.section), f.order, f.code))


def get(code: str) -> Figure:
    return FIGURES[code]


def of_source(source: str) -> list[Figure]:
    return [f for f in all_figures() if f.source == source]
