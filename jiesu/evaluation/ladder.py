"""The supervision ladder's candidates (五步工作机制: 提示 → 预警 → 督办 → 约谈 → 问责), each with its reasons.

A ticket is offered the highest ticket step it qualifies for that is not already open on it; a unit the unit
step it qualifies for that it does not already have open. The thresholds are settings (``JIESU_LADDER``) with
the defaults below. Ticked candidates are issued one by one, each through its own service call
(`issue_selected`), so one that changed meanwhile fails alone and the others go through.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiesu.core import clock
from jiesu.core.errors import DomainError, ValidationFailed
from jiesu.core.permissions import Perm
from jiesu.core.scope import require_perm
from jiesu.evaluation import unit_steps
from jiesu.evaluation.models import RankingEntry, UnitStep
from jiesu.evaluation.scoring import BLACK
from jiesu.org.models import Unit
from jiesu.tickets import services
from jiesu.tickets.models import Assignment, SupervisionOrder, Ticket, Visit
from jiesu.tickets.queries import visible_tickets
from jiesu.tickets.states import AssignmentRole, Satisfaction, State

PROMPT, WARN, SUPERVISE = "prompt", "warn", "supervise"
INTERVIEW, ACCOUNTABILITY = UnitStep.Level.INTERVIEW.value, UnitStep.Level.ACCOUNTABILITY.value
TICKET_STEPS = (SUPERVISE, WARN, PROMPT)  # most pressing first
STEP_LABELS = {PROMPT: _("提示"), WARN: _("预警"), SUPERVISE: _("督办"), INTERVIEW: _("约谈"),
               ACCOUNTABILITY: _("问责")}
DEFAULTS = {"returns_for_warning": 2, "returns_for_supervision": 3, "dissatisfied_for_supervision": 2,
            "orders_for_interview": 3, "black_months_for_accountability": 3, "limit": 200}
Level = SupervisionOrder.Level
MAX_WORKING_DAYS = 60  # as the steps' own inputs (tickets.inputs.LadderStepInput, UnitStepInput)
ACTIVE = (State.ASSIGNED, State.IN_PROGRESS)


def threshold(name: str) -> int:
    return int(getattr(settings, "JIESU_LADDER", {}).get(name, DEFAULTS[name]))


@dataclass
class Candidate:
    step: str
    reasons: list[Any] = field(default_factory=list)
    ticket: Ticket | None = None
    unit: Unit | None = None
    ticket_numbers: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.step}:{self.ticket.number if self.ticket else self.unit.code if self.unit else ''}"

    @property
    def label(self) -> Any:
        return STEP_LABELS[self.step]


def _open_order(level: str) -> Exists:
    return Exists(SupervisionOrder.objects.filter(ticket_id=OuterRef("pk"), level=level, closed_at__isnull=True))


def _returns() -> Coalesce:
    """Return requests on the ticket, as a subquery (tickets are partitioned on PostgreSQL: no GROUP BY on them)."""
    asked = (Assignment.objects.filter(ticket_id=OuterRef("pk")).exclude(return_reason="").values("ticket_id")
             .annotate(n=Count("id")).values("n"))
    return Coalesce(Subquery(asked), Value(0), output_field=IntegerField())


def _ticket_rows(user: Any) -> Any:
    lead = Assignment.objects.filter(ticket_id=OuterRef("pk"), role=AssignmentRole.LEAD, is_current=True)
    return visible_tickets(user).filter(status__in=ACTIVE).annotate(
        overdue=Exists(lead.filter(Q(sign_overdue_at__isnull=False) | Q(reply_overdue_at__isnull=False))),
        warning=Exists(lead.filter(Q(sign_warned_at__isnull=False) | Q(reply_warned_at__isnull=False))),
        returns=_returns(),
        open_prompt=_open_order(Level.PROMPT), open_warning=_open_order(Level.WARNING),
        open_order=_open_order(Level.ORDER),
        warned_before=Exists(SupervisionOrder.objects.filter(ticket_id=OuterRef("pk"), level=Level.WARNING)),
    ).select_related("lead_unit").order_by("next_due_at", "pk")


def _ticket_step(t: Any, dissatisfied: int) -> Candidate | None:
    supervise = [r for ok, r in (
        (t.overdue and t.warned_before, _("预警后仍超期")),
        (dissatisfied >= threshold("dissatisfied_for_supervision"), _("回访不满意 %(n)d 次") % {"n": dissatisfied}),
        (t.reopen_count >= 1, _("重办 %(n)d 次") % {"n": t.reopen_count}),
        (t.returns >= threshold("returns_for_supervision"), _("退单 %(n)d 次") % {"n": t.returns})) if ok]
    if supervise and not t.open_order:
        return Candidate(SUPERVISE, supervise, ticket=t)
    warn = [r for ok, r in ((t.overdue, _("已超期")),
                            (t.returns >= threshold("returns_for_warning"), _("退单 %(n)d 次") % {"n": t.returns}))
            if ok]
    if warn and not (t.open_warning or t.open_order):
        return Candidate(WARN, warn, ticket=t)
    if t.warning and not t.overdue and not (t.open_prompt or t.open_warning or t.open_order):
        return Candidate(PROMPT, [_("期限预警中")], ticket=t)
    return None


def ticket_candidates(user: Any) -> list[Candidate]:
    require_perm(user, Perm.SUPERVISION_ISSUE)
    rows = list(_ticket_rows(user)[: threshold("limit") * 5])
    unhappy = dict(Visit.objects.filter(ticket_id__in=[t.pk for t in rows], satisfaction=Satisfaction.DISSATISFIED)
                   .values("ticket_id").annotate(n=Count("id")).values_list("ticket_id", "n"))
    found = [c for t in rows if (c := _ticket_step(t, unhappy.get(t.pk, 0)))]
    return sorted(found, key=lambda c: TICKET_STEPS.index(c.step))[: threshold("limit")]


def _month_start(today: date) -> datetime:
    return timezone.make_aware(datetime(today.year, today.month, 1))


def _black_months(unit_ids: list[int]) -> dict[int, int]:
    """How many of the latest stored rankings in a row put each unit on the black list (one query)."""
    months = list(RankingEntry.objects.values_list("ranking__month", flat=True).distinct()
                  .order_by("-ranking__month")[: threshold("black_months_for_accountability")])
    listed: dict[int, set[date]] = {unit_id: set() for unit_id in unit_ids}
    for unit_id, month in RankingEntry.objects.filter(list=BLACK, unit_id__in=unit_ids, ranking__month__in=months
                                                      ).values_list("unit_id", "ranking__month"):
        listed[unit_id].add(month)
    return {unit_id: next((i for i, m in enumerate(months) if m not in seen), len(months))
            for unit_id, seen in listed.items()}


def _unit_reasons(now: datetime) -> dict[int, dict[str, list[Any]]]:
    reasons: dict[int, dict[str, list[Any]]] = {}
    orders = (SupervisionOrder.objects.filter(level=Level.ORDER, issued_at__gte=_month_start(now.date()))
              .values("unit_id").annotate(n=Count("id")).filter(n__gte=threshold("orders_for_interview")))
    for row in orders:
        reasons.setdefault(row["unit_id"], {}).setdefault(INTERVIEW, []).append(
            _("本月督办 %(n)d 件") % {"n": row["n"]})
    for step in UnitStep.objects.filter(level=INTERVIEW, closed_at__isnull=True, due_at__lt=now):
        reasons.setdefault(step.unit_id, {}).setdefault(ACCOUNTABILITY, []).append(
            _("约谈整改逾期未完成（期限 %(due)s）") % {"due": timezone.localtime(step.due_at).date()})
    latest = RankingEntry.objects.order_by("-ranking__month").values_list("ranking__month", flat=True).first()
    black = [] if latest is None else list(
        RankingEntry.objects.filter(list=BLACK, ranking__month=latest).values_list("unit_id", flat=True))
    for unit_id, run in _black_months(black).items():
        reasons.setdefault(unit_id, {}).setdefault(INTERVIEW, []).append(_("上月列入黑榜"))
        if run >= threshold("black_months_for_accountability"):
            reasons[unit_id].setdefault(ACCOUNTABILITY, []).append(_("连续 %(n)d 个月列入黑榜") % {"n": run})
    return reasons


def unit_candidates(user: Any) -> list[Candidate]:
    require_perm(user, Perm.SUPERVISION_ISSUE)
    reasons = _unit_reasons(clock.now())
    units = Unit.objects.in_bulk(list(reasons))
    open_steps = set(UnitStep.objects.filter(closed_at__isnull=True).values_list("unit_id", "level"))
    supervised = _recent_supervised(list(units))
    found = []
    for unit_id, by_step in reasons.items():
        for step in (ACCOUNTABILITY, INTERVIEW):
            if step in by_step and (unit_id, step) not in open_steps and unit_id in units:
                found.append(Candidate(step, by_step[step], unit=units[unit_id],
                                       ticket_numbers=supervised.get(unit_id, [])))
                break
    return sorted(found, key=lambda c: (c.step != ACCOUNTABILITY, c.unit.code if c.unit else ""))


def _recent_supervised(unit_ids: list[int]) -> dict[int, list[str]]:
    """The tickets a unit step speaks of: each unit's tickets under 督办 this month (at most 50), one query."""
    start = _month_start(clock.now().date())
    orders = (SupervisionOrder.objects.filter(unit_id__in=unit_ids, level=Level.ORDER, issued_at__gte=start)
              .values_list("unit_id", "ticket__number").distinct().order_by("unit_id", "ticket__number"))
    found: dict[int, list[str]] = {}
    for unit_id, number in orders:
        numbers = found.setdefault(unit_id, [])
        if len(numbers) < 50:
            numbers.append(number)
    return found


