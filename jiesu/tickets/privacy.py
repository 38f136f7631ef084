"""What a handling unit may see of the requester (诉求人): the one rule behind the full view of the requester's
name and phone (查看完整信息), the requester panel and the contact action (联系诉求人).

A unit sees the requester in full only while it needs to: while one of its own current assignments is signed for
and being handled (办理中) — not before it signs, not while its return request is reviewed or adjudicated, not once
it has replied (until the reply is sent back), not after the ticket has left it (return approved, reassigned by a
ruling, passed down to a sub-unit). An anonymous requester or a whistle-blower is never shown to a unit. The
centre's staff are not limited by this rule (`tickets.queries.reveal_refusal` puts the two together).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from jiesu.core.errors import PermissionDeniedError
from jiesu.tickets.models import Assignment, Ticket
from jiesu.tickets.states import AssignmentStatus


class RevealNotAllowed(PermissionDeniedError):
    """The requester's personal data may not be shown to this user now (nothing is logged)."""

    code = "reveal_not_allowed"
    default_message = _("您当前无权查看诉求人的完整信息。")


PROTECTED = _("诉求人匿名或为举报人，身份对承办单位保密。")
NOT_SIGNED = _("本单位签收后才能查看诉求人的完整信息。")
RETURN_PENDING = _("本单位的退单申请正在审核或研判，期间不能查看诉求人的完整信息。")
NOT_HANDLING = _("工单当前不在本单位办理中，不能查看诉求人的完整信息。")

_RETURN_PENDING_STATUSES = {AssignmentStatus.RETURN_REQUESTED, AssignmentStatus.ADJUDICATING}


def is_protected(ticket: Ticket) -> bool:
    """An anonymous requester or a whistle-blower: hidden from every unit, whatever the state."""
    return ticket.is_anonymous or ticket.is_whistleblower


def unit_refusal(ticket: Ticket, own: Iterable[Assignment]) -> RevealNotAllowed | None:
    """Why a unit may not see the requester now, given its own assignments on the ticket; None when it may."""
    if is_protected(ticket):
        return RevealNotAllowed(PROTECTED)
    statuses = {a.status for a in own if a.is_current}
    if AssignmentStatus.SIGNED in statuses:
        return None
    if statuses & _RETURN_PENDING_STATUSES:
        return RevealNotAllowed(RETURN_PENDING)
    if AssignmentStatus.PENDING_SIGN in statuses:
        return RevealNotAllowed(NOT_SIGNED)
    return RevealNotAllowed(NOT_HANDLING)
