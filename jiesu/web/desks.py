"""Which queues each role's desk shows, in what order, with a line of guidance. Presentation only:
what a queue holds is decided by `jiesu.tickets.queries` (QUEUES and `queue`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiesu.core.permissions import Role
from jiesu.tickets import queries


@dataclass(frozen=True)
class Desk:
    slug: str
    title: Any
    roles: frozenset[str]
    queues: tuple[str, ...]
    intro: Any
    icon: str = "•"
    supervised_first: bool = False  # rows under an open supervision order (then the urged) come first
    bulk_queue: str = ""  # the queue whose rows can be selected and dispatched at once

    def allows(self, user: Any) -> bool:
        return bool(user.roles() & self.roles)

    def url(self, queue: str | None = None) -> str:
        base = reverse("web:desk", args=[self.slug])
        return f"{base}?queue={queue}" if queue else base


DESKS: dict[str, Desk] = {d.slug: d for d in [
    Desk("dispatch", _("派单台"), frozenset({Role.DISPATCHER, Role.OPERATOR}),
         ("dispatching", "return_review", "extension_review", "adjudicating"),
         _("核对分类后派给承办单位；审核退单和延期申请，单位之间有争议的提请研判定性。"), "⇢",
         bulk_queue="dispatching"),
    Desk("unit", _("承办工作台"), frozenset({Role.HANDLER}),
         ("to_sign", "in_progress", "warning", "overdue", "reopened"),
         _("在签收时限内签收，联系诉求人，办理后写明结果和依据答复；不属本单位职责的申请退单。"), "✎",
         supervised_first=True),
    Desk("supervision", _("督办台"), frozenset({Role.SUPERVISOR}),
         ("overdue", "warning", "reply_review", "supervised", "reopened"),
         _("盯紧超期和预警工单，催办、督办；答复送达诉求人之前审核。"), "⚑"),
    Desk("followup", _("回访"), frozenset({Role.VISITOR}),
         ("visiting", "reopened"),
         _("按时回访诉求人：问题是否解决、是否满意；未解决或不满意的工单发起重办。"), "☎"),
    Desk("adjudication", _("研判定性"), frozenset({Role.ADJUDICATOR}),
         ("adjudicating",),
         _("听取承办单位和中心双方理由，认定责任单位并写明法律依据；结论可写入派单目录。"), "⚖"),
    Desk("overview", _("工单总览"), frozenset({Role.ANALYST}),
         ("open", "overdue", "warning", "supervised", "reopened"),
         _("全市在办工单一览：按单位、类型、状态筛选，查看超期、预警和督办中的工单。"), "▦"),
]}


def desks_for(user: Any) -> list[Desk]:
    return [d for d in DESKS.values() if d.allows(user)]


@dataclass(frozen=True)
class QueueTab:
    name: str
    label: str
    count: int
    url: str
    current: bool


def queue_tabs(desk: Desk, user: Any, current: str) -> list[QueueTab]:
    return [QueueTab(name, queries.queue_label(name), queries.queue(user, name).count(), desk.url(name),
                     name == current) for name in desk.queues]


def desk_for_queue(user: Any, name: str) -> Desk | None:
    """The first desk of this user that shows queue ``name`` (for links from the home page)."""
    return next((d for d in desks_for(user) if name in d.queues), None)
