"""The built-in figures of tickets (domain.md, "Figures a hotline reports"); how each counts: docs/dev/figures.md.

Every expression reads only what does not change after the item's moment: write-once fields and marks,
immutable rows, and the event log.

The figures of 接, 派, 办 and 评 count citizens' requests: the centre's proactive tasks (kind ``task``) are left
out of them (their member tickets are counted, each once, as requests) and counted by figures of their own (the
end of this module); a supervision step on a task is still one on its unit (督).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import BigIntegerField, Case, CharField, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from jiesu.catalog.models import PROACTIVE_TASK
from jiesu.core.models import Event
from jiesu.evaluation.registry import COUNT, RATE, Figure, Part, register, ticket_dims, ticket_dims_by_key
from jiesu.tickets.models import (
    Adjudication,
    Assignment,
    ProactiveTask,
    Reply,
    SupervisionOrder,
    Ticket,
    Visit,
)
from jiesu.tickets.states import AssignmentRole, ClosingType, Satisfaction, State, VisitOutcome

FULL = 1000  # numerators are kept in thousandths
RESOLUTION_WEIGHTS: dict[str, float] = getattr(settings, "JIESU_RESOLUTION_WEIGHTS",
                                               {"resolved": 1.0, "partly": 0.0, "unresolved": 0.0})
SATISFACTION_WEIGHTS: dict[str, float] = getattr(settings, "JIESU_SATISFACTION_WEIGHTS",
                                                 {"satisfied": 1.0, "basic": 0.8, "dissatisfied": 0.0})
ENDING_ACTIONS = ("close", "answer", "reject", "merge")
LEAD = AssignmentRole.LEAD


def _when(condition: Q) -> Case:
    return Case(When(condition, then=Value(FULL)), default=Value(0))


def _weighted(field: str, weights: dict[str, float]) -> Case:
    return Case(*[When(**{field: answer}, then=Value(round(w * FULL))) for answer, w in weights.items()],
                default=Value(0))


def _on_ticket() -> dict[str, Any]:
    return ticket_dims("")


def _via_ticket() -> dict[str, Any]:
    return ticket_dims("ticket__")


def requests() -> QuerySet[Ticket]:
    """The citizens' tickets: every ticket but the centre's proactive tasks."""
    return Ticket.objects.exclude(kind=PROACTIVE_TASK)


def request_assignments() -> QuerySet[Assignment]:
    """The assignments of citizens' tickets (the tasks are few: looked up in their own small table)."""
    return Assignment.objects.exclude(ticket_id__in=ProactiveTask.objects.values("ticket_id"))


def _tickets(**filters: Any) -> Part:
    return Part(lambda: requests().filter(**filters), "pk", at="closed_at", dims=_on_ticket)


def _lead_received() -> Part:
    return Part(lambda: request_assignments().filter(role=LEAD), "ticket_id", at="dispatched_at", unit="unit_id",
                dims=_via_ticket)


def _events(action: str, **data: Any) -> QuerySet[Event]:
    return Event.objects.filter(subject_type="ticket", action=action, **{f"data__{k}": v for k, v in data.items()})


def _request_events(action: str, **data: Any) -> QuerySet[Event]:
    tasks = ProactiveTask.objects.annotate(key=Cast("ticket_id", CharField())).values("key")
    return _events(action, **data).exclude(subject_id__in=tasks)


def _event_assignment() -> dict[str, Any]:
    return {"f_assignment": Cast(KeyTextTransform("assignment", "data"), BigIntegerField())}


def _unit_of_event_assignment() -> Subquery:
    return Subquery(Assignment.objects.filter(pk=OuterRef("f_assignment")).values("unit_id")[:1])


def _event_part(action: str, unit: Any = None, **data: Any) -> Part:
    """Items from the event log: one per event, the unit through the assignment the event names."""
    return Part(lambda: _request_events(action, **data), "subject_id", at="occurred_at", key_is_text=True,
                unit=unit if unit is not None else _unit_of_event_assignment(), den=0, num=FULL,
                dims=ticket_dims_by_key, pre=_event_assignment)


