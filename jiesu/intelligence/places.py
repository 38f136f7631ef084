"""Place extraction: free text and typed addresses → the region (district/county → street/town → community).

Every name and alias of the regions table is looked for in the text (longest name first at each position).
Each region found is a *candidate*; its *support* is how many of the names found lie on its own chain
(itself or an ancestor): "铁西区阳光新城小区" supports 阳光新城小区 twice (铁西区 is its grand-parent). The
candidate with the most support wins, deeper first on a tie. When two candidates tie on both (a community name
that exists in two streets, said without its street or district), the answer is their deepest common ancestor
below the city, marked ``ambiguous`` with the alternatives listed, so the operator chooses.

No library resolves streets and communities reliably (see ../shared/docs/nlp-notes.md); the project's own table
and aliases do, so this is pure table matching. The table is cached per process and reloaded when the regions
or aliases change (counts of active rows and highest ids, looked at every ``CHECK_SECONDS``), and at least
every ``REFRESH_SECONDS``.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q

from jiesu.intelligence.text import normalize

REFRESH_SECONDS = 60.0
CHECK_SECONDS = 5.0  # how often the table's signature is looked at (one call per draft would cost a query)
ADDRESS_WEIGHT = 2  # a name in the typed address counts more than one in the free text
CITY_LEVEL = 2


@dataclass(frozen=True)
class RegionNode:
    pk: int
    code: str
    name: str
    level: int
    parent_id: int | None


@dataclass(frozen=True)
class PlaceMatch:
    """The region a text speaks of, with the chain from the city down and the names that led to it."""

    code: str
    name: str
    level: int
    path: list[str]  # names from the city down to the region
    matched: list[str]  # the names found in the text that support it
    matched_text: str  # the same, joined for display ("铁西区 · 阳光新城小区")
    ambiguous: bool = False
    alternatives: list[str] = field(default_factory=list)  # codes of equally likely regions when ambiguous


@dataclass
class _Gazetteer:
    nodes: dict[int, RegionNode]
    names: dict[str, list[int]]
    pattern: re.Pattern[str] | None
    signature: tuple
    loaded_at: float
    keys: dict[str, list[str]] | None = None  # built on first use by place_keys()

    def chain(self, pk: int) -> list[int]:
        """The region and its ancestors, the region first."""
        out: list[int] = []
        node = self.nodes.get(pk)
        while node is not None and node.pk not in out:
            out.append(node.pk)
            node = self.nodes.get(node.parent_id) if node.parent_id else None
        return out


_cache: _Gazetteer | None = None
_checked_at = 0.0
_lock = threading.Lock()


def _signature() -> tuple:
    from jiesu.org.models import Region, RegionAlias

    regions = Region.objects.aggregate(n=Count("pk", filter=Q(is_active=True)), top=Max("pk"))
    aliases = RegionAlias.objects.aggregate(n=Count("pk"), top=Max("pk"))
    return regions["n"], regions["top"], aliases["n"], aliases["top"]


def _load(signature: tuple) -> _Gazetteer:
    from jiesu.org.models import Region
    from jiesu.org.queries import region_name_index

    nodes = {pk: RegionNode(pk, code, name, level, parent_id) for pk, code, name, level, parent_id in
             Region.objects.filter(is_active=True).values_list("pk", "code", "name", "level", "parent_id")}
    names = {name: ids for name, ids in region_name_index().items() if len(name) >= 2}
    alternatives = sorted(names, key=lambda n: (-len(n), n))
    pattern = re.compile("|".join(map(re.escape, alternatives))) if alternatives else None
    return _Gazetteer(nodes, names, pattern, signature, time.monotonic())


def gazetteer() -> _Gazetteer:
    global _cache, _checked_at
    with _lock:
        now = time.monotonic()
        if _cache is not None and now - _checked_at < CHECK_SECONDS:
            return _cache
        signature = _signature()
        _checked_at = now
        if _cache is None or _cache.signature != signature or now - _cache.loaded_at >= REFRESH_SECONDS:
            _cache = _load(signature)
        return _cache


def clear_cache() -> None:
    global _cache
    with _lock:
        _cache = None


def place_keys() -> dict[str, list[str]]:
    """Each region name and alias → the codes of the regions it may denote and of their ancestors below the
    city: what two texts share when they are about the same place (the retrieval's place conflict). The same
    object is returned until the table changes."""
    g = gazetteer()
    if g.keys is None:
        below_city = {name: sorted({g.nodes[a].code for pk in pks if pk in g.nodes for a in g.chain(pk)
                                    if g.nodes[a].level > CITY_LEVEL})
                      for name, pks in g.names.items()}
        g.keys = {name: codes for name, codes in below_city.items() if codes}
    return g.keys


def mentions(text: str, g: _Gazetteer | None = None) -> list[str]:
    """Region names and aliases found in ``text``, in order, longest name at each position."""
    g = g or gazetteer()
    cleaned = normalize(text).replace(" ", "")
    return [m.group(0) for m in g.pattern.finditer(cleaned)] if g.pattern and cleaned else []


def extract_place(text: str = "", address: str = "", *, within: str | None = None) -> PlaceMatch | None:
    """The region ``address`` and ``text`` speak of, or None when they name none.

    ``within``: a region code already chosen (e.g. the district on the form); candidates outside it and
    not above it are dropped, so "红旗社区" with 铁西区 chosen is not the 红旗街道 of 双辽市.
    """
    g = gazetteer()
    weights: dict[str, int] = {}
    for name in mentions(address, g):
        weights[name] = weights.get(name, 0) + ADDRESS_WEIGHT
    for name in mentions(text, g):
        weights[name] = weights.get(name, 0) + 1
    support = _support(g, weights)
    if within:
        support = _keep_within(g, support, within)
    if not support:
        return None
    return _choose(g, support)


def _support(g: _Gazetteer, weights: dict[str, int]) -> dict[int, tuple[int, list[str]]]:
    """Each candidate region → (weight of the names on its chain, those names)."""
    named: dict[int, list[str]] = {}
    for name in weights:
        for pk in g.names.get(name, []):
            if pk in g.nodes:
                named.setdefault(pk, []).append(name)
    result: dict[int, tuple[int, list[str]]] = {}
    for pk in named:
        chain = g.chain(pk)
        names = [n for anc in reversed(chain) for n in named.get(anc, [])]
        result[pk] = (sum(weights[n] for n in dict.fromkeys(names)), list(dict.fromkeys(names)))
    return result


def _keep_within(g: _Gazetteer, support: dict, code: str) -> dict:
    anchor = next((n.pk for n in g.nodes.values() if n.code == code), None)
    if anchor is None:
        return support
    above = set(g.chain(anchor))
    kept = {pk: s for pk, s in support.items() if anchor in g.chain(pk) or pk in above}
    return kept


def _choose(g: _Gazetteer, support: dict[int, tuple[int, list[str]]]) -> PlaceMatch:
    ranked = sorted(support, key=lambda pk: (-support[pk][0], -g.nodes[pk].level, g.nodes[pk].code))
    best = ranked[0]
    ties = [pk for pk in ranked if support[pk][0] == support[best][0] and g.nodes[pk].level == g.nodes[best].level]
    if len(ties) == 1:
        return _match(g, best, support[best][1])
    common = _common_ancestor(g, ties)
    names = list(dict.fromkeys(n for pk in ties for n in support[pk][1]))
    alternatives = [g.nodes[pk].code for pk in ties]
    if common is None or g.nodes[common].level <= CITY_LEVEL:  # nothing shared below the city: first, flagged
        return _match(g, best, names, alternatives=alternatives)
    return _match(g, common, names, alternatives=alternatives)


def _common_ancestor(g: _Gazetteer, pks: list[int]) -> int | None:
    chains = [g.chain(pk) for pk in pks]
    shared = set(chains[0]).intersection(*map(set, chains[1:]))
    return next((pk for pk in chains[0] if pk in shared), None)


def _match(g: _Gazetteer, pk: int, names: list[str], *, alternatives: list[str] | None = None) -> PlaceMatch:
    node = g.nodes[pk]
    path = [g.nodes[a].name for a in reversed(g.chain(pk)) if g.nodes[a].level >= CITY_LEVEL]
    return PlaceMatch(code=node.code, name=node.name, level=node.level, path=path, matched=names,
                      matched_text=" · ".join(names), ambiguous=bool(alternatives), alternatives=alternatives or [])
