"""Reading Open311 requests: the filters of ``GET requests`` and each request as Open311 shows it.

Only requests filed through Open311 are listed, and never with the requester's personal data: the description
and the published reply are masked (`intelligence.pii`), names and phones are not part of a request at all.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import CharField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from jiesu.channels.tracking import public_reply, with_published_reply
from jiesu.core import clock
from jiesu.core.models import Event
from jiesu.intelligence.pii import mask_personal_data
from jiesu.open311.models import Open311Request
from jiesu.open311.services import Open311Error
from jiesu.tickets.models import Assignment
from jiesu.tickets.states import OPEN_STATES

MAX_SPAN = timedelta(days=90)
MAX_RESULTS = 1000


def _moment(raw: str, name: str, *, end: bool = False) -> datetime | None:
    raw = (raw or "").strip()[:40]
    if not raw:
        return None
    try:  # a well-formed but impossible date (month 13, hour 25, year 9999 + a day) is bad input too
        parsed = parse_datetime(raw.replace(" ", "+")) if "T" in raw else None
        if parsed is None and (day := parse_date(raw)) is not None:
            parsed = datetime.combine(day + timedelta(days=1) if end else day, time.min)
        if parsed is not None and 1970 <= parsed.year <= 9998:  # beyond, time zones overflow in the database
            return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
    except (ValueError, OverflowError):
        pass
    raise Open311Error(400, [f"{name} is not a W3C datetime"])


def _codes(raw: str) -> list[str]:
    return [c.strip() for c in (raw or "").split(",") if c.strip()][:MAX_RESULTS]


def _by_dates(qs: QuerySet[Open311Request], params: Any) -> QuerySet[Open311Request]:
    start, end = _moment(params.get("start_date", ""), "start_date"), _moment(params.get("end_date", ""),
                                                                              "end_date", end=True)
    end = end or clock.now()
    start = start or end - MAX_SPAN
    if end < start or end - start > MAX_SPAN:
        raise Open311Error(400, ["start_date and end_date must span at most 90 days, start before end"])
    return qs.filter(filed_at__gte=start, filed_at__lte=end)


def _base() -> QuerySet[Open311Request]:
    """The requests with what a response needs, in one query: the published reply and the handling deadline."""
    lead = Assignment.objects.filter(ticket_id=OuterRef("ticket_id"), role="lead", is_current=True).order_by("-id")
    # the last event's moment on the service clock (the ticket's updated_at is the wall clock of its last save)
    last = Event.objects.filter(subject_type="ticket", subject_id=Cast(OuterRef("ticket_id"), CharField())
                                ).order_by("-id")
    qs = Open311Request.objects.select_related("ticket__lead_unit", "ticket__category")
    return with_published_reply(qs, "ticket_id").annotate(reply_due_at=Subquery(lead.values("reply_due_at")[:1]),
                                                           updated=Subquery(last.values("occurred_at")[:1]))


def _page(params: Any) -> tuple[int, int]:
    """``page`` (from 1) and ``page_size`` (1 to MAX_RESULTS, default MAX_RESULTS): a common GeoReport extension."""
    values = []
    for name, default, top in (("page", 1, 10**6), ("page_size", MAX_RESULTS, MAX_RESULTS)):
        raw = (params.get(name) or "").strip()[:10]
        if not raw:
            values.append(default)
        elif raw.isascii() and raw.isdigit() and 1 <= int(raw) <= top:
            values.append(int(raw))
        else:
            raise Open311Error(400, [f"{name} must be a whole number from 1 to {top}"])
    return values[0], values[1]


def find_requests(params: Any) -> list[Open311Request]:
    """The requests matching ``params``, newest filed first (ties by id), one page of them."""
    page, size = _page(params)
    qs = _base().order_by("-filed_at", "-id")
    if ids := _codes(params.get("service_request_id", "")):
        return list(qs.filter(ticket__number__in=[i.upper() for i in ids]))  # overrides the other filters
    qs = _by_dates(qs, params)
    if codes := _codes(params.get("service_code", "")):
        qs = qs.filter(service_code__in=codes)
    status = (params.get("status") or "").strip()
    if status not in ("", "open", "closed"):
        raise Open311Error(400, ["status must be open or closed"])
    if status:
        qs = qs.filter(ticket__status__in=OPEN_STATES) if status == "open" else qs.exclude(
            ticket__status__in=OPEN_STATES)
    return list(qs[(page - 1) * size:page * size])


def _iso(moment: datetime | None) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def as_open311(row: Any) -> dict[str, Any]:
    """One request as Open311 shows it; ``row`` comes from `find_requests` (its annotations are read here)."""
    t = row.ticket
    reply, _at = public_reply(t, row.reply_result, row.reply_created_at)
    return {
        "service_request_id": t.number, "status": "open" if t.status in OPEN_STATES else "closed",
        "status_notes": reply, "service_name": t.category.name if t.category else "",
        "service_code": row.service_code, "description": mask_personal_data(t.content),
        "agency_responsible": t.lead_unit.name if t.lead_unit else "", "service_notice": "",
        "requested_datetime": _iso(t.created_at), "updated_datetime": _iso(row.updated or t.created_at),
        "expected_datetime": _iso(row.reply_due_at or t.dispatch_due_at), "address": row.address_string, "address_id": "",
        "zipcode": "", "lat": str(row.lat) if row.lat is not None else "",
        "long": str(row.long) if row.long is not None else "", "media_url": row.media_url,
    }
