"""The inputs each action requires, as schemas shared by the services, the API and the web forms."""

from __future__ import annotations

import enum
import types
import typing
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import PydanticCustomError

from jiesu.catalog.models import Kind, Urgency
from jiesu.core.errors import ValidationFailed
from jiesu.tickets.phones import InvalidPhone, normalise_phone
from jiesu.tickets.states import (
    EmergencyLine,
    RejectReason,
    ReplyReviewDecision,
    Resolution,
    ReturnDecision,
    ReviewDecision,
    Satisfaction,
    VisitOutcome,
)

Text = Field(min_length=1, max_length=4000)
OptionalText = Field(default="", max_length=4000)


class ActionInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class NoInput(ActionInput):
    pass


class AnswerInput(ActionInput):
    answer: str = Text
    article_id: int | None = None


class RejectInput(ActionInput):
    reason: RejectReason
    route: str = Field(min_length=1, max_length=200)
    transferred_to: EmergencyLine | None = None


class HandoverInput(ActionInput):
    note: str = OptionalText


class DispatchInput(ActionInput):
    lead_unit: str = Field(min_length=1, description="主办单位代码")
    assist_units: list[str] = Field(default_factory=list, description="协办单位代码")
    category: str | None = Field(default=None, description="诉求分类代码（工单尚无分类时必填）")
    note: str = OptionalText


class RedispatchInput(ActionInput):
    lead_unit: str = Field(min_length=1)
    assist_units: list[str] = Field(default_factory=list)
    note: str = OptionalText


class AssignmentInput(ActionInput):
    assignment_id: int | None = Field(default=None, description="代表哪条派单记录操作（一人属多个单位时）")


class SignInput(AssignmentInput):
    pass


class RequestReturnInput(AssignmentInput):
    reason: str = Text


class ReviewReturnInput(ActionInput):
    decision: ReturnDecision
    opinion: str = OptionalText
    lead_unit: str | None = Field(default=None, description="同意退单时可直接改派的单位代码")
    assist_units: list[str] = Field(default_factory=list)


class AdjudicateInput(ActionInput):
    responsible_unit: str = Field(min_length=1)
    legal_basis: str = Text
    refusing_units: list[str] = Field(default_factory=list)
    add_to_catalog: bool = False


class RequestExtensionInput(AssignmentInput):
    working_days: int = Field(ge=1, le=60)
    reason: str = Text


class ReviewExtensionInput(ActionInput):
    decision: ReviewDecision
    opinion: str = OptionalText


class ContactInput(AssignmentInput):
    method: str = Field(default="phone", max_length=20)
    note: str = OptionalText


class ReplyInput(AssignmentInput):
    result: str = Text
    basis: str = OptionalText


class ReviewReplyInput(ActionInput):
    decision: ReplyReviewDecision
    opinion: str = OptionalText


class VisitInput(ActionInput):
    outcome: VisitOutcome
    resolution: Resolution | None = None
    satisfaction: Satisfaction | None = None
    note: str = OptionalText


class ReopenInput(ActionInput):
    reason: str = Text


class MergeInput(ActionInput):
    into: str = Field(min_length=1, description="并入的工单编号")
    note: str = OptionalText


class CloseInput(ActionInput):
    note: str = OptionalText


class UrgeInput(ActionInput):
    message: str = Text


class SuperviseInput(ActionInput):
    text: str = Text
    working_days: int = Field(ge=1, le=60)


class LadderStepInput(ActionInput):
    """提示 or 预警: what the unit is asked to do, and in how many working days."""

    text: str = Text
    working_days: int = Field(default=1, ge=1, le=60)


_MESSAGES = {
    "missing": _("此项必填。"),
    "string_too_short": _("此项不能为空。"),
    "int_parsing": _("请输入整数。"),
    "int_type": _("请输入整数。"),
    "greater_than_equal": _("数值过小。"),
    "less_than_equal": _("数值过大。"),
    "extra_forbidden": _("不认识的字段。"),
    "list_type": _("应为列表。"),
    "string_type": _("应为文字。"),
    "bool_parsing": _("应为是或否。"),
    "bool_type": _("应为是或否。"),
    "date_parsing": _("请输入 YYYY-MM-DD 格式的日期。"),
    "phone": _("请输入 11 位手机号或带区号的固定电话，如 0434-3281234。"),
}
CHOICE_ERRORS = {"enum", "literal_error"}
# A choice left empty or missing says what to choose; read only for choice fields (a text field may share a name).
CHOOSE = {
    "kind": _("请选择诉求类型。"), "urgency": _("请选择紧急程度。"), "reason": _("请选择不予受理原因。"),
    "transferred_to": _("请选择转接的热线。"), "decision": _("请选择审核结论。"), "outcome": _("请选择回访结果。"),
    "resolution": _("请选择解决情况。"), "satisfaction": _("请选择满意度。"),
}
INVALID_CHOICE = {"kind": _("诉求类型无效。"), "urgency": _("紧急程度无效。")}


