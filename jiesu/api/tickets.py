"""The ticket lifecycle over HTTP: create, list, read, events, queues, and every action of the table."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Header, Query, Router, Status

from jiesu.api import bodies, examples, present
from jiesu.api.auth import AUTH, actor_of
from jiesu.api.schemas import ErrorOut, EventOut, IsoDate, QueueOut, TicketOut, TicketPage
from jiesu.core.errors import NotFound, ValidationFailed
from jiesu.core.replica import analytics_reads
from jiesu.tickets import queries, services
from jiesu.tickets.inputs import AcceptInput
from jiesu.tickets.lifecycle import TABLE, Transition, transition_for
from jiesu.tickets.models import Ticket

router = Router(auth=AUTH, tags=["工单 tickets"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
MAX_PAGE_SIZE = 200
MAX_PAGE = 1_000_000  # its rows' offset must fit the database's 64-bit integers
MAX_KEY_LENGTH = 64


class UnknownAction(NotFound):
    code = "unknown_action"


def _idempotency_key(raw: str | None) -> str | None:
    key = (raw or "").strip()
    if len(key) > MAX_KEY_LENGTH:
        raise ValidationFailed(field_errors={"Idempotency-Key": [f"不超过 {MAX_KEY_LENGTH} 个字符。"]})
    return key or None


@router.post("/tickets", response={200: TicketOut, 201: TicketOut, **ERRORS}, summary="受理工单",
             openapi_extra=bodies.body_doc(AcceptInput, example=examples.ACCEPT),
             description="同一 Idempotency-Key 重试不会重复建单：首次创建返回 201，重试返回 200 与同一工单；"
                         "同一键带着内容不同的诉求返回 409 idempotency_key_reused。")
def create_ticket(request: HttpRequest, idempotency_key: str | None = Header(None, alias="Idempotency-Key")
                  ) -> Status[dict[str, Any]]:
    user = actor_of(request)
    key = _idempotency_key(idempotency_key)
    data = bodies.read_json(request)
    bodies.check_types(AcceptInput, data)
    ticket, created = services.accept_once(user, data, idempotency_key=key)
    return Status(201 if created else 200, present.detail(user, ticket))


def _day_start(day: date | None, *, plus_days: int = 0) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day + timedelta(days=plus_days), time.min))


@router.get("/tickets", response={200: TicketPage, **ERRORS}, summary="工单列表（按可见范围）")
def list_tickets(request: HttpRequest, status: str | None = None, unit: str | None = None,
                 kind: str | None = None, category: str | None = None, overdue: bool | None = None,
                 created_from: IsoDate | None = None, created_to: IsoDate | None = None, q: str | None = None,
                 page: int = Query(1, ge=1, le=MAX_PAGE), page_size: int = Query(50, ge=1, le=MAX_PAGE_SIZE)
                 ) -> dict[str, Any]:
    f = queries.TicketFilter(
        status=[s.strip() for s in status.split(",") if s.strip()] if status else None, unit=unit, kind=kind,
        category=category, overdue=overdue, created_from=_day_start(created_from),
        created_to=_day_start(created_to, plus_days=1), q=(q or "").strip() or None,
    )
    with analytics_reads():  # a search: may read from the replica (jiesu.core.replica)
        qs = queries.filter_tickets(actor_of(request), f).select_related(
            "category__parent__parent", "region", "lead_unit").order_by("-created_at", "-id")
        start = (page - 1) * page_size
        rows = list(qs[start:start + page_size])
        return {"count": qs.count(), "page": page, "page_size": page_size,
                "results": [present.summary(t) for t in rows]}


@router.get("/tickets/{number}", response={200: TicketOut, **ERRORS}, summary="工单详情",
            description="承办人看到的诉求人信息默认脱敏；需要联系诉求人时加 `?reveal=1` 查看全文（记录查看日志）。"
                        "举报人、匿名诉求人的身份对承办单位始终不显示。")
def get_ticket(request: HttpRequest, number: str, reveal: bool = False) -> dict[str, Any]:
    user = actor_of(request)
    return present.detail(user, queries.get_ticket(user, number), reveal=reveal)


@router.get("/tickets/{number}/events", response={200: list[EventOut], **ERRORS}, summary="工单流转记录")
def ticket_events(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    ticket = queries.get_ticket(actor_of(request), number)
    return [present.event(e) for e in queries.ticket_events(ticket)]


@router.get("/queues", response={200: list[QueueOut], **ERRORS}, summary="工作台队列计数")
def queue_counts(request: HttpRequest) -> list[dict[str, Any]]:
    user = actor_of(request)
    named = [(name, label) for name, (label, _) in queries.QUEUES.items()]
    named += [("warning", "预警"), ("overdue", "超期")]
    return [{"name": name, "label": label, "count": queries.queue(user, name).count()} for name, label in named]


def perform_action(request: HttpRequest, number: str, action: str) -> dict[str, Any]:
    """The one code path of every action: scope (404), body and version, then the lifecycle service."""
    user = actor_of(request)
    queries.require_visible(user, number)
    data = bodies.read_json(request)
    version = bodies.pop_version(data)
    bodies.check_types(transition_for(action).inputs, data)
    done: Ticket = services.perform(user, number, action, data, version=version)
    return present.detail(user, done)


def _register(row: Transition) -> None:
    name = row.action.value

    def run(request: HttpRequest, number: str) -> dict[str, Any]:
        return perform_action(request, number, name)

    run.__name__ = f"action_{name}"
    doc = f"可执行状态：{'、'.join(sorted(str(s.label) for s in row.from_states))}；角色：" \
          f"{'、'.join(sorted(str(r.label) for r in row.roles))}。{row.requires!s}"
    router.post(f"/tickets/{{number}}/actions/{name}", response={200: TicketOut, **ERRORS},
                summary=f"{row.action.label}（{name}）", description=doc, operation_id=f"ticket_{name}",
                openapi_extra=bodies.body_doc(row.inputs, with_version=True,
                                              example=examples.ACTIONS.get(name)))(run)


for _row in TABLE:
    _register(_row)


@router.post("/tickets/{number}/actions/{action}", response={404: ErrorOut}, include_in_schema=False)
def unknown_action(request: HttpRequest, number: str, action: str) -> None:
    raise UnknownAction(f"没有名为“{action}”的操作。")
