"""The citizen's own rating of a reply (网上评价), which counts as the follow-up (回访) when the centre allows it.

The rating is the loop's `visit` action, performed by a system account of the centre holding the follow-up
role ("市民自助评价（系统）"), so the figures count it like a follow-up call and the history says who rated. A
dissatisfied or unresolved rating re-opens the ticket for 重办 (the loop's `reopen`, by the same account, in the
same transaction) unless the centre turns that off (``JIESU_REOPEN_ON_DISSATISFIED``). A ticket is rated once
per reply: after a rating it is no longer waiting for its follow-up.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import Field

from jiesu.channels.tracking import WEB_RATING_PREFIX, may_rate
from jiesu.core.errors import ActionNotAllowed
from jiesu.core.permissions import Role
from jiesu.intelligence.pii import mask_personal_data
from jiesu.org.services import system_account
from jiesu.tickets import services
from jiesu.tickets.inputs import ActionInput, parse_input
from jiesu.tickets.models import Ticket
from jiesu.tickets.states import Resolution, Satisfaction

RATER_USERNAME = "citizen-self-rating"
RATER_NAME = "市民自助评价（系统）"
NOTE_PREFIX = WEB_RATING_PREFIX


class RatingInput(ActionInput):
    satisfaction: Satisfaction
    resolution: Resolution
    comment: str = Field(default="", max_length=500)


def reopens(data: RatingInput) -> bool:
    unhappy = data.satisfaction == Satisfaction.DISSATISFIED or data.resolution == Resolution.UNRESOLVED
    return unhappy and bool(getattr(settings, "JIESU_REOPEN_ON_DISSATISFIED", True))


def rate(ticket: Ticket, raw: dict[str, Any]) -> tuple[Ticket, bool]:
    """Records the rating as the follow-up; re-opens the ticket when the citizen is not satisfied.
    Returns the ticket and whether it was re-opened."""
    data = parse_input(RatingInput, raw)
    assert isinstance(data, RatingInput)
    if not may_rate(ticket):
        raise ActionNotAllowed(_("这件诉求现在不能评价：答复公布后、回访前可以评价一次。"))
    rater = system_account(RATER_USERNAME, RATER_NAME, Role.VISITOR)
    if rater is None:
        raise ActionNotAllowed(_("热线中心尚未设置，暂不能评价。"))
    comment = mask_personal_data(data.comment.strip())  # the units read it; a phone number stays out
    with transaction.atomic():
        ticket = services.perform(rater, ticket, "visit", {
            "outcome": "reached", "resolution": data.resolution, "satisfaction": data.satisfaction,
            "note": f"{NOTE_PREFIX}{comment}"}, version=ticket.version)
        reopened = reopens(data)
        if reopened:
            ticket = services.perform(rater, ticket, "reopen", {
                "reason": _("市民网上评价不满意：%(comment)s") % {"comment": comment or _("（未填写意见）")}},
                version=ticket.version)
    return ticket, reopened
