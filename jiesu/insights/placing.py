"""Where a message is about: the one place key that blocks the grouping (hot issues never span two places).

Two finders of the intelligence package are asked, never a third: ``places.extract_place`` for the names of the
regions table (community, street, district) and ``place_names.PlaceNameFinder`` for named places the table does
not hold (estates, villages, roads, schools). Coded districts of pseudonymised exports (A3区) count as districts.
The most specific place wins, the title's before the detail's (a caller names the place of the problem in the
title; the detail also names where they live, work or passed by).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from jiesu.intelligence.place_names import NamedPlace, PlaceNameFinder

# Ranks: named places 0 (estate) … 4 (town, see place_names.ENDINGS); regions of the table by level.
REGION_RANK = {5: 2, 4: 4, 3: 5}  # community, street/town, district (the district is an area, not a block)
DISTRICT_RANK = 5
_CODED_DISTRICT = re.compile(r"[A-Z]\d+[区县]")


@dataclass(frozen=True)
class Place:
    key: str  # what two messages must share to be grouped: "n:丽发新城", "r:220302001001", "" when none
    label: str  # for people: 丽发新城, 铁西区 · 仁兴街道
    rank: int = 9
    area: str = ""  # the district alone ("c:A3区", "r:220302"): not a block, but two districts never group


NOWHERE = Place("", "")


def _region_places(text: str) -> list[Place]:
    try:
        from jiesu.intelligence.places import extract_place

        match = extract_place(text)
    except Exception:  # no regions table (an offline run on a fresh database): named places only
        return []
    if match is None or match.ambiguous or match.level not in REGION_RANK:
        return []
    return [Place(f"r:{match.code}", " · ".join(match.path[1:]) or match.name, REGION_RANK[match.level])]


def _named(found: list[NamedPlace]) -> list[Place]:
    counts = Counter(p.name for p in found)
    ordered = sorted(dict.fromkeys(p for p in found), key=lambda p: (p.rank, -counts[p.name]))
    return [Place(f"n:{p.name}", p.name, p.rank) for p in ordered]


def _coded(text: str) -> list[Place]:
    return [Place(f"c:{code}", code, DISTRICT_RANK) for code in _CODED_DISTRICT.findall(text)[:1]]


def place_of(finder: PlaceNameFinder, title: str, detail: str, region: Place | None = None) -> Place:
    """The place key of one message: the most specific place of its title, else of its detail, else the
    ``region`` chosen on its ticket."""
    for text in (title, detail):
        if not text:
            continue
        found = _named(finder.find(text)) + _region_places(text) + _coded(text)
        if region is not None and region.rank <= min((p.rank for p in found), default=99):
            found.insert(0, region)  # the operator's choice when the text says no more
        if found:
            return _as_key(min(found, key=lambda p: p.rank))
    return _as_key(region) if region is not None else NOWHERE


def _as_key(best: Place) -> Place:
    return best if best.rank < DISTRICT_RANK else Place("", best.label, best.rank, best.key)


def region_place(code: str, name: str, level: int) -> Place | None:
    """A ticket's chosen region as a place (a district is an area)."""
    rank = REGION_RANK.get(level)
    return Place(f"r:{code}", name, rank) if rank is not None else None


def places_of(titles: Sequence[str], details: Sequence[str], cut: Sequence[str] = (),
              regions: Sequence[Place | None] | None = None) -> tuple[list[Place], list[frozenset[str]]]:
    """The place of every message, and the keys of every named place it mentions (伊景园滨河苑 said by one who
    files it under 武广新城); where names start is learnt from these messages themselves."""
    finder = PlaceNameFinder(cut).fit(f"{t} {d}" for t, d in zip(titles, details, strict=True))
    chosen = regions if regions is not None else [None] * len(titles)
    places = [place_of(finder, t, d, r) for t, d, r in zip(titles, details, chosen, strict=True)]
    mentioned = [frozenset(f"n:{p.name}" for p in finder.find(f"{t} {d}")) for t, d in zip(titles, details,
                                                                                           strict=True)]
    return places, mentioned


def region_names() -> list[str]:
    """The regions table's names, cut out before looking for named places (they are regions, found above)."""
    try:
        from jiesu.intelligence.places import gazetteer

        return list(gazetteer().names)
    except Exception:
        return []
