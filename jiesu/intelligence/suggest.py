"""The suggestion service of the intake screen: everything the system can propose for a draft ticket, in one call.

``suggest_for_draft(user, draft)`` reads only; the operator confirms. Each part says where it came from:
the dispatch catalog (rules with their basis) or a model the city trained (with its probability), so a
dispatcher can judge. Every list of tickets goes through ``visible_tickets`` (the user's scope). The caller needs
the right to accept tickets (operators, dispatchers).

Two calls, so the operator never waits for the sentence encoder: ``suggest_for_draft`` answers from the
lexical models and indexes (≤ 100 ms at a million tickets); ``dense_suggestions`` encodes the draft once
(≈ 0.1–0.3 s on a core) and gives the similar cases and the learned categories and units again with the
encoder's help. The intake screen asks for the second after showing the first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from jiesu.catalog.models import Category
from jiesu.core.errors import ValidationFailed
from jiesu.core.permissions import Perm
from jiesu.core.scope import require_perm
from jiesu.intelligence import classifier
from jiesu.intelligence.duplicates import MergeCandidate, merge_candidates
from jiesu.intelligence.pii import phone_keys
from jiesu.intelligence.places import PlaceMatch, extract_place
from jiesu.intelligence.text import normalize
from jiesu.org.models import Region, Unit

LEARNED_TASKS = ("topic", "unit")
CATEGORY_TASKS = ("category", "topic")
MAX_UNITS = 5
MAX_SIMILAR = 5
MAX_HISTORY = 10
MIN_SHOWN_PROBABILITY = 0.05  # learned candidates after the first are shown from this probability on
QUERY_CHARS = 128  # what the encoder reads of a draft (the indexes' and models' default query window)


@dataclass(frozen=True)
class CategorySuggestion:
    code: str
    name: str
    probability: float | None  # None for the catalog (the category the operator chose)
    source: str  # "model" | "catalog"


@dataclass(frozen=True)
class UnitOption:
    unit_id: int
    unit_code: str
    unit_name: str
    source: str  # "catalog" | "model"
    reason: str  # the rule that matched, or "模型 0.87"
    score: float
    co_units: list[str] = field(default_factory=list)  # codes of the rule's co-handling units


@dataclass(frozen=True)
class SimilarCase:
    kind: str  # "reply" | "article"
    ref: str  # ticket number or article id
    title: str
    snippet: str
    score: float


@dataclass(frozen=True)
class HistoryItem:
    number: str
    title: str
    state: str  # the state's label
    created_at: datetime


@dataclass(frozen=True)
class Suggestions:
    place: PlaceMatch | None
    categories: list[CategorySuggestion]
    units: list[UnitOption]
    learned_available: bool
    merge_candidates: list[MergeCandidate]
    similar_cases: list[SimilarCase]
    requester_history: list[HistoryItem]


def suggest_for_draft(user: Any, draft: dict[str, Any]) -> Suggestions:
    """What the system proposes for ``draft`` (title, content, kind, category, region, address, requester_phone,
    channel, urgency, exclude_ticket — all optional)."""
    require_perm(user, Perm.TICKET_CREATE)
    draft = {key: normalize(str(value)) if value is not None else "" for key, value in (draft or {}).items()}
    _check_codes(draft)
    text = _text_of(draft)
    place = extract_place(text, draft.get("address", ""), within=draft.get("region") or None)
    category = _category(draft.get("category", ""))
    region = _region(draft.get("region", ""), place)
    return Suggestions(
        place=place,
        categories=category_suggestions(category, text),
        units=unit_options(category, region, text),
        learned_available=learned_available(),
        merge_candidates=merge_candidates(user, {**draft, "_place": place}),
        similar_cases=similar_cases(draft.get("title", ""), draft.get("content", "")),
        requester_history=requester_history(user, draft.get("requester_phone", ""), draft.get("exclude_ticket", "")),
    )


@dataclass(frozen=True)
class DenseSuggestions:
    similar_cases: list[SimilarCase]
    categories: list[CategorySuggestion]
    units: list[UnitOption]
    vector: Any  # the draft's encoder vector (for the knowledge base's answers), None without an encoder
    encoder_id: str


def dense_suggestions(user: Any, draft: dict[str, Any]) -> DenseSuggestions | None:
    """The encoder-backed part of the suggestions; None when no encoder is available (the first call's lexical
    suggestions then stand)."""
    from jiesu.intelligence.embeddings import query_vector

    require_perm(user, Perm.TICKET_CREATE)
    draft = {key: normalize(str(value)) if value is not None else "" for key, value in (draft or {}).items()}
    _check_codes(draft)
    text = _text_of(draft)
    found = query_vector(text, QUERY_CHARS) if text else None
    if found is None:
        return None
    vector, encoder_id = found
    place = extract_place(text, draft.get("address", ""), within=draft.get("region") or None)
    category = _category(draft.get("category", ""))
    return DenseSuggestions(
        similar_cases=similar_cases(draft.get("title", ""), draft.get("content", ""), vector=vector,
                                    encoder_id=encoder_id),
        categories=category_suggestions(category, text, vector, encoder_id),
        units=unit_options(category, _region(draft.get("region", ""), place), text, vector, encoder_id),
        vector=vector, encoder_id=encoder_id)


def _check_codes(draft: dict[str, str]) -> None:
    """Unknown codes are errors of the caller (pickers send codes), said in Chinese, not silently ignored."""
    errors: dict[str, list[str]] = {}
    if draft.get("category") and not Category.objects.filter(code=draft["category"], is_active=True).exists():
        errors["category"] = [f"诉求分类“{draft['category']}”不存在或已停用。"]
    if draft.get("region") and not Region.objects.filter(code=draft["region"]).exists():
        errors["region"] = [f"行政区划“{draft['region']}”不存在。"]
    if errors:
        raise ValidationFailed(field_errors=errors)


def _text_of(draft: dict[str, str]) -> str:
    return " ".join(part for part in (draft.get("title", ""), draft.get("content", "")) if part)


def _category(code: str) -> Category | None:
    return Category.objects.filter(code=code, is_active=True).first() if code else None


def _region(code: str, place: PlaceMatch | None) -> Region | None:
    """The deeper of the region the form names and the one found in the text (found within the form's region,
    so the two agree); an ambiguous place is not used."""
    if place is not None and not place.ambiguous and len(place.code) > len(code):
        code = place.code
    return Region.objects.filter(code=code).select_related("parent__parent__parent__parent").first() if code else None


def learned_available() -> bool:
    """Whether a model the city trained is active for topics or units (the intake screen shows its slot)."""
    return any(classifier.active_model(task)[1] is not None for task in LEARNED_TASKS)


def category_suggestions(chosen: Category | None, text: str, vector: Any = None,
                         encoder_id: str = "") -> list[CategorySuggestion]:
    out: list[CategorySuggestion] = []
    if chosen is not None:
        out.append(CategorySuggestion(chosen.code, chosen.full_name, None, "catalog"))
    for task in CATEGORY_TASKS:
        prediction = classifier.predict(task, text, vector=vector, encoder_id=encoder_id)
        if prediction.model_version and not prediction.abstained:
            out += _model_categories(prediction, {c.code for c in out})
            break
    return out


def _model_categories(prediction: classifier.Prediction, seen: set[str]) -> list[CategorySuggestion]:
    """Predicted labels as categories: a label is a category code, or the name of an active category."""
    out = []
    for label, probability in _worth_showing(prediction.candidates):
        category = (Category.objects.filter(code=label, is_active=True).first()
                    or Category.objects.filter(name=label, is_active=True).order_by("level", "code").first())
        code, name = (category.code, category.full_name) if category else (label, label)
        if code not in seen:
            seen.add(code)
            out.append(CategorySuggestion(code, name, round(float(probability), 4), "model"))
    return out


def _worth_showing(candidates: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """The best candidate and the others a dispatcher might consider (a 0 % line is noise)."""
    return candidates[:1] + [(label, p) for label, p in candidates[1:] if p >= MIN_SHOWN_PROBABILITY]


def catalog_unit_options(category: Category | None, region: Region | None) -> list[UnitOption]:
    """The dispatch catalog's rules for (category, place), best first."""
    from jiesu.catalog.queries import suggest_units

    return [UnitOption(s.unit.pk, s.unit.code, s.unit.name, "catalog", s.reason, s.score,
                       [u.code for u in s.co_units])
            for s in suggest_units(category=category, region=region)[:MAX_UNITS]]


