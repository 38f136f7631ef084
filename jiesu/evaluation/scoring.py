"""The composite score of a unit for a month and the monthly ranking per group (docs/dev/figures.md,
"Composite score and ranking").

score = Σ weight × rate (响应率, 解决率, 满意率; weights in points, 10/45/45 by default) − points per overdue item,
per refusal named by an adjudication and per return found unjustified + points per praise (capped). A rate with
no items gives its weight to the others in proportion. A unit is ranked only with enough lead assignments and at
least one follow-up call answered; the others are listed without a rank. A closed month reads its stored ranking.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from jiesu.evaluation.models import Ranking, Scheme
from jiesu.evaluation.periods import Period, month_of
from jiesu.evaluation.queries import FigureScope, compute
from jiesu.org.models import Unit

RATES = ("response_rate", "resolution_rate", "satisfaction_rate")
COUNTS = ("overdue", "adjudication_refused", "returns_unjustified", "praise", "assigned")
SCORE_FIGURES = (*RATES, *COUNTS)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class RankGroup:
    code: str
    label: Any
    kinds: tuple[str, ...]
    with_subunits: bool = False  # a district sub-centre answers for its streets and communities too


GROUPS: tuple[RankGroup, ...] = (
    RankGroup("department", _("职能部门"), (Unit.Kind.DEPARTMENT,)),
    RankGroup("utility", _("公共服务企业"), (Unit.Kind.UTILITY,)),
    RankGroup("subcentre", _("县区分中心（含下级单位）"), (Unit.Kind.SUBCENTRE,), with_subunits=True),
    RankGroup("street", _("街道乡镇"), (Unit.Kind.STREET,)),
)
GROUP_BY_CODE = {g.code: g for g in GROUPS}
RED, BLACK = "red", "black"
LIST_LABELS = {RED: _("红榜"), BLACK: _("黑榜")}


def scheme_for(period: Period) -> Scheme:
    """The scheme valid on the month's first day (an unsaved default one if none was ever entered)."""
    scheme = Scheme.objects.filter(valid_from__lte=period.start).order_by("-valid_from").first()
    return scheme or Scheme()


@dataclass
class Entry:
    unit_id: int
    unit_code: str
    unit_name: str
    group: str
    figures: dict[str, tuple[float, int]]  # code → (numerator, denominator)
    score: Decimal | None = None
    rank: int | None = None
    list: str = ""
    previous_rank: int | None = None
    reason: str = ""  # why not ranked

    def rate(self, code: str) -> float | None:
        num, den = self.figures.get(code, (0.0, 0))
        return num / den if den else None

    def count(self, code: str) -> int:
        return self.figures.get(code, (0.0, 0))[1]

    @property
    def change(self) -> int | None:
        """Places moved up since last month (negative: down); None when not ranked in either month."""
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank


@dataclass
class MonthRanking:
    period: Period
    scheme: Scheme
    entries: list[Entry]
    stored: bool = False
    previous_stored: bool = False
    computed_at: Any = None
    groups: tuple[RankGroup, ...] = field(default=GROUPS)

    def of_group(self, code: str) -> list[Entry]:
        return [e for e in self.entries if e.group == code]

    def on_list(self, which: str) -> list[Entry]:
        return [e for e in self.entries if e.list == which]


def _dec(value: float) -> Decimal:
    return Decimal(str(round(value, 6)))


def score_of(figures: dict[str, tuple[float, int]], scheme: Scheme) -> Decimal:
    weights = {"response_rate": scheme.weight_response, "resolution_rate": scheme.weight_resolution,
               "satisfaction_rate": scheme.weight_satisfaction}
    counted = {c: w for c, w in weights.items() if figures.get(c, (0, 0))[1]}
    total_weight, counted_weight = sum(weights.values()), sum(counted.values())
    rates = Decimal(0)
    if counted_weight:
        rated = sum((w * _dec(figures[c][0]) / figures[c][1] for c, w in counted.items()), Decimal(0))
        rates = rated * total_weight / counted_weight
    penalty = (scheme.points_overdue * figures.get("overdue", (0, 0))[1]
               + scheme.points_refused * figures.get("adjudication_refused", (0, 0))[1]
               + scheme.points_unjustified * figures.get("returns_unjustified", (0, 0))[1])
    praise = min(scheme.points_praise * figures.get("praise", (0, 0))[1], scheme.praise_cap)
    return (rates - penalty + praise).quantize(CENT, rounding=ROUND_HALF_UP)


def not_ranked_reason(figures: dict[str, tuple[float, int]], scheme: Scheme) -> str:
    if figures.get("assigned", (0, 0))[1] < scheme.minimum_assignments:
        return str(_("派单量少于 %(n)s 件") % {"n": scheme.minimum_assignments})
    if not figures.get("satisfaction_rate", (0, 0))[1]:
        return str(_("本月无接通的回访"))
    return ""


