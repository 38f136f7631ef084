"""The figures of the centre's proactive tasks (未诉先办), counted apart from the citizens' requests
(`definitions.requests`); how each counts: docs/dev/figures.md, "Proactive tasks".

A task is an item of its unit (the lead unit it was given); its members are counted as requests by the other
figures, each once, and here as how many citizens' tickets the task took on.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from jiesu.evaluation.definitions import LEAD, _first_reply, _when
from jiesu.evaluation.registry import COUNT, RATE, Figure, Part, register, ticket_dims
from jiesu.tickets.models import Assignment, ProactiveTask, TaskMember


def task_assignments() -> QuerySet[Assignment]:
    return Assignment.objects.filter(role=LEAD, ticket_id__in=ProactiveTask.objects.values("ticket_id"))


def _via_ticket() -> dict[str, Any]:
    return ticket_dims("ticket__")


def _first_unit() -> Subquery:
    """The unit the task was first given (its first lead assignment)."""
    leads = Assignment.objects.filter(ticket_id=OuterRef("task__ticket_id"), role=LEAD).order_by("dispatched_at", "id")
    return Subquery(leads.values("unit_id")[:1])


def _first_dispatch() -> Subquery:
    leads = Assignment.objects.filter(ticket_id=OuterRef("task__ticket_id"), role=LEAD).order_by("dispatched_at", "id")
    return Subquery(leads.values("dispatched_at")[:1])


def _figures() -> list[Figure]:
    on_time = Q(reply_overdue_at__isnull=True) | Q(reply_overdue_at__gte=F("first_reply"))
    return [
        Figure("tasks_assigned", _("主动治理任务"), "handling", COUNT,
               (Part(task_assignments, "ticket_id", at="dispatched_at", unit="unit_id", dims=_via_ticket),),
               description=_("中心交给单位的主动治理任务（未诉先办），不计入受理量和派单量"), order=20),
        Figure("task_timely", _("任务按期完成率"), "handling", RATE,
               (Part(task_assignments, "ticket_id", at="first_reply", unit="unit_id", num=_when(on_time),
                     dims=_via_ticket, pre=_first_reply),),
               description=_("任务期限内（含延期）首次答复的任务 / 已答复的任务"), numerator_label=_("按期答复"),
               denominator_label=_("已答复任务"), order=21),
        Figure("task_members", _("任务统一办理诉求"), "handling", COUNT,
               (Part(lambda: TaskMember.objects.filter(answers=True), "task__ticket_id", at=_first_dispatch(),
                     unit=_first_unit(), dims=lambda: ticket_dims("task__ticket__")),),
               description=_("交给任务统一办理、统一答复的市民诉求（各自仍计入受理、办理和回访的各项指标）"),
               order=22),
    ]


for _figure in _figures():
    register(_figure)