def unit_options(category: Category | None, region: Region | None, text: str, vector: Any = None,
                 encoder_id: str = "") -> list[UnitOption]:
    """Catalog rules for (category, place) first, then the unit model's candidates not already proposed."""
    options = catalog_unit_options(category, region)
    prediction = classifier.predict("unit", text, vector=vector, encoder_id=encoder_id)
    if prediction.model_version and not prediction.abstained:
        seen = {o.unit_code for o in options}
        units = {u.code: u for u in Unit.objects.filter(code__in=[c for c, _ in prediction.candidates],
                                                        is_active=True)}
        for code, probability in _worth_showing(prediction.candidates):
            if code in units and code not in seen:
                unit = units[code]
                options.append(UnitOption(unit.pk, unit.code, unit.name, "model", f"模型 {probability:.2f}",
                                          round(float(probability), 4)))
    return options


def similar_cases(title: str, content: str, k: int = MAX_SIMILAR, vector: Any = None,
                  encoder_id: str = "") -> list[SimilarCase]:
    """Past replies and knowledge articles most like the draft, from the product's retrieval index (dense +
    lexical when ``vector`` comes from the encoder the index was built with)."""
    from jiesu.intelligence.retrieval.store import similar_cases as search

    if not (title or content):
        return []
    hits = search(title, content, k=k, vector=vector, encoder_id=encoder_id)
    return [SimilarCase(hit.kind, str(hit.metadata.get("ref") or hit.doc_id), hit.title, hit.snippet,
                        round(float(hit.score), 4)) for hit in hits]