@dataclass
class Outcome:
    key: str
    ok: bool
    message: Any = ""


def _issue_one(actor: Any, key: str, text: str, working_days: int) -> Outcome:
    step, _sep, target = key.partition(":")
    try:
        if step in TICKET_STEPS:
            ticket = visible_tickets(actor).get(number=target)
            services.perform(actor, ticket, step, {"text": text, "working_days": working_days},
                             version=ticket.version)
        elif step in (INTERVIEW, ACCOUNTABILITY):
            unit = Unit.objects.get(code=target)
            reasons = _unit_reasons(clock.now()).get(unit.pk, {}).get(step)
            if not reasons:
                raise ValidationFailed(_("该单位已不符合此步骤的条件。"))
            unit_steps.issue(actor, {"unit": target, "level": step, "reason": "；".join(str(r) for r in reasons),
                                     "document": text, "tickets": _recent_supervised([unit.pk]).get(unit.pk, []),
                                     "working_days": working_days})
        else:
            raise ValidationFailed()
    except (DomainError, Ticket.DoesNotExist, Unit.DoesNotExist) as exc:
        return Outcome(key, False, getattr(exc, "message", _("找不到该记录，或您无权查看。")))
    return Outcome(key, True)


def issue_selected(actor: Any, keys: list[str], text: str, working_days: int) -> list[Outcome]:
    """Issues each ticked candidate through its own service call; reports each one's outcome."""
    require_perm(actor, Perm.SUPERVISION_ISSUE)
    if not 1 <= working_days <= MAX_WORKING_DAYS:
        raise ValidationFailed(field_errors={"working_days": [str(_("办理期限须为 1–60 个工作日。"))]})
    if not text.strip():
        raise ValidationFailed(field_errors={"text": [str(_("请填写督办要求。"))]})
    if not keys:
        raise ValidationFailed(field_errors={"keys": [str(_("请至少勾选一项。"))]})
    return [_issue_one(actor, key, text.strip(), working_days) for key in dict.fromkeys(keys)]
