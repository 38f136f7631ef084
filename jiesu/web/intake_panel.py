"""The intake screen's side panel: what the system proposes for the draft, gathered from the services.

Smart suggestions come from ``jiesu.intelligence.suggest.suggest_for_draft``; should that service fail, the
panel falls back to the dispatch catalog alone (a call must never wait for it). Knowledge-base answers come
from ``jiesu.knowledge.answering.suggest_articles``.

The encoder-backed part (learned categories and units, knowledge answers, similar cases) comes twice: first
lexically with the rest of the panel, then — when a sentence encoder is available — from a second request
(``build_dense_panel``) that the first answer triggers, so the operator never waits for the encoder.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from jiesu.catalog.models import Category, Kind
from jiesu.org.models import Region

log = logging.getLogger(__name__)
MAX_ARTICLES = 3
DRAFT_FIELDS = ("title", "content", "kind", "category", "region", "address", "requester_phone", "channel", "urgency")


@dataclass
class Panel:
    place: Any = None
    categories: list[Any] = field(default_factory=list)
    units: list[Any] = field(default_factory=list)
    learned_available: bool = False
    merge_candidates: list[Any] = field(default_factory=list)
    similar_cases: list[Any] = field(default_factory=list)
    requester_history: list[Any] = field(default_factory=list)
    articles: list[Any] = field(default_factory=list)
    smart: bool = False  # whether the suggestion service answered (else: catalog only)
    dense: bool = False  # whether the sentence encoder contributed
    dense_pending: bool = False  # whether the page should ask for the encoder-backed part

    @property
    def catalog_units(self) -> list[Any]:
        return [u for u in self.units if u.source == "catalog"]

    @property
    def learned_units(self) -> list[Any]:
        return [u for u in self.units if u.source != "catalog"]

    @property
    def learned_categories(self) -> list[Any]:
        return [c for c in self.categories if c.source != "catalog"]

    @property
    def is_empty(self) -> bool:
        return not (self.place or self.categories or self.units or self.merge_candidates or self.similar_cases
                    or self.articles)


def draft_of(data: Any) -> dict[str, str]:
    return {name: (data.get(name) or "").strip() for name in DRAFT_FIELDS}


def build_panel(user: Any, draft: dict[str, str]) -> Panel:
    panel = _smart(user, draft) or _catalog_only(draft)
    if draft.get("title") or draft.get("content"):
        panel.articles = _articles(draft)
        panel.dense_pending = panel.smart and _encoder_available()
    return panel


def _encoder_available() -> bool:
    from jiesu.intelligence.encoder import get_encoder

    return get_encoder() is not None


def build_dense_panel(user: Any, draft: dict[str, str]) -> Panel | None:
    """The encoder-backed part of the panel; None when it cannot be had (the lexical part then stands)."""
    from jiesu.intelligence import suggest

    try:
        s = suggest.dense_suggestions(user, draft)
    except Exception:  # as for the first part: a failure must never stop a call from being registered
        log.exception("dense_suggestions failed; the intake panel keeps its lexical suggestions")
        return None
    if s is None:
        return None
    panel = Panel(categories=list(s.categories), units=list(s.units), learned_available=suggest.learned_available(),
                  similar_cases=list(s.similar_cases), smart=True, dense=True)
    panel.articles = _articles(draft, s.vector, s.encoder_id)
    return panel


def _smart(user: Any, draft: dict[str, str]) -> Panel | None:
    from jiesu.intelligence import suggest

    try:
        s = suggest.suggest_for_draft(user, draft)
    except Exception:  # a failing suggestion service must never stop a call from being registered
        log.exception("suggest_for_draft failed; the intake panel falls back to the catalog")
        return None
    return Panel(place=s.place, categories=list(s.categories), units=list(s.units),
                 learned_available=bool(s.learned_available), merge_candidates=list(s.merge_candidates),
                 similar_cases=list(s.similar_cases), requester_history=list(s.requester_history), smart=True)


def _catalog_only(draft: dict[str, str]) -> Panel:
    from jiesu.intelligence.suggest import catalog_unit_options

    category = Category.objects.filter(code=draft.get("category"), is_active=True).first() \
        if draft.get("category") else None
    region = Region.objects.filter(code=draft.get("region")).first() if draft.get("region") else None
    return Panel(units=list(catalog_unit_options(category, region)))


def _articles(draft: dict[str, str], vector: Any = None, encoder_id: str = "") -> list[Any]:
    from jiesu.knowledge.answering import suggest_articles

    if draft.get("kind") not in ("", Kind.CONSULTATION):  # answers at intake are for consultations
        return []
    return suggest_articles(draft.get("title", ""), draft.get("content", ""), k=MAX_ARTICLES,
                            region=draft.get("region") or None, vector=vector, encoder_id=encoder_id)


def requester_history(user: Any, phone: str) -> list[Any]:
    """Earlier tickets from this phone number that the user may see, newest first."""
    from jiesu.intelligence.suggest import requester_history as history

    return history(user, phone)
