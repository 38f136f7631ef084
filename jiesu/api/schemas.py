"""What the ticket API sends back. Inputs are the lifecycle's own schemas (jiesu.tickets.inputs)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    """Only YYYY-MM-DD: pydantic alone would take a number (0 → 1970-01-01) for a date."""
    if isinstance(value, date) or (isinstance(value, str) and ISO_DATE.fullmatch(value)):
        return value
    raise PydanticCustomError("date_parsing", "YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


class Coded(Schema):
    code: str
    name: str


class Labelled(Schema):
    value: str
    label: str


class AssignmentOut(Schema):
    id: int
    unit: Coded
    role: Labelled
    status: Labelled
    dispatched_at: datetime
    sign_due_at: datetime | None
    signed_at: datetime | None
    contacted_at: datetime | None
    reply_due_at: datetime | None
    replied_at: datetime | None
    extension_count: int
    extension_requested_days: int | None
    urge_count: int


class RequesterOut(Schema):
    name: str
    phone: str
    masked: bool
    may_reveal: bool
    anonymous: bool
    whistleblower: bool


class ActionRef(Schema):
    action: str
    label: str


class TicketSummary(Schema):
    number: str
    status: Labelled
    kind: Labelled
    urgency: Labelled
    category: Coded | None
    region: Coded | None
    lead_unit: Coded | None
    title: str
    created_at: datetime
    next_due_at: datetime | None
    working_minutes_left: int | None
    version: int


class TicketOut(TicketSummary):
    content: str
    address: str
    channel: Coded
    query_code: str | None
    merged_into: str | None
    reopen_count: int
    closed_at: datetime | None
    dispatch_due_at: datetime | None
    visit_due_at: datetime | None
    assignments: list[AssignmentOut]
    requester: RequesterOut
    allowed_actions: list[ActionRef]


class TicketPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[TicketSummary]


class EventOut(Schema):
    id: int
    occurred_at: datetime
    action: str
    action_label: str
    actor: str
    actor_unit: str
    role: str
    role_label: str
    before: dict[str, Any]
    after: dict[str, Any]
    reason: str
    data: dict[str, Any]


class QueueOut(Schema):
    name: str
    label: str
    count: int


class ErrorOut(Schema):
    code: str
    message: str
    field_errors: dict[str, list[str]] | None = None
    details: dict[str, Any] | None = None


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """`response=` entries: the JSON error format under each status an operation's own checks answer with.
    The refusals every operation may get (bad characters, auth, oversized or non-JSON bodies) are added to the
    document at one place (jiesu.api.main)."""
    return dict.fromkeys(statuses, ErrorOut)
