"""The lifecycle as one table: for each action, the states it starts from, the roles allowed,
the states it may lead to, the inputs it requires, and whose act it is.

`services.transition` enforces this table; nothing else decides whether an action is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from jiesu.core.permissions import Role
from jiesu.tickets import inputs as i
from jiesu.tickets.states import Action
from jiesu.tickets.states import State as S

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Actor(StrEnum):
    """Whose act it is: the centre's (a role held city-wide) or a unit's (a role in the unit assigned)."""

    CENTRE = "centre"
    LEAD_UNIT = "lead_unit"
    ANY_ASSIGNED_UNIT = "any_assigned_unit"


SAME = "same"  # the action leaves the state as it is


@dataclass(frozen=True)
class Transition:
    action: Action
    from_states: frozenset[S]
    roles: frozenset[Role]
    next_states: tuple[str, ...]
    inputs: type[i.ActionInput]
    actor: Actor
    requires: StrOrPromise = ""  # a further condition, in words (lazy: read it with str()); checked by the guard
    requires_in: frozenset[S] | None = None  # the states the condition applies in (None: all of from_states)

    def condition_in(self, state: str) -> StrOrPromise:
        """The further condition as it applies to a ticket in ``state`` ("" when none does)."""
        return self.requires if self.requires_in is None or state in self.requires_in else ""

    def leads_to(self, before: str, after: str) -> bool:
        return after in self.next_states or (SAME in self.next_states and after == before)


def _t(action, from_states, roles, next_states, inputs, actor=Actor.CENTRE, requires="", requires_in=None):  # type: ignore[no-untyped-def]
    return Transition(action, frozenset(from_states), frozenset(roles), tuple(next_states), inputs, actor, requires,
                      frozenset(requires_in) if requires_in is not None else None)


OPERATORS = {Role.OPERATOR, Role.DISPATCHER}
CENTRE_REVIEW = {Role.DISPATCHER, Role.SUPERVISOR}
UNIT_WORK = {S.ASSIGNED, S.IN_PROGRESS, S.RETURN_REVIEW, S.ADJUDICATING, S.REPLIED}

TABLE: tuple[Transition, ...] = (
    _t(Action.ANSWER, {S.RECEIVED}, OPERATORS, {S.CLOSED}, i.AnswerInput, requires=_("诉求类型为咨询")),
    _t(Action.REJECT, {S.RECEIVED, S.DISPATCHING}, OPERATORS, {S.REJECTED}, i.RejectInput,
       requires=_("紧急警情须注明转接的 110/119/120/122")),
    _t(Action.HANDOVER, {S.RECEIVED}, {Role.OPERATOR}, {S.DISPATCHING}, i.HandoverInput),
    _t(Action.DISPATCH, {S.RECEIVED, S.DISPATCHING}, OPERATORS, {S.ASSIGNED}, i.DispatchInput,
       requires=_("工单有诉求分类；单位有效且互不相同")),
    _t(Action.MERGE, {S.RECEIVED, S.DISPATCHING}, OPERATORS, {S.MERGED}, i.MergeInput,
       requires=_("目标工单在办且不是本工单")),
    _t(Action.REDISPATCH, {S.ASSIGNED, S.IN_PROGRESS}, {Role.HANDLER}, {S.ASSIGNED}, i.RedispatchInput,
       Actor.LEAD_UNIT, requires=_("下派给本单位的下级单位")),
    _t(Action.SIGN, UNIT_WORK, {Role.HANDLER}, {S.IN_PROGRESS, SAME}, i.SignInput, Actor.ANY_ASSIGNED_UNIT,
       requires=_("本单位有待签收的派单")),
    _t(Action.REQUEST_RETURN, {S.ASSIGNED, S.IN_PROGRESS}, {Role.HANDLER}, {S.RETURN_REVIEW},
       i.RequestReturnInput, Actor.LEAD_UNIT),
    _t(Action.REVIEW_RETURN, {S.RETURN_REVIEW}, CENTRE_REVIEW, {S.DISPATCHING, S.ASSIGNED, S.IN_PROGRESS,
       S.ADJUDICATING}, i.ReviewReturnInput),
    _t(Action.ADJUDICATE, {S.ADJUDICATING}, {Role.ADJUDICATOR}, {S.ASSIGNED, S.IN_PROGRESS}, i.AdjudicateInput),
    _t(Action.REQUEST_EXTENSION, {S.IN_PROGRESS}, {Role.HANDLER}, {SAME}, i.RequestExtensionInput,
       Actor.LEAD_UNIT, requires=_("每条派单只可申请一次；天数不超过原办理时限")),
    _t(Action.REVIEW_EXTENSION, {S.IN_PROGRESS}, CENTRE_REVIEW, {SAME}, i.ReviewExtensionInput,
       requires=_("有待审批的延期申请")),
    _t(Action.CONTACT, {S.IN_PROGRESS}, {Role.HANDLER}, {SAME}, i.ContactInput, Actor.ANY_ASSIGNED_UNIT,
       requires=_("本单位已签收；诉求人未匿名、不是举报人")),
    _t(Action.REPLY, {S.IN_PROGRESS}, {Role.HANDLER}, {S.REPLIED, SAME}, i.ReplyInput, Actor.ANY_ASSIGNED_UNIT,
       requires=_("本单位已签收且无待审批的延期；协办单位答复主办单位")),
    # a proactive task has no requester to call back: approved, it is closed (its members are visited)
    _t(Action.REVIEW_REPLY, {S.REPLIED}, {Role.SUPERVISOR, Role.DISPATCHER}, {S.VISITING, S.IN_PROGRESS, S.CLOSED},
       i.ReviewReplyInput),
    _t(Action.VISIT, {S.VISITING}, {Role.VISITOR}, {S.VISITED, S.VISITING}, i.VisitInput,
       requires=_("接通时须填写解决情况与满意度")),
    _t(Action.REOPEN, {S.VISITED, S.CLOSED}, {Role.VISITOR, Role.SUPERVISOR}, {S.ASSIGNED}, i.ReopenInput,
       requires=_("经办理的工单；主办单位仍有效")),
    _t(Action.CLOSE, {S.VISITED, S.VISITING}, {Role.VISITOR, Role.SUPERVISOR}, {S.CLOSED}, i.CloseInput,
       requires=_("待回访的工单须至少有一次未接通的回访"), requires_in={S.VISITING}),
    _t(Action.URGE, {S.ASSIGNED, S.IN_PROGRESS}, {Role.SUPERVISOR}, {SAME}, i.UrgeInput),
    _t(Action.SUPERVISE, {S.ASSIGNED, S.IN_PROGRESS}, {Role.SUPERVISOR}, {SAME}, i.SuperviseInput),
    _t(Action.PROMPT, {S.ASSIGNED, S.IN_PROGRESS}, {Role.SUPERVISOR}, {SAME}, i.LadderStepInput),
    _t(Action.WARN, {S.ASSIGNED, S.IN_PROGRESS}, {Role.SUPERVISOR}, {SAME}, i.LadderStepInput),
)

BY_ACTION: dict[Action, Transition] = {t.action: t for t in TABLE}


def transition_for(action: str) -> Transition:
    return BY_ACTION[Action(action)]