def field_errors_of(exc: PydanticValidationError, schema: type[BaseModel] | None = None) -> dict[str, list[str]]:
    """Each field's messages in the user's language; ``schema`` tells which missing fields are choices."""
    errors: dict[str, list[str]] = {}
    for err in exc.errors():
        name = ".".join(str(p) for p in err["loc"]) or "__all__"
        errors.setdefault(name, []).append(message_for(err, name, schema))
    return errors


def message_for(err: Any, name: str, schema: type[BaseModel] | None = None) -> str:
    """The message for one pydantic error: what to choose, how long text may be, or the type's message."""
    kind = err["type"]
    if kind in CHOICE_ERRORS or (kind == "missing" and _is_choice(schema, name)):
        return _choice_message(name, empty=kind == "missing" or err.get("input") in ("", None))
    limit = (err.get("ctx") or {}).get("max_length")
    if kind == "string_too_long" and isinstance(limit, int):
        return ngettext("内容过长，最多 %(limit)d 字。", "内容过长，最多 %(limit)d 字。", limit) % {"limit": limit}
    return str(_MESSAGES.get(kind, _("输入有误。")))


def _choice_message(name: str, *, empty: bool) -> str:
    if empty:
        return str(CHOOSE.get(name, _("请选择一项。")))
    return str(INVALID_CHOICE.get(name, _("取值无效。")))


def _is_choice(schema: type[BaseModel] | None, name: str) -> bool:
    info = schema.model_fields.get(name) if schema is not None else None
    if info is None:
        return False
    kind = info.annotation
    if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
        kind = next((a for a in typing.get_args(kind) if a is not type(None)), None)
    return isinstance(kind, type) and issubclass(kind, enum.Enum)


def max_lengths(schema: type[ActionInput]) -> dict[str, int]:
    """{field: its maximum length} for the text fields of ``schema``, so a form can stop typing at the limit."""
    return {name: limit for name, info in schema.model_fields.items()
            if (limit := next((m.max_length for m in info.metadata if getattr(m, "max_length", None)), None))}


def parse_input(schema: type[ActionInput], data: dict[str, Any] | None) -> ActionInput:
    try:
        return schema.model_validate(data or {})
    except PydanticValidationError as exc:
        raise ValidationFailed(field_errors=field_errors_of(exc, schema)) from exc


class AcceptInput(ActionInput):
    """A new ticket as the operator (or another system) registers it."""

    title: str = Field(min_length=1, max_length=200, description="诉求标题")
    content: str = Field(min_length=1, max_length=8000, description="诉求内容")
    kind: Kind = Field(description="诉求类型：consultation help complaint report suggestion praise")
    channel: str = Field(default="phone", description="受理渠道代码")
    category: str | None = Field(default=None, description="诉求分类代码")
    region: str | None = Field(default=None, description="行政区划代码")
    address: str = Field(default="", max_length=200)
    urgency: Urgency = Field(default=Urgency.NORMAL, description="normal 或 urgent")
    requester_name: str = Field(default="", max_length=60)
    requester_phone: str = Field(default="", max_length=40,
                                 description="11 位手机号，或固定电话（可带区号、分机）；保存为只含数字的统一写法")
    is_anonymous: bool = False
    is_whistleblower: bool = False

    @field_validator("requester_phone")
    @classmethod
    def _one_spelling_per_number(cls, value: str) -> str:
        """A mobile or landline number, stored one way (jiesu.tickets.phones)."""
        try:
            return normalise_phone(value)
        except InvalidPhone:
            raise PydanticCustomError("phone", "not a mobile or landline number") from None


class CreateTaskInput(ActionInput):
    """A proactive task (主动治理任务) the centre gives a unit, with the citizens' tickets it answers."""

    title: str = Field(min_length=1, max_length=200, description="任务标题")
    content: str = Field(min_length=1, max_length=8000, description="任务要求")
    lead_unit: str = Field(min_length=1, description="承办单位代码")
    due_on: date = Field(description="任务期限（日期，当日下班前）")
    category: str | None = Field(default=None, description="诉求分类代码（缺省：关联工单最多的分类）")
    region: str | None = Field(default=None, description="行政区划代码")
    members: list[str] = Field(default_factory=list, max_length=500, description="关联工单编号")
    hot_issue: int | None = Field(default=None, description="来源热点编号")
    hot_issue_description: str = Field(default="", max_length=300)