def rank_group(entries: list[Entry], scheme: Scheme) -> list[Entry]:
    """Ranks by score (equal scores share a rank, as RANK does) and marks the red and black lists: the best and
    the worst ``list_size`` each, fewer when the group has fewer than twice as many ranked units."""
    ranked = sorted((e for e in entries if not e.reason), key=lambda e: (-(e.score or 0), e.unit_name))
    for index, entry in enumerate(ranked):
        previous = ranked[index - 1] if index else None
        entry.rank = previous.rank if previous and previous.score == entry.score else index + 1
    size = min(scheme.list_size, len(ranked) // 2)
    for entry in ranked[:size]:
        entry.list = RED
    for entry in ranked[len(ranked) - size:] if size else []:
        entry.list = BLACK
    unranked = sorted((e for e in entries if e.reason), key=lambda e: e.unit_name)
    return ranked + unranked


def _unit_sums(period: Period) -> dict[int, dict[str, list[float]]]:
    table = compute(FigureScope(None, viewer_city_wide=True), period, group_by="unit", codes=list(SCORE_FIGURES))
    sums: dict[int, dict[str, list[float]]] = {}
    for group in table.groups:
        sums[int(group.key)] = {code: [v.numerator, v.denominator] for code, v in group.values.items()}
    return sums


def _figures_of(unit_ids: list[int], sums: dict[int, dict[str, list[float]]]) -> dict[str, tuple[float, int]]:
    total: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
    for unit_id in unit_ids:
        for code, (num, den) in sums.get(unit_id, {}).items():
            total[code][0] += num
            total[code][1] += den
    return {code: (round(total[code][0], 3), int(total[code][1])) for code in SCORE_FIGURES}


def _members(group: RankGroup, unit: Unit, units: list[Unit]) -> list[int]:
    if not group.with_subunits:
        return [unit.pk]
    return [u.pk for u in units if u.path.startswith(unit.path)]


def compute_ranking(period: Period, scheme: Scheme | None = None) -> MonthRanking:
    """The month's ranking computed now from the figures (a live month, or a month being closed)."""
    scheme = scheme or scheme_for(period)
    sums = _unit_sums(period)
    units = list(Unit.objects.all())
    entries: list[Entry] = []
    for group in GROUPS:
        members = [u for u in units if u.kind in group.kinds and u.is_active]
        group_entries = []
        for unit in members:
            figures = _figures_of(_members(group, unit, units), sums)
            entry = Entry(unit.pk, unit.code, unit.name, group.code, figures)
            entry.reason = not_ranked_reason(figures, scheme)
            entry.score = score_of(figures, scheme)
            group_entries.append(entry)
        entries += rank_group(group_entries, scheme)
    return MonthRanking(period, scheme, entries)


def _stored(ranking: Ranking) -> MonthRanking:
    period = month_of(ranking.month)
    scheme = ranking.scheme or Scheme()
    entries = []
    for row in ranking.entries.select_related("unit").order_by("id"):
        figures = {code: (float(v[0]), int(v[1])) for code, v in row.figures.items()}
        entry = Entry(row.unit_id, row.unit.code, row.unit.name, row.group, figures, score=row.score,
                      rank=row.rank, list=row.list, previous_rank=row.previous_rank)
        entry.reason = not_ranked_reason(figures, scheme) if row.rank is None else ""
        entries.append(entry)
    return MonthRanking(period, scheme, entries, stored=True, computed_at=ranking.computed_at)


def stored_ranking(month: date) -> Ranking | None:
    return Ranking.objects.filter(month=month.replace(day=1)).first()


def previous_ranks(period: Period) -> tuple[dict[tuple[int, str], int | None], bool]:
    """Last month's ranks: its stored ranking when it was closed, else computed now."""
    previous = period.previous()
    stored = stored_ranking(previous.start)
    if stored is not None:
        return dict(((u, g), r) for u, g, r in stored.entries.values_list("unit_id", "group", "rank")), True
    return {(e.unit_id, e.group): e.rank for e in compute_ranking(previous).entries}, False


def ranking_for(period: Period) -> MonthRanking:
    """A closed month's stored ranking (it never moves), or the month's ranking computed live with the change
    from last month."""
    stored = stored_ranking(period.start)
    if stored is not None:
        result = _stored(stored)
        result.previous_stored = stored_ranking(period.previous().start) is not None
        return result
    result = compute_ranking(period)
    previous, result.previous_stored = previous_ranks(period)
    for entry in result.entries:
        entry.previous_rank = previous.get((entry.unit_id, entry.group))
    return result
