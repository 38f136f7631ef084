"""The role desks: a row of queue tabs with live counts and one filterable, sortable, paged ticket list.

Which tickets a queue holds and who may see them comes from `jiesu.tickets.queries`; this module only reads
the request's filter, orders and pages the rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from jiesu.catalog.models import TICKET_KINDS
from jiesu.tickets import bulk, marks, queries
from jiesu.tickets.models import Ticket
from jiesu.tickets.states import State
from jiesu.web.desks import DESKS, Desk, queue_tabs
from jiesu.web.sessions import passive

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 20
SORTS: dict[str, tuple[StrOrPromise, list[Any]]] = {
    "due": (_("剩余时间最少"), [F("next_due_at").asc(nulls_last=True), "-created_at"]),
    "newest": (_("最新受理"), ["-created_at", "-id"]),
    "oldest": (_("最早受理"), ["created_at", "id"]),
    "urgency": (_("紧急优先"), ["-urgency", F("next_due_at").asc(nulls_last=True)]),
}
FILTER_KEYS = ("q", "status", "unit", "kind", "sort")


def _desk(user: Any, slug: str) -> Desk:
    desk = DESKS.get(slug)
    if desk is None or not desk.allows(user):
        raise Http404("没有这个工作台，或您无权打开。")
    return desk


def _queue_name(desk: Desk, request: HttpRequest) -> str:
    name = request.GET.get("queue", "")
    return name if name in desk.queues else desk.queues[0]


def _filter_of(request: HttpRequest) -> queries.TicketFilter:
    g = request.GET
    status = g.get("status", "")
    return queries.TicketFilter(
        status=[status] if status in State.values else None, unit=g.get("unit") or None,
        kind=g.get("kind") if g.get("kind") in dict(TICKET_KINDS) else None, q=(g.get("q") or "").strip() or None)


def queue_rows(user: Any, name: str, request: HttpRequest, desk: Desk | None = None) -> QuerySet[Ticket]:
    rows = queries.queue(user, name) & queries.filter_tickets(user, _filter_of(request))
    sort = SORTS.get(request.GET.get("sort", ""), SORTS["due"])[1]
    if desk is not None and desk.supervised_first:
        rows, sort = marks.supervised_first(rows), [*marks.SUPERVISED_FIRST, *sort]
    return rows.select_related("category", "region", "lead_unit").order_by(*sort)


def _list_context(desk: Desk, user: Any, request: HttpRequest) -> dict[str, Any]:
    name = _queue_name(desk, request)
    page = Paginator(queue_rows(user, name, request, desk), PAGE_SIZE).get_page(request.GET.get("page"))
    kept = {k: request.GET[k] for k in FILTER_KEYS if request.GET.get(k)}
    found = marks.marks_for(page.object_list)
    selectable = desk.bulk_queue == name
    proposals = bulk.suggestions_for(page.object_list) if selectable else {}
    return {
        "desk": desk, "queue": name, "queue_label": queries.queue_label(name), "page": page,
        "rows": [(t, found.get(t.pk, []), proposals.get(t.pk)) for t in page.object_list],
        "selectable": selectable,
        "filters": kept, "filtered": any(k in kept for k in ("q", "status", "unit", "kind")),
        "page_query": urlencode({"queue": name, **kept}),
        "status_choices": State.choices, "kind_choices": TICKET_KINDS, "unit_choices": queries.filter_units(user),
        "sorts": [(key, label) for key, (label, _order) in SORTS.items()], "sort": request.GET.get("sort") or "due",
    }


@login_required
def desk(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    d = _desk(user, slug)
    context = _list_context(d, user, request)
    if request.headers.get("HX-Request") and request.GET.get("part") == "list":
        return render(request, "web/tickets/_queue_list.html", context)
    context["tabs"] = queue_tabs(d, user, context["queue"])
    context["stamp"] = queries.desk_stamp(user)
    return render(request, "web/tickets/desk.html", context)


@passive
@login_required
def desk_counts(request: HttpRequest, slug: str) -> HttpResponse:
    """The queue tabs alone, polled by the desk page so the counts stay live. The page sends the stamp it has;
    while nothing it shows has changed the answer is an empty 204 (one aggregate query), so hundreds of open
    desks cost little (docs/benchmarks.md)."""
    d = _desk(request.user, slug)
    stamp = queries.desk_stamp(request.user)
    if request.GET.get("stamp") == stamp:
        return HttpResponse(status=204)
    tabs = queue_tabs(d, request.user, _queue_name(d, request))
    return render(request, "web/tickets/_queue_tabs.html", {"desk": d, "tabs": tabs, "stamp": stamp})


@login_required
@require_POST
def desk_bulk_dispatch(request: HttpRequest, slug: str) -> HttpResponse:
    """Dispatches the selected tickets each to its catalog proposal (`tickets.bulk`), one transaction and one
    event per ticket; answers with what happened to each, and the refreshed list."""
    d = _desk(request.user, slug)
    if not d.bulk_queue:
        raise Http404()
    outcomes = bulk.dispatch_as_suggested(request.user, request.POST.getlist("numbers"))
    if not request.headers.get("HX-Request"):
        return redirect(d.url(d.bulk_queue))
    context = _list_context(d, request.user, request)
    return render(request, "web/tickets/_bulk_result.html", {**context, "outcomes": outcomes,
                                                              "tabs": queue_tabs(d, request.user, context["queue"])})
