"""The sections of the monthly circular (月度通报), in a small registry: each turns the month into tables that the
Excel and PDF writers render alike. Another package replaces a section by registering its code again with
``replace=True`` (``insights`` is to replace ``hot_topics``).

A table's column may carry an Excel formula over the other columns of its row (``{code}`` is that column's cell,
``{code:range}`` the whole column of the table, ``{name!}`` a cell of the sheet's parameters): the sheet then
computes rates, scores and ranks itself, and the PDF prints the value computed here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from jiesu.evaluation.periods import Period
from jiesu.evaluation.queries import FigureScope, FigureTable, compute
from jiesu.evaluation.scoring import MonthRanking, ranking_for

TEXT, INTEGER, PERCENT, DECIMAL, NUMBER = "text", "integer", "percent", "decimal", "number"
CHANGE, POINTS = "change", "points"  # a signed whole number; a signed difference of rates (percentage points)
CITY = FigureScope(None, viewer_city_wide=True)


@dataclass(frozen=True)
class Col:
    key: str
    label: str
    fmt: str = TEXT
    width: float = 10  # Excel characters; the PDF uses it as the column's share
    formula: str = ""  # an Excel formula over the row's cells, e.g. "=IF({den}=0,\"\",{num}/{den})"
    pdf: bool = True  # shown in the PDF (numerators and denominators stay in the sheet)


@dataclass
class Table:
    """Rows are dicts by column key; a row may override ``_fmt`` and ``_formula`` per column (a formula of None:
    the plain value), and ``_total`` marks a totals row, left out of ``{code:range}``."""

    columns: list[Col]
    rows: list[dict[str, Any]]
    caption: str = ""
    highlight: dict[int, str] = field(default_factory=dict)  # row index → "red", "green", "amber"
    empty: str = "本月无。"


@dataclass
class Part:
    code: str
    title: str
    tables: list[Table]
    summary: str = ""
    note: str = ""
    parameters: list[tuple[str, str, Any]] = field(default_factory=list)  # (name, label, value) for formulas
    parameters_title: str = "参数"


class Month:
    """What the sections read, each computed once: the month and last month's figures, the ranking."""

    def __init__(self, period: Period):
        self.period = period
        self.previous = period.previous()

    @cached_property
    def figures(self) -> FigureTable:
        return compute(CITY, self.period)

    @cached_property
    def previous_figures(self) -> FigureTable:
        return compute(CITY, self.previous, fresh=False)

    @cached_property
    def ranking(self) -> MonthRanking:
        return ranking_for(self.period)

    def by(self, group_by: str, codes: list[str], previous: bool = False) -> FigureTable:
        return compute(CITY, self.previous if previous else self.period, group_by=group_by, codes=codes,
                       fresh=False)


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    order: int
    build: Callable[[Month], Part]


SECTIONS: dict[str, Section] = {}


def register(section: Section, *, replace: bool = False) -> Section:
    if section.code in SECTIONS and not replace:
        raise ValueError(f"circular section {section.code!r} is already registered")
    SECTIONS[section.code] = section
    return section


def all_sections() -> list[Section]:
    return sorted(SECTIONS.values(), key=lambda s: (s.order, s.code))


def section(code: str, title: str, order: int) -> Callable[[Callable[[Month], Part]], Callable[[Month], Part]]:
    """Decorator registering a built-in section."""
    def wrap(build: Callable[[Month], Part]) -> Callable[[Month], Part]:
        register(Section(code, title, order, build))
        return build
    return wrap


def rate(num: float, den: int) -> float | None:
    return num / den if den else None


def ref(key: str) -> str:
    """The placeholder of a column's cell in a formula template."""
    return "{" + key + "}"


def ratio_formula(num: str, den: str) -> str:
    return f'=IF({ref(den)}=0,"",{ref(num)}/{ref(den)})'


def rate_cols(code: str, label: str, *, pdf_rate: bool = True, width: float = 9) -> list[Col]:
    """A rate as three columns: numerator, denominator and the rate the sheet computes from them."""
    num, den = f"{code}_num", f"{code}_den"
    return [Col(num, f"{label}分子", NUMBER, 8, pdf=False), Col(den, f"{label}分母", INTEGER, 8, pdf=False),
            Col(code, label, PERCENT, width, formula=ratio_formula(num, den), pdf=pdf_rate)]


def rate_cells(code: str, num: float, den: int) -> dict[str, Any]:
    return {f"{code}_num": round(num, 3), f"{code}_den": den, code: rate(num, den)}
