"""Hot-issue discovery: the same problem at the same place (or for the same people), however worded, ranked.

1. Each message gets one place key (``placing``): the most specific estate, village, road, community, street
   or district its title names, else its detail. Messages are grouped only within one key, so two similar
   problems at two places stay apart; messages naming no place are grouped among themselves.
2. Within a key, messages are grouped by what they complain of (``problem_terms``: TF-IDF of words and
   character bigrams, the place cut out) with average linkage cut at a threshold (``grouping``): looser at an
   estate, a road or a street (sharing the place is already strong evidence), stricter among the messages
   that name only a district or nothing (one pool, where two districts never group and one district helps).
3. A group heard from at least ``MIN_REQUESTERS`` distinct people, sharing at least one word, is a hot issue; it is ranked by the heat index
   (``heat``) and described by its place and its most characteristic words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from jiesu.insights import grouping, heat, placing
from jiesu.insights.problem_terms import ProblemVectors, problem_text

PLACE_THRESHOLD = 0.15  # an estate, village, road, community, street or town
TEXT_THRESHOLD = 0.4  # a district or no place
MERGE_THRESHOLD = 0.3  # centroids of two groups at one place (grouping.merge_alike)
TEXT_MERGE_THRESHOLD = 0.55
MIN_REQUESTERS = 2

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Message:
    id: str
    title: str
    detail: str
    at: datetime
    requester: str = ""  # user, phone key …; "" = unknown (the message counts as its own requester)
    likes: int = 0
    dislikes: int = 0


@dataclass
class HotIssue:
    heat: float
    description: str
    place: str
    start: datetime
    end: datetime
    members: list[str]
    requesters: int
    votes: int
    terms: list[str] = field(default_factory=list)
    place_key: str = ""
    rank: int = 0

    def as_json(self) -> dict:
        return {"rank": self.rank, "heat": self.heat, "description": self.description, "place": self.place,
                "from": self.start.isoformat(sep=" "), "to": self.end.isoformat(sep=" "), "members": self.members,
                "requesters": self.requesters, "messages": len(self.members), "votes": self.votes,
                "terms": self.terms}


@dataclass(frozen=True)
class Options:
    place_threshold: float = PLACE_THRESHOLD
    text_threshold: float = TEXT_THRESHOLD
    merge_threshold: float = MERGE_THRESHOLD
    text_merge_threshold: float = TEXT_MERGE_THRESHOLD
    min_requesters: int = MIN_REQUESTERS
    half_life_days: float | None = heat.HALF_LIFE_DAYS
    end: datetime | None = None  # the end of the period (recency); default the latest message


def _quiet(stage: str, done: int, total: int) -> None:
    return None


@dataclass
class Grouping:
    """Every group of an analysis (single messages included), with what was computed on the way."""

    messages: list[Message]
    places: list[placing.Place]
    vectors: ProblemVectors
    groups: list[list[int]]  # rows of ``messages``, each group in time order


def group_messages(messages: Sequence[Message], options: Options | None = None, progress: Progress = _quiet,
                   regions: Sequence[placing.Place | None] | None = None) -> Grouping:
    """Groups ``messages`` (see the module's docstring). ``regions``: per message, the region chosen on its
    ticket, used where the text names no more specific place."""
    options = options or Options()
    order = sorted(range(len(messages)), key=lambda i: (messages[i].at, messages[i].id))
    ordered = [messages[i] for i in order]
    chosen = [regions[i] for i in order] if regions is not None else None
    progress("places", 0, len(ordered))  # placing and vectors are one pass each: reported when done
    places, mentioned = placing.places_of([m.title for m in ordered], [m.detail for m in ordered],
                                          placing.region_names(), chosen)
    progress("places", len(ordered), len(ordered))
    vectors = ProblemVectors([problem_text(m.title, m.detail, p.label) for m, p in zip(ordered, places,
                                                                                         strict=True)],
                             [p.key or p.area for p in places])
    progress("terms", len(ordered), len(ordered))
    groups = _groups(vectors, places, options, progress) if ordered else []
    groups = _across_places(vectors, places, mentioned, groups, options) if groups else []
    return Grouping(ordered, places, vectors, groups)


def discover(messages: Sequence[Message], options: Options | None = None, progress: Progress = _quiet,
             ) -> list[HotIssue]:
    """The hot issues among ``messages``, hottest first (rank 1 …)."""
    options = options or Options()
    if not messages:
        return []
    found = group_messages(messages, options, progress)
    end = options.end or found.messages[-1].at
    issues = [issue_of(found, rows, end, options) for rows in found.groups]
    ranked = sorted((i for i in issues if i is not None), key=lambda i: (-i.heat, i.start, i.members[0]))
    for rank, issue in enumerate(ranked, start=1):
        issue.rank = rank
    return ranked


def _groups(vectors: ProblemVectors, places: list[placing.Place], options: Options, progress: Progress,
            ) -> list[list[int]]:
    blocks: dict[str, list[int]] = {}
    for row, place in enumerate(places):
        blocks.setdefault(place.key, []).append(row)
    out: list[list[int]] = []
    done, step = 0, max(1, len(places) // 20)
    for key, rows in blocks.items():
        matrix = vectors.matrix[rows]
        if key:
            found = grouping.group(matrix, options.place_threshold)
            found = grouping.merge_alike(matrix, found, options.merge_threshold)
        else:
            areas = [places[r].area for r in rows]
            found = grouping.group(matrix, options.text_threshold, areas)
            found = grouping.merge_alike(matrix, found, options.text_merge_threshold, _same_area(areas))
        out.extend([rows[i] for i in g] for g in found)
        if (done + len(rows)) // step > done // step or done + len(rows) == len(places):
            progress("groups", done + len(rows), len(places))
        done += len(rows)
    return out


def issue_of(found: Grouping, rows: list[int], end: datetime, options: Options, *,
             keep_all: bool = False) -> HotIssue | None:
    """The group as a hot issue; None when it is not one (fewer requesters, no shared word) unless ``keep_all``."""
    members = [found.messages[r] for r in rows]
    voices = [heat.Voice(m.requester or f"#{m.id}", m.at, m.likes - m.dislikes) for m in members]
    if not keep_all and len({v.requester for v in voices}) < options.min_requesters:
        return None
    terms = found.vectors.terms(rows)
    if not keep_all and not terms:  # alike only in characters, sharing no word: not one problem
        return None
    h = heat.heat_of(voices, end, half_life_days=options.half_life_days)
    place = _common_place(found.places, rows)
    return HotIssue(heat=h.value, description=describe(place.label, terms), place=place.label,
                    start=members[0].at, end=members[-1].at, members=[m.id for m in members],
                    requesters=h.requesters, votes=h.votes, terms=terms, place_key=place.key)


def describe(place: str, terms: list[str]) -> str:
    return f"{place}：{'、'.join(terms)}" if place else "、".join(terms)


def _across_places(vectors: ProblemVectors, places: list[placing.Place], mentioned: list[frozenset[str]],
                   groups: list[list[int]], options: Options) -> list[list[int]]:
    """Joins a group to one at another place that most of its members also name, when the two say the same
    (武广新城's "捆绑销售车位" messages that name 伊景园滨河苑 join 伊景园滨河苑's)."""
    by_place: dict[str, list[int]] = {}
    for index, rows in enumerate(groups):
        if places[rows[0]].key:
            by_place.setdefault(places[rows[0]].key, []).append(index)
    parent = list(range(len(groups)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    centroids = grouping.centroids(vectors.matrix, groups)
    for index, rows in enumerate(groups):
        key = places[rows[0]].key
        if not key:
            continue
        counts: dict[str, int] = {}
        for r in rows:
            for other in mentioned[r] - {key}:
                counts[other] = counts.get(other, 0) + 1
        for other, count in counts.items():
            if 2 * count < len(rows):
                continue
            for target in by_place.get(other, []):
                if (centroids[index] @ centroids[target].T).toarray()[0, 0] >= options.merge_threshold:
                    parent[root(index)] = root(target)
    joined: dict[int, list[int]] = {}
    for index, rows in enumerate(groups):
        joined.setdefault(root(index), []).extend(rows)
    return [sorted(rows) for rows in joined.values()]


def _same_area(areas: list[str]) -> Callable[[list[int], list[int]], bool]:
    def may_merge(a: list[int], b: list[int]) -> bool:
        known = {areas[i] for i in a + b if areas[i]}
        return len(known) <= 1
    return may_merge


def _common_place(places: list[placing.Place], rows: list[int]) -> placing.Place:
    """The place most members name (groups joined across places), or in the pool their district."""
    keyed = [places[r] for r in rows if places[r].key]
    if keyed:
        return max(set(keyed), key=keyed.count)
    labels = [places[r].label for r in rows if places[r].label]
    return placing.Place("", max(set(labels), key=labels.count)) if labels else placing.NOWHERE
