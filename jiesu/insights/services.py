"""Keeping the tickets' hot issues: ``rebuild`` groups a period's tickets from scratch; ``update`` lets new
tickets join an issue or start one, without recomputing the others (docs/dev/insights.md, "Tickets").

``update`` works in the vector space of the last rebuild (``ProblemSpaceRecord``): words first seen since then
count through their character bigrams only, until the next rebuild (nightly, or ``jiesu hot rebuild``) refits
it. A new ticket joins the active issue (last ticket within ``WINDOW_DAYS``) of its place whose centroid is most
alike, at least ``JOIN_THRESHOLD`` (``POOL_JOIN_THRESHOLD`` for tickets naming no place below a district), else
it starts one. Each call is one transaction and writes one event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import scipy.sparse as sp
from django.db import transaction
from django.utils import timezone

from jiesu.core import clock
from jiesu.core.events import record_event
from jiesu.insights import discovery, early_warnings, grouping, heat, placing, store
from jiesu.insights.discovery import Grouping, Message, Options, Progress, describe, group_messages, issue_of
from jiesu.insights.models import HotIssue, HotIssueMember, ProblemSpaceRecord
from jiesu.insights.problem_terms import ProblemSpace, problem_text

WINDOW_DAYS = 90
JOIN_THRESHOLD = 0.3
POOL_JOIN_THRESHOLD = 0.55
HALF_LIFE_DAYS = 30.0
UPDATED_FIELDS = ["terms", "description", "heat", "requesters", "tickets", "first_at", "last_at", "vector",
                  "word_vector", "updated_at"]


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def _tickets(since: datetime, until: datetime) -> Any:
    from jiesu.tickets.models import Ticket
    from jiesu.tickets.states import State

    return (Ticket.objects.filter(created_at__gte=since, created_at__lte=until).exclude(status=State.REJECTED)
            .select_related("region").only("pk", "title", "content", "created_at", "requester_phone",
                                           "is_anonymous", "region__code", "region__name", "region__level")
            .order_by("created_at", "pk"))


def _region(ticket: Any) -> placing.Place | None:
    region = ticket.region if ticket.region_id else None
    return placing.region_place(region.code, region.name, region.level) if region is not None else None


def rebuild(*, actor: Any = None, days: int = WINDOW_DAYS, now: datetime | None = None,
            progress: Progress = _quiet) -> int:
    """Groups the tickets of the last ``days`` from scratch; returns how many issues (of 2+ requesters)."""
    now = now or clock.now()
    since = now - timedelta(days=days)
    tickets = list(_tickets(since, now))
    found = group_messages([store.message_of(t) for t in tickets], Options(), progress,
                           regions=[_region(t) for t in tickets])
    issues = [_new_issue(found, rows, now) for rows in found.groups]
    with transaction.atomic():
        HotIssueMember.objects.all().delete()
        HotIssue.objects.all().delete()
        ProblemSpaceRecord.objects.all().delete()
        ProblemSpaceRecord.objects.create(created_at=now, since=since, until=now, tickets=len(tickets),
                                          space=found.vectors.space.to_bytes())
        saved = HotIssue.objects.bulk_create([issue for issue, _ in issues], batch_size=1000)
        HotIssueMember.objects.bulk_create(
            [HotIssueMember(issue=row, ticket_id=int(m.id), requester=m.requester, created_at=m.at)
             for row, (_, members) in zip(saved, issues, strict=True) for m in members], batch_size=2000)
        hot = sum(1 for issue in saved if issue.requesters >= discovery.MIN_REQUESTERS)
        record_event(subject_type="insights.hot_issues", subject_id="all", action="rebuild", actor=actor,
                     data={"since": since.isoformat(), "until": now.isoformat(), "tickets": len(tickets),
                           "groups": len(saved), "hot_issues": hot})
    progress("saved", len(tickets), len(tickets))
    early_warnings.raise_warnings(actor=actor, now=now)
    return hot


def _new_issue(found: Grouping, rows: list[int], now: datetime) -> tuple[HotIssue, list[Message]]:
    issue = issue_of(found, rows, now, Options(half_life_days=HALF_LIFE_DAYS), keep_all=True)
    assert issue is not None
    place = found.places[rows[0]]
    vector = sp.csr_matrix(found.vectors.matrix[rows].sum(axis=0))
    words = sp.csr_matrix(found.vectors.word_block[rows].sum(axis=0))
    row = HotIssue(place_key=issue.place_key, area=place.area, place=issue.place, description=issue.description,
                   terms=issue.terms, heat=issue.heat, requesters=issue.requesters, tickets=len(rows),
                   votes=issue.votes, first_at=issue.start, last_at=issue.end, vector=store.to_bytes(vector),
                   word_vector=store.to_bytes(words))
    return row, [found.messages[r] for r in rows]


@dataclass
class _Open:
    """An active issue while ``update`` runs: the stored row (or a new one) and its sums."""

    row: HotIssue
    vector: sp.csr_matrix
    words: sp.csr_matrix
    joined: list[Message] = field(default_factory=list)


def update(*, actor: Any = None, now: datetime | None = None, progress: Progress = _quiet) -> dict[str, int]:
    """New tickets (since the window began, in no issue yet) join an active issue or start one."""
    now = now or clock.now()
    record = ProblemSpaceRecord.objects.order_by("-created_at").first()
    if record is None:
        rebuild(actor=actor, now=now, progress=progress)
        return {"tickets": 0, "joined": 0, "started": 0, "rebuilt": 1}
    space = ProblemSpace.from_bytes(bytes(record.space))
    since = now - timedelta(days=WINDOW_DAYS)
    tickets = list(_tickets(since, now).filter(hot_issue_member__isnull=True))
    places = _places(tickets, since)
    active = _active(space, since, places)
    texts = [problem_text(t.title, t.content, p.label) for t, p in zip(tickets, places, strict=True)]
    matrix, word_block = space.transform(texts)
    joined = started = 0
    index = _Index(active)
    for i, (ticket, place) in enumerate(zip(tickets, places, strict=True)):
        target = index.best(place, matrix[i])
        if target is None:
            row = HotIssue(place_key=place.key, area=place.area, place=place.label, first_at=ticket.created_at,
                           last_at=ticket.created_at)
            target = _Open(row, sp.csr_matrix(matrix[i].shape, dtype=np.float32),
                           sp.csr_matrix(word_block[i].shape, dtype=np.float32))
            active.append(target)
            started += 1
        else:
            joined += 1
        index.joined(target, matrix[i])
        target.vector = target.vector + matrix[i]
        target.words = target.words + word_block[i]
        target.joined.append(store.message_of(ticket))
        progress("update", i + 1, len(tickets))
    _save_update(space, [a for a in active if a.joined], now, actor, len(tickets), joined, started)
    early_warnings.raise_warnings(actor=actor, now=now)
    return {"tickets": len(tickets), "joined": joined, "started": started, "rebuilt": 0}


def _active(space: ProblemSpace, since: datetime, places: list[placing.Place]) -> list[_Open]:
    """The active issues the new tickets may join: those of their places (and of the pool when one has none)."""
    width_vector = len(space.words.vocabulary) + len(space.grams.vocabulary)
    width_words = max(len(space.words.vocabulary), 1)
    keys = {p.key for p in places}
    rows = HotIssue.objects.filter(last_at__gte=since, place_key__in=keys)
    return [_Open(row, store.from_bytes(bytes(row.vector), width_vector),
                  store.from_bytes(bytes(row.word_vector), width_words)) for row in rows]


def _places(tickets: list[Any], since: datetime) -> list[placing.Place]:
    """Each new ticket's place: a named place of an active issue when its text names one (matched exactly),
    else as the batch of new tickets says (``placing.places_of``)."""
    if not tickets:
        return []
    found, _ = placing.places_of([t.title for t in tickets], [t.content for t in tickets], placing.region_names(),
                                 [_region(t) for t in tickets])
    known = {place: (key, area) for place, key, area in HotIssue.objects.filter(
        last_at__gte=since, place_key__startswith="n:").values_list("place", "place_key", "area")}
    pattern = re.compile("|".join(map(re.escape, sorted(known, key=len, reverse=True)))) if known else None
    out = []
    for ticket, place in zip(tickets, found, strict=True):
        match = pattern.search(ticket.title) or pattern.search(ticket.content) if pattern else None
        name = match.group(0) if match else None
        if name is not None and (not place.key or place.key.startswith("n:")):
            place = placing.Place(known[name][0], name, 0, known[name][1])
        out.append(place)
    return out


class _Index:
    """The active issues by place key, each key's sums in one ``grouping.Centroids``."""

    def __init__(self, opens: list[_Open]) -> None:
        self.by_key: dict[str, list[_Open]] = {}
        for o in opens:
            self.by_key.setdefault(o.row.place_key, []).append(o)
        self.centroids = {key: grouping.Centroids([o.vector for o in rows]) for key, rows in self.by_key.items()}
        self.areas = {key: [o.row.area for o in rows] for key, rows in self.by_key.items()}
        self.position = {id(o): i for rows in self.by_key.values() for i, o in enumerate(rows)}

    def best(self, place: placing.Place, vector: sp.csr_matrix) -> _Open | None:
        rows = self.by_key.get(place.key, [])
        if not rows:
            return None
        scores = self.centroids[place.key].scores(vector)
        if not place.key and place.area:  # the pool: two districts never group
            areas = np.asarray(self.areas[place.key], dtype=object)
            scores[(areas != "") & (areas != place.area)] = -1.0
        best = int(np.argmax(scores))
        threshold = JOIN_THRESHOLD if place.key else POOL_JOIN_THRESHOLD
        return rows[best] if scores[best] >= threshold else None

    def joined(self, o: _Open, vector: sp.csr_matrix) -> None:
        """``o`` got ``vector`` (a new issue is added)."""
        key = o.row.place_key
        if id(o) in self.position:
            self.centroids[key].join(self.position[id(o)], vector)
            return
        rows = self.by_key.setdefault(key, [])
        rows.append(o)
        self.areas.setdefault(key, []).append(o.row.area)
        centroids = self.centroids.setdefault(key, grouping.Centroids(width=vector.shape[1]))
        self.position[id(o)] = centroids.add(vector)


