"""Merge candidates (并单): open tickets about the same problem at the same place as a new one, ranked, with why.

Where candidates come from (all index lookups, see signatures.py and signature_models.py):
1. segment keys — every near-exact repeat (the same text with a few edits) is found, always;
2. MinHash band keys — reworded texts with much in common, usually;
3. the same place — the latest tickets of the region the draft names, kept only when their texts overlap;
4. the same caller — the open tickets of the draft's phone number (a caller who rings again about the same
   problem rarely repeats the words), kept when their texts overlap a little or the category is the same.
Then only open, unmerged tickets inside the window that the user may see are kept, ranked by text
similarity with bonuses for the same caller, the same place, the same category and recency. Numbers compare
equal whether written in digits or in Chinese numerals (signatures.clean).

The index is filled incrementally: ``index_new_ticket`` is called by the accept service inside its
transaction, and ``jiesu index rebuild`` backfills (or repairs) it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction

from jiesu.core import clock
from jiesu.intelligence import signature_lookup as lookup
from jiesu.intelligence import signatures as sig
from jiesu.intelligence.signature_models import DuplicateKey, TicketSignature

DEFAULT_WINDOW_DAYS = 30
MIN_SIMILARITY = 0.5  # anywhere in the city
MIN_SIMILARITY_SAME_PLACE = 0.2  # in the same region
SAME_PLACE_SCAN = 200  # latest signatures of the region compared to the draft
MAX_CANDIDATES = 400  # signatures compared at most (keeps the worst case bounded)
MAX_RANKED = 60  # candidates checked for state and visibility, near-exact repeats first
SAME_CALLER_SCAN = 20  # the caller's latest open tickets compared to the draft
MIN_SIMILARITY_SAME_CALLER = 0.15  # the same caller, another category or none chosen
SAME_CALLER_BONUS = 0.3
SAME_PLACE_BONUS = 0.15
SAME_CATEGORY_BONUS = 0.1


@dataclass(frozen=True)
class MergeCandidate:
    number: str
    title: str
    state: str  # the state's label (办理中 …)
    created_at: datetime
    region: str  # the region's name, "" when unknown
    score: float
    reason: str
    similarity: float = 0.0
    same_place: bool = False
    same_caller: bool = False
    same_category: bool = False


def window_days() -> int:
    return int(getattr(settings, "JIESU_MERGE_WINDOW_DAYS", DEFAULT_WINDOW_DAYS))


# ---- filling the index ---------------------------------------------------------------------------------------

def signature_rows(ticket_id: int, title: str, content: str, region_id: int | None, created_at: datetime,
                   ) -> tuple[TicketSignature, list[DuplicateKey]]:
    s = sig.signature_of(title, content)
    row = TicketSignature(ticket_id=ticket_id, created_at=created_at, region_id=region_id,
                          length=len(s.cleaned), minhash=s.minhash_bytes)
    return row, [DuplicateKey(key=k, ticket_id=ticket_id, created_at=created_at) for k in s.keys]


def index_ticket(ticket: Any) -> None:
    """(Re)writes the signature of one ticket."""
    row, keys = signature_rows(ticket.pk, ticket.title, ticket.content, ticket.region_id, ticket.created_at)
    with transaction.atomic():
        DuplicateKey.objects.filter(ticket_id=ticket.pk).delete()
        TicketSignature.objects.filter(ticket_id=ticket.pk).delete()
        row.save(force_insert=True)
        DuplicateKey.objects.bulk_create(keys)


def index_new_ticket(ticket: Any, signature: sig.Signature | None = None) -> None:
    """Writes the signature of a ticket just inserted, in the transaction that inserts it (so a crash can never
    leave an accepted ticket without its keys). ``signature`` may be computed beforehand, outside any lock."""
    s = signature if signature is not None else sig.signature_of(ticket.title, ticket.content)
    TicketSignature(ticket_id=ticket.pk, created_at=ticket.created_at, region_id=ticket.region_id,
                    length=len(s.cleaned), minhash=s.minhash_bytes).save(force_insert=True)
    DuplicateKey.objects.bulk_create(
        [DuplicateKey(key=k, ticket_id=ticket.pk, created_at=ticket.created_at) for k in s.keys])


# ---- finding candidates --------------------------------------------------------------------------------------

def merge_candidates(user: Any, draft: dict[str, Any], *, limit: int = 5, days: int | None = None,
                     ) -> list[MergeCandidate]:
    """Open tickets the draft may repeat, best first. ``draft``: title, content, region (code), category (code),
    requester_phone, exclude_ticket, and optionally ``_place`` (a PlaceMatch found in its text)."""
    cleaned = sig.clean(f"{draft.get('title', '')} {draft.get('content', '')}")
    if not cleaned:
        return []
    now = clock.now()
    since = now - timedelta(days=days if days is not None else window_days())
    region_id = _region_id(draft)
    minhash = sig.minhash(cleaned)
    compared = _compared(cleaned, minhash, region_id, since, now)
    caller = _same_caller(draft.get("requester_phone", ""), since, now)
    compared = {pk: compared.get(pk, (0.0, False)) for pk in caller} | compared  # the caller's own first
    return _ranked(user, draft, cleaned, compared, region_id, now, limit)


def _same_caller(phone: str, since: datetime, now: datetime) -> list[int]:
    """The latest open, unmerged tickets of this phone number inside the window."""
    from jiesu.intelligence.suggest import phone_spellings
    from jiesu.tickets.models import Ticket
    from jiesu.tickets.states import OPEN_STATES

    spellings = phone_spellings(phone) if phone else []
    if not spellings:
        return []
    rows = Ticket.objects.filter(requester_phone__in=spellings, status__in=list(OPEN_STATES),
                                 merged_into__isnull=True, created_at__gte=since, created_at__lte=now)
    return list(rows.order_by("-created_at").values_list("pk", flat=True)[:SAME_CALLER_SCAN])


def _region_id(draft: dict[str, Any]) -> int | None:
    from jiesu.org.models import Region

    code = draft.get("region") or ""
    place = draft.get("_place")
    if place is not None and not place.ambiguous and (not code or len(place.code) > len(code)):
        code = place.code
    return Region.objects.filter(code=code).values_list("pk", flat=True).first() if code else None


def _compared(cleaned: str, minhash: Any, region_id: int | None, since: datetime, now: datetime,
              ) -> dict[int, tuple[float, bool]]:
    """Candidate ticket ids → (estimated similarity, same region), at most MAX_RANKED of them. Near-exact
    repeats (segment keys) are always kept; band and same-place candidates only when their texts overlap."""
    rows = lookup.candidates(sorted(sig.segment_probes(cleaned)), sig.band_keys(minhash), region_id, since, now,
                             keyed_limit=MAX_CANDIDATES, place_limit=SAME_PLACE_SCAN)
    out: dict[int, tuple[float, bool, bool]] = {}
    for ticket_id, row_region, raw, exact in rows:
        same = region_id is not None and row_region == region_id
        similarity = sig.estimated_jaccard(minhash, sig.minhash_from_bytes(raw))
        if exact or similarity >= (MIN_SIMILARITY_SAME_PLACE if same else MIN_SIMILARITY):
            before = out.get(ticket_id, (0.0, False, False))
            out[ticket_id] = (max(similarity, before[0]), same or before[1], exact or before[2])
    best = sorted(out, key=lambda pk: (not out[pk][2], -out[pk][0] - (0.15 if out[pk][1] else 0.0)))
    return {pk: out[pk][:2] for pk in best[:MAX_RANKED]}


def _ranked(user: Any, draft: dict[str, Any], cleaned: str, compared: dict[int, tuple[float, bool]],
            region_id: int | None, now: datetime, limit: int) -> list[MergeCandidate]:
    """The best candidates the user may see (the lookups already kept only open, unmerged tickets)."""
    from jiesu.core.permissions import Perm
    from jiesu.core.scope import scope_of
    from jiesu.tickets.queries import visible_tickets

    if not compared:
        return []
    ordered = list(compared)  # best first
    rows = visible_tickets(user)
    if draft.get("exclude_ticket"):
        rows = rows.exclude(number=draft["exclude_ticket"])
    if not scope_of(user, Perm.TICKET_VIEW).city_wide:  # a unit's staff: keep the best of what they see
        ordered = [pk for pk in ordered if pk in set(rows.filter(pk__in=ordered).values_list("pk", flat=True))]
    tickets = rows.filter(pk__in=ordered[:limit * 3]).select_related("region", "category").only(
        "number", "title", "content", "status", "created_at", "region__name", "region__level", "requester_phone",
        "category__code")
    window = max(timedelta(days=window_days()), timedelta(hours=1))
    context = _Context(cleaned, set(phone_keys_of(draft.get("requester_phone", ""))), draft.get("category", ""),
                       now, window)
    found = [c for c in (_candidate(t, compared[t.pk][1], context) for t in tickets) if c is not None]
    return sorted(found, key=lambda c: (-c.score, c.number))[:limit]


@dataclass(frozen=True)
class _Context:
    cleaned: str
    phones: set[str]
    category: str
    now: datetime
    window: timedelta


def phone_keys_of(phone: str) -> list[str]:
    from jiesu.intelligence.pii import phone_keys

    return phone_keys(phone) if phone else []


def _candidate(ticket: Any, same_place: bool, context: _Context) -> MergeCandidate | None:
    similarity = round(sig.text_similarity(context.cleaned, sig.clean(f"{ticket.title} {ticket.content}")), 2)
    same_caller = bool(context.phones) and bool(context.phones & set(phone_keys_of(ticket.requester_phone)))
    same_category = bool(context.category) and ticket.category_id is not None \
        and ticket.category.code == context.category
    if same_caller and not same_place and similarity < MIN_SIMILARITY_SAME_CALLER and not same_category:
        return None  # the same person about something else
    age = max(context.now - ticket.created_at, timedelta(0))
    freshness = max(0.0, 1 - age / context.window)
    score = round(similarity + SAME_PLACE_BONUS * same_place + SAME_CALLER_BONUS * same_caller
                  + SAME_CATEGORY_BONUS * same_category + 0.05 * freshness, 4)
    region = ticket.region.name if ticket.region_id else ""
    level = ticket.region.level if same_place and ticket.region_id else None
    return MergeCandidate(
        number=ticket.number, title=ticket.title, state=ticket.get_status_display(), created_at=ticket.created_at,
        region=region, score=score, similarity=similarity, same_place=same_place, same_caller=same_caller,
        same_category=same_category, reason=reason_text(similarity, level, age, same_caller, same_category),
    )


_PLACE_WORDS = {1: "同一省", 2: "同一城市", 3: "同一区县", 4: "同一街道乡镇", 5: "同一社区"}


def reason_text(similarity: float, same_level: int | None, age: timedelta, same_caller: bool = False,
                same_category: bool = False) -> str:
    """Why a ticket is proposed, in the operator's words: "同一来电人，内容几乎相同（相似度0.96），同一社区，3小时前"."""
    if similarity >= 0.9:
        what = "内容几乎相同"
    elif similarity >= 0.6:
        what = "内容高度相似"
    else:
        what = "内容相似"
    parts = ["同一来电人"] if same_caller else []
    parts.append(f"{what}（相似度{similarity:.2f}）")
    if same_level is not None:
        parts.append(_PLACE_WORDS.get(same_level, "同一地点"))
    if same_category:
        parts.append("同一分类")
    parts.append(age_text(age))
    return "，".join(parts)


def age_text(age: timedelta) -> str:
    minutes = int(age.total_seconds() // 60)
    if minutes < 1:
        return "刚刚"
    if minutes < 60:
        return f"{minutes}分钟前"
    if minutes < 24 * 60:
        return f"{minutes // 60}小时前"
    return f"{minutes // (24 * 60)}天前"