def requester_history(user: Any, phone: str, exclude: str = "") -> list[HistoryItem]:
    """Earlier tickets from the same phone number, those the user may see, newest first."""
    from jiesu.tickets.queries import visible_tickets

    spellings = phone_spellings(phone)
    if not spellings:
        return []
    rows = visible_tickets(user).filter(requester_phone__in=spellings)
    if exclude:
        rows = rows.exclude(number=exclude)
    rows = rows.order_by("-created_at").only("number", "title", "status", "created_at")[:MAX_HISTORY]
    return [HistoryItem(t.number, t.title, t.get_status_display(), t.created_at) for t in rows]


def phone_spellings(phone: str) -> list[str]:
    """The ways a number is commonly stored (13812345678, 138-1234-5678, 138 1234 5678, +86…), so the
    indexed equality lookup finds tickets whichever way the number was typed at intake."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    keys = phone_keys(phone) or ([digits] if len(digits) >= 7 else [])
    out: list[str] = []
    for key in keys:
        if len(key) == 11 and key.startswith("1"):
            parts = (key[:3], key[3:7], key[7:])
            out += [key, "-".join(parts), " ".join(parts), f"+86{key}", f"+86 {key}", f"86{key}"]
        elif key.startswith("0") and len(key) >= 10:
            area = key[:4] if key[1] in "3456789" else key[:3]
            out += [key, f"{area}-{key[len(area):]}", f"({area}){key[len(area):]}", key[len(area):]]
        else:
            out.append(key)
    return list(dict.fromkeys(out))
