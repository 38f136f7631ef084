"""The inputs each action requires, as schemas shared by the services, the API and the web forms."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from jiesu.catalog.models import Kind, Urgency
from jiesu.core.errors import ValidationFailed
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


_MESSAGES = {
    "missing": "此项必填。",
    "string_too_short": "此项不能为空。",
    "string_too_long": "内容过长。",
    "enum": "取值无效。",
    "literal_error": "取值无效。",
    "int_parsing": "请输入整数。",
    "int_type": "请输入整数。",
    "greater_than_equal": "数值过小。",
    "less_than_equal": "数值过大。",
    "extra_forbidden": "不认识的字段。",
    "list_type": "应为列表。",
    "string_type": "应为文字。",
    "bool_parsing": "应为是或否。",
}


_FIELD_MESSAGES = {("kind", "enum"): "诉求类型无效。", ("urgency", "enum"): "紧急程度无效。"}


def field_errors_of(exc: PydanticValidationError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for err in exc.errors():
        name = ".".join(str(p) for p in err["loc"]) or "__all__"
        message = _FIELD_MESSAGES.get((name, err["type"])) or _MESSAGES.get(err["type"], "输入有误。")
        errors.setdefault(name, []).append(message)
    return errors


def parse_input(schema: type[ActionInput], data: dict[str, Any] | None) -> ActionInput:
    try:
        return schema.model_validate(data or {})
    except PydanticValidationError as exc:
        raise ValidationFailed(field_errors=field_errors_of(exc)) from exc


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
    requester_phone: str = Field(default="", max_length=40)
    is_anonymous: bool = False
    is_whistleblower: bool = False
