"""Web forms for the lifecycle actions, built from each action's pydantic input schema (no rules here).

`form_for(action, ...)` describes the fields to render; `data_from_post(action, post)` turns a submitted form back
into the dict `services.perform` validates. Labels are presentation only.
"""

from __future__ import annotations

import enum
import types
import typing
from dataclasses import dataclass, field
from typing import Any

from django.db.models import TextChoices
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiesu.catalog.queries import category_choices
from jiesu.core import clock
from jiesu.org.models import Unit
from jiesu.tickets.inputs import max_lengths
from jiesu.tickets.lifecycle import BY_ACTION
from jiesu.tickets.numbering import example_number
from jiesu.tickets.states import Action

LABELS = {
    "answer": _("答复内容"), "reason": _("理由"), "route": _("告知诉求人的途径"), "transferred_to": _("已转接"),
    "note": _("说明"), "lead_unit": _("主办单位"), "assist_units": _("协办单位"), "category": _("诉求分类"),
    "decision": _("审核结论"), "opinion": _("意见"), "responsible_unit": _("认定的责任单位"), "legal_basis": _("法律依据"),
    "refusing_units": _("推诿单位（将被通报）"), "add_to_catalog": _("将结论写入派单目录"), "working_days": _("工作日数"),
    "method": _("联系方式"), "result": _("办理结果"), "basis": _("答复依据"), "outcome": _("回访结果"),
    "resolution": _("解决情况"), "satisfaction": _("满意度"), "into": _("并入工单编号"), "message": _("催办内容"),
    "text": _("督办要求"),
}
PLACEHOLDERS = {
    "route": _("如：请向人民法院起诉"), "reason": _("写明理由，诉求人和审核人会看到"),
    "result": _("办理经过和结果"), "basis": _("法律法规或政策依据"), "legal_basis": _("如《吉林省城市供热条例》第五条"),
}
UNIT_FIELDS = {"lead_unit", "responsible_unit"}
UNIT_LIST_FIELDS = {"assist_units", "refusing_units"}
HIDDEN_FIELDS = {"assignment_id", "article_id"}
METHODS = [("phone", _("电话")), ("visit", _("上门")), ("sms", _("短信")), ("other", _("其他"))]
SHORT_TEXT = 200
FEW_CHOICES = 4  # up to this many options are shown as buttons to click (one input), not a drop-down


@dataclass
class FormField:
    name: str
    label: str
    widget: str  # select, choice (a few options as buttons), multiselect, textarea, text, number, checkbox, hidden
    required: bool
    choices: list[tuple[str, str]] = field(default_factory=list)
    value: Any = ""
    placeholder: str = ""
    errors: list[str] = field(default_factory=list)
    max_length: int | None = None

    def selected(self, value: str) -> bool:
        if isinstance(self.value, list):
            return value in self.value
        return value == str(self.value)


@dataclass
class ActionForm:
    action: str
    label: str
    fields: list[FormField]
    message: str = ""
    primary: bool = False
    key: str = ""  # the key that opens it on the ticket page
    hint: str = ""

    @property
    def ready(self) -> bool:
        """Every required field has a value: the form can be sent as it stands (e.g. sign, or a dispatch with
        the catalog's proposal), so the page may put the focus on its button."""
        return all(f.value not in ("", None, []) for f in self.fields if f.required and f.widget != "hidden")


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(inner type, optional?) for `X | None`."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0], True
    return annotation, False


def _choices_of(kind: Any) -> list[tuple[str, str]] | None:
    if isinstance(kind, type) and issubclass(kind, TextChoices):
        return [(str(v), str(label)) for v, label in kind.choices]
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return [(str(m.value), str(m.value)) for m in kind]
    return None


def unit_choices() -> list[tuple[str, str]]:
    return [(u.code, u.name) for u in Unit.objects.filter(is_active=True).exclude(kind=Unit.Kind.CENTRE)
            .order_by("path")]


def _widget(name: str, info: Any) -> tuple[str, list[tuple[str, str]]]:
    kind, _ = _unwrap(info.annotation)
    if name in HIDDEN_FIELDS:
        return "hidden", []
    if name in UNIT_FIELDS:
        return "select", unit_choices()
    if name in UNIT_LIST_FIELDS:
        return "multiselect", unit_choices()
    if name == "category":
        return "select", [(code, label) for code, label in category_code_choices()]
    if name == "method":
        return "select", [(value, str(label)) for value, label in METHODS]
    choices = _choices_of(kind)
    if choices is not None:
        return ("choice" if len(choices) <= FEW_CHOICES else "select"), choices
    if kind is bool:
        return "checkbox", []
    if kind is int:
        return "number", []
    max_length = next((m.max_length for m in info.metadata if hasattr(m, "max_length")), None)
    return ("text" if max_length and max_length <= SHORT_TEXT else "textarea"), []


def category_code_choices() -> list[tuple[str, str]]:
    from jiesu.catalog.models import Category

    codes = dict(Category.objects.filter(is_active=True).values_list("pk", "code"))
    return [(codes[pk], label) for pk, label in category_choices()]


def form_for(action: str, *, values: dict[str, Any] | None = None,
             errors: dict[str, list[str]] | None = None, message: str = "") -> ActionForm:
    row = BY_ACTION[Action(action)]
    values, errors = values or {}, errors or {}
    fields, limits = [], max_lengths(row.inputs)
    for name, info in row.inputs.model_fields.items():
        widget, choices = _widget(name, info)
        default = None if info.is_required() else info.get_default(call_default_factory=True)
        fields.append(FormField(
            name=name, label=str(LABELS.get(name, info.description or name)), widget=widget,
            required=info.is_required(), choices=choices,
            value=values.get(name, "" if default is None else default),
            placeholder=placeholder_for(name), errors=[str(e) for e in errors.get(name, [])],
            max_length=limits.get(name)))
    return ActionForm(action=action, label=str(row.action.label), fields=fields, message=message)


def placeholder_for(name: str) -> str:
    if name == "into":
        return merge_placeholder()
    return str(PLACEHOLDERS.get(name, ""))


def merge_placeholder() -> str:
    """An example of today's ticket numbers (SP20261123000001), as the numbering makes them."""
    return gettext("如 %(example)s") % {"example": example_number(clock.now())}


def data_from_post(action: str, post: QueryDict) -> dict[str, Any]:
    """The submitted form as the dict the action's schema validates; empty optional choices become None."""
    row = BY_ACTION[Action(action)]
    data: dict[str, Any] = {}
    for name, info in row.inputs.model_fields.items():
        kind, optional = _unwrap(info.annotation)
        if typing.get_origin(kind) is list:
            data[name] = [v for v in post.getlist(name) if v]
        elif kind is bool:
            data[name] = post.get(name) in {"on", "1", "true"}
        elif name in post:
            value = post.get(name, "").strip()
            if value or not (optional or kind is int) or info.is_required():
                data[name] = value
    return data