def _first_reply() -> dict[str, Any]:
    replies = Reply.objects.filter(assignment=OuterRef("pk")).order_by("created_at", "id").values("created_at")[:1]
    return {"first_reply": Subquery(replies)}


def _replying_lead(moment: str, key: str = "ticket_id", strictly_before: bool = False,
                   created: str | None = None) -> Subquery:
    """The lead unit whose reply was the latest before ``moment`` (the unit a follow-up call judges).
    A lead is dispatched after its ticket was created and before it replies: bounding ``dispatched_at`` by both
    lets PostgreSQL look only in the months' partitions between them (``created``: the ticket's creation)."""
    lookup = "replied_at__lt" if strictly_before else "replied_at__lte"
    leads = Assignment.objects.filter(ticket_id=OuterRef(key), role=LEAD, **{lookup: OuterRef(moment)},
                                      dispatched_at__lte=OuterRef(moment))
    if created:
        leads = leads.filter(dispatched_at__gte=OuterRef(created))
    return Subquery(leads.order_by("-replied_at", "-id").values("unit_id")[:1])


def _lead_at(moment: str) -> Subquery:
    """The lead unit holding the ticket at ``moment``."""
    leads = Assignment.objects.filter(ticket_id=OuterRef("f_key"), role=LEAD, dispatched_at__lte=OuterRef(moment))
    leads = leads.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=OuterRef(moment)))
    return Subquery(leads.order_by("-dispatched_at", "-id").values("unit_id")[:1])


def _reached_visits(num: Any) -> Part:
    return Part(lambda: Visit.objects.filter(outcome=VisitOutcome.REACHED), "ticket_id", at="created_at",
                unit=_replying_lead("created_at", created="ticket__created_at"), num=num, dims=_via_ticket)


def _first_end() -> dict[str, Any]:
    ending = Event.objects.filter(subject_type="ticket", subject_id=Cast(OuterRef("pk"), CharField()),
                                  action__in=ENDING_ACTIONS, occurred_at__gte=OuterRef("created_at"))
    ends = ending.order_by("occurred_at", "id").values("occurred_at")[:1]  # a ticket ends after it was created
    return {"first_end": Subquery(ends)}


def _dispatch_on_time() -> dict[str, Any]:
    on_time = Q(dispatched_at__isnull=False) & (Q(dispatch_overdue_at__isnull=True)
                                                | Q(dispatch_overdue_at__gte=F("dispatched_at")))
    return {"on_time": Case(When(on_time, then=Value(True)), default=Value(False))}


def _sign_on_time() -> dict[str, Any]:
    on_time = Q(signed_at__isnull=False, signed_at__lte=F("sign_due_at"), sign_overdue_at__isnull=True)
    return {"on_time": Case(When(on_time, then=Value(True)), default=Value(False))}


def _sign_moment() -> Case:
    return Case(When(on_time=True, then=F("signed_at")), When(sign_overdue_at__isnull=False, then=F("sign_overdue_at")),
                When(signed_at__isnull=False, then=F("sign_due_at")), default=None)


def _overdue_part(mark: str) -> Part:
    return Part(lambda: request_assignments().filter(**{f"{mark}__isnull": False}), "ticket_id", at=mark,
                unit="unit_id", dims=_via_ticket)


def _order_part(**filters: Any) -> Part:
    return Part(lambda: SupervisionOrder.objects.filter(**filters), "ticket_id", at="issued_at", unit="unit_id",
                dims=_via_ticket)