def _save_update(space: ProblemSpace, changed: list[_Open], now: datetime, actor: Any, tickets: int, joined: int,
                 started: int) -> None:
    """The changed issues and their new members, a few bulk statements whatever their number."""
    with transaction.atomic():
        stored = [a.row for a in changed if a.row.pk]
        earlier: dict[int, list[heat.Voice]] = {}
        for issue_id, requester, at in HotIssueMember.objects.filter(issue_id__in=[r.pk for r in stored]
                                                                     ).values_list("issue_id", "requester",
                                                                                   "created_at"):
            earlier.setdefault(issue_id, []).append(heat.Voice(requester, at))
        updated_at = timezone.now()  # bulk_update does not apply auto_now
        for a in changed:
            voices = earlier.get(a.row.pk, []) + [heat.Voice(m.requester, m.at) for m in a.joined]
            h = heat.heat_of(voices, now, half_life_days=HALF_LIFE_DAYS)
            a.row.terms = space.terms(a.words)
            a.row.description = describe(a.row.place, a.row.terms)
            a.row.heat, a.row.requesters, a.row.tickets = h.value, h.requesters, len(voices)
            a.row.first_at = min(a.row.first_at, a.joined[0].at)
            a.row.last_at = max(a.row.last_at, a.joined[-1].at)
            a.row.vector, a.row.word_vector = store.to_bytes(a.vector), store.to_bytes(a.words)
            a.row.updated_at = updated_at
        HotIssue.objects.bulk_update(stored, UPDATED_FIELDS, batch_size=500)
        HotIssue.objects.bulk_create([a.row for a in changed if not a.row.pk], batch_size=1000)
        HotIssueMember.objects.bulk_create([HotIssueMember(issue=a.row, ticket_id=int(m.id), requester=m.requester,
                                                           created_at=m.at) for a in changed for m in a.joined],
                                           batch_size=2000)
        record_event(subject_type="insights.hot_issues", subject_id="all", action="update", actor=actor,
                     data={"tickets": tickets, "joined": joined, "started": started})