def _figures() -> list[Figure]:
    contactable = Q(role=LEAD, contact_due_at__isnull=False, ticket__is_anonymous=False,
                    ticket__is_whistleblower=False)
    return [
        # 接
        Figure("accepted", _("受理量"), "intake", COUNT, (Part(requests, "pk", at="created_at",
                                                                dims=_on_ticket),),
               description=_("登记的诉求件数（含直接答复、不予受理和并单）"), unit_level=False, order=1),
        Figure("answered_directly", _("直接答复"), "intake", COUNT,
               (_tickets(closing_type=ClosingType.ANSWERED),), unit_level=False, order=2),
        Figure("rejected", _("不予受理"), "intake", COUNT, (_tickets(status=State.REJECTED),), unit_level=False,
               order=3),
        Figure("merged", _("并单"), "intake", COUNT, (_tickets(status=State.MERGED),), unit_level=False, order=4),
        # 派
        Figure("dispatch_timely", _("派单率"), "dispatch", RATE,
               (Part(lambda: requests().filter(Q(dispatched_at__isnull=False)
                                                   | Q(dispatch_overdue_at__isnull=False)), "pk",
                     at=Case(When(on_time=True, then=F("dispatched_at")), default=F("dispatch_overdue_at")),
                     num=Case(When(on_time=True, then=Value(FULL)), default=Value(0)), dims=_on_ticket,
                     pre=_dispatch_on_time),),
               description=_("派单时限内派出的工单 / 需要派单的工单（首次派单）"),
               numerator_label=_("按时派单"), denominator_label=_("需派单"), unit_level=False, order=1),
        Figure("assigned", _("派单量"), "dispatch", COUNT, (_lead_received(),),
               description=_("单位收到的主办派单"), order=2),
        # 办
        Figure("sign_timely", _("及时签收率"), "handling", RATE,
               (Part(request_assignments, "ticket_id", at=_sign_moment(), unit="unit_id",
                     num=Case(When(on_time=True, then=Value(FULL)), default=Value(0)), dims=_via_ticket,
                     pre=_sign_on_time),),
               description=_("签收时限内签收的派单 / 签收到期的派单"), numerator_label=_("及时签收"),
               denominator_label=_("应签收"), order=1),
        Figure("reply_timely", _("按时办结率"), "handling", RATE,
               (Part(request_assignments, "ticket_id", at="first_reply", unit="unit_id",
                     num=_when(Q(reply_overdue_at__isnull=True) | Q(reply_overdue_at__gte=F("first_reply"))),
                     dims=_via_ticket, pre=_first_reply),),
               description=_("办理时限内（含延期）首次答复的派单 / 已答复的派单"), numerator_label=_("按时答复"),
               denominator_label=_("已答复"), order=2),
        Figure("response_rate", _("响应率"), "handling", RATE,
               (Part(lambda: request_assignments().filter(contactable), "ticket_id", at="first_reply", unit="unit_id",
                     num=_when(Q(contacted_at__isnull=False, contacted_at__lte=F("contact_due_at"))),
                     dims=_via_ticket, pre=_first_reply),),
               description=_("响应时限内联系诉求人的工单 / 已答复的工单（匿名、举报人保密的除外）"),
               numerator_label=_("及时联系"), denominator_label=_("已答复"), order=3),
        Figure("closing_rate", _("办结率"), "handling", RATE,
               (Part(requests, "pk", at="created_at", num=_when(Q(first_end__isnull=False)),
                     num_at="first_end", dims=_on_ticket, pre=_first_end),),
               description=_("期内受理、期末前已办结（含直接答复、不予受理、并单）的工单 / 期内受理的工单"),
               numerator_label=_("已办结"), denominator_label=_("受理"), unit_level=False, order=4),
        Figure("overdue", _("超期件数"), "handling", COUNT,
               (_overdue_part("sign_overdue_at"), _overdue_part("reply_overdue_at")),
               description=_("签收超期与办理超期（按期限所在日计）"), higher_is_better=False, order=5),
        Figure("return_rate", _("退单率"), "handling", RATE,
               (_lead_received(), _event_part("request_return")),
               description=_("申请退单次数 / 收到的主办派单"), numerator_label=_("申请退单"),
               denominator_label=_("主办派单"), higher_is_better=False, order=6),
        Figure("returns_unjustified", _("退单不成立"), "handling", COUNT,
               (Part(lambda: _request_events("review_return", decision="refuse"), "subject_id", at="occurred_at",
                     key_is_text=True, unit=_unit_of_event_assignment(), dims=ticket_dims_by_key,
                     pre=_event_assignment),
                Part(lambda: Adjudication.objects.filter(decided_at__isnull=False,
                                                         decided_unit_id=F("assignment__unit_id")),
                     "ticket_id", at="decided_at", unit="assignment__unit_id", dims=_via_ticket)),
               description=_("中心不同意的退单，及研判定性认定仍由本单位办理的退单"), higher_is_better=False, order=7),
        Figure("adjudication_refused", _("推诿认定"), "handling", COUNT,
               (Part(lambda: Adjudication.refusing_units.through.objects.filter(
                   adjudication__decided_at__isnull=False), "adjudication__ticket_id",
                   at="adjudication__decided_at", unit="unit_id", dims=lambda: ticket_dims("adjudication__ticket__")),),
               description=_("研判定性中被认定推诿的次数"), higher_is_better=False, order=8),
        Figure("extension_rate", _("延期率"), "handling", RATE,
               (_lead_received(), _event_part("review_extension", decision="approve")),
               description=_("批准延期次数 / 收到的主办派单"), numerator_label=_("批准延期"),
               denominator_label=_("主办派单"), higher_is_better=False, order=9),
        Figure("reopen_rate", _("重办率"), "handling", RATE,
               (_reached_visits(0), _event_part("reopen", unit=_replying_lead("occurred_at", "f_key", True))),
               description=_("重办次数 / 接通的回访"), numerator_label=_("重办"), denominator_label=_("接通回访"),
               higher_is_better=False, order=10),
        # 督
        Figure("urged", _("催办"), "supervision", COUNT,
               (Part(lambda: _events("urge"), "subject_id", at="occurred_at", key_is_text=True,
                     unit=_lead_at("occurred_at"), dims=ticket_dims_by_key),),
               higher_is_better=False, order=1),
        Figure("prompted", _("提示"), "supervision", COUNT, (_order_part(level=SupervisionOrder.Level.PROMPT),),
               higher_is_better=False, order=2),
        Figure("warned", _("预警"), "supervision", COUNT, (_order_part(level=SupervisionOrder.Level.WARNING),),
               description=_("督办五步中的预警（不是期限预警）"), higher_is_better=False, order=3),
        Figure("supervised", _("督办"), "supervision", COUNT, (_order_part(level=SupervisionOrder.Level.ORDER),),
               higher_is_better=False, order=4),
        Figure("supervision_overdue", _("督办超期"), "supervision", COUNT,
               (Part(lambda: SupervisionOrder.objects.filter(overdue_at__isnull=False), "ticket_id",
                     at="overdue_at", unit="unit_id", dims=_via_ticket),),
               description=_("提示、预警、督办逾期未办结"), higher_is_better=False, order=5),
        # 评
        Figure("handling_satisfaction", _("办理满意率"), "evaluation", RATE,
               (_reached_visits(_when(Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASIC]))),),
               description=_("（满意 + 基本满意）/ 接通的回访"), numerator_label=_("满意与基本满意"),
               denominator_label=_("接通回访"), order=1),
        Figure("resolution_rate", _("解决率"), "evaluation", RATE,
               (_reached_visits(_weighted("resolution", RESOLUTION_WEIGHTS)),),
               description=_("已解决 / 接通的回访"), numerator_label=_("已解决"), denominator_label=_("接通回访"),
               order=2),
        Figure("satisfaction_rate", _("满意率"), "evaluation", RATE,
               (_reached_visits(_weighted("satisfaction", SATISFACTION_WEIGHTS)),),
               description=_("按答案加权（满意 1、基本满意 0.8、不满意 0）/ 接通的回访"),
               numerator_label=_("加权满意"), denominator_label=_("接通回访"), order=3),
        Figure("praise", _("表扬"), "evaluation", COUNT,
               (Part(lambda: Assignment.objects.filter(role=LEAD, ticket__kind="praise"), "ticket_id",
                     at="dispatched_at", unit="unit_id", dims=_via_ticket),),
               description=_("派给单位的表扬件"), order=4),
    ]


for _figure in _figures():
    register(_figure)
