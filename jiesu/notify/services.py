"""Writing messages into the outbox, and the requester's and staff's acts on it (opt out, retry).

Messages are written inside the caller's transaction (usually the event's, through `subscriber.on_event`) and
handed to delivery only once it commits: a rolled-back change sends nothing, a committed one loses nothing
(`delivery.deliver_due` picks up whatever a crash kept from being scheduled).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from jiesu.core import clock
from jiesu.core.events import record_event
from jiesu.core.masking import mask_phone
from jiesu.notify import templates
from jiesu.notify.models import Audience, Channel, OutboxMessage, Status, TicketPreference, UnitContact
from jiesu.notify.policy import quiet_until
from jiesu.tickets.phones import MOBILE

OUTBOX_SUBJECT = "outbox"
OPTED_OUT = "诉求人已退订本工单通知"


def mask_email(address: str) -> str:
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def mask_recipient(channel: str, address: str) -> str:
    return mask_email(address) if channel == Channel.EMAIL else mask_phone(address)


def is_mobile(phone: str) -> bool:
    return bool(MOBILE.fullmatch(phone or ""))


def _key(*parts: Any) -> str:
    raw = ":".join(str(p) for p in parts)
    return raw if len(raw) <= 200 else hashlib.sha256(raw.encode()).hexdigest()


def queue_message(*, template_key: str, channel: str, recipient: str, params: dict[str, Any], dedupe: str,
                  event: Any = None, ticket_id: int | None = None, unit: Any = None,
                  cancel_reason: str = "", expires_at: datetime | None = None) -> OutboxMessage:
    """One outbox row (or the existing one with the same ``dedupe`` key: idempotent per event and recipient)."""
    template = templates.get(template_key)
    dedupe_key = _key(dedupe, template_key, channel, hashlib.sha256(recipient.encode()).hexdigest()[:16])
    existing = OutboxMessage.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    rendered = templates.render(template, channel, params)
    now = clock.now()
    citizen_sms = channel == Channel.SMS and template.audience == Audience.REQUESTER
    later = None if template.bypass_quiet_hours or not citizen_sms else quiet_until(now)
    message = OutboxMessage.objects.create(
        created_at=now, event=event, ticket_id=ticket_id, unit=unit, audience=template.audience, channel=channel,
        template=template_key, recipient=recipient, recipient_masked=mask_recipient(channel, recipient),
        subject=rendered.subject, body=rendered.body, preview=rendered.preview, params=dict(params),
        has_secret=rendered.has_secret, bypass_quiet_hours=template.bypass_quiet_hours, dedupe_key=dedupe_key,
        status=Status.CANCELLED if cancel_reason else Status.PENDING, cancel_reason=cancel_reason,
        next_attempt_at=None if cancel_reason else (later or now), expires_at=expires_at,
    )
    if rendered.provider_template_code:
        message.params = {**message.params, "_template_code": rendered.provider_template_code}
        message.save(update_fields=["params"])
    if not cancel_reason:
        _schedule_after_commit(message.pk, later)
    return message


def _schedule_after_commit(pk: int, at: datetime | None) -> None:
    from jiesu.notify.delivery import schedule

    transaction.on_commit(lambda: schedule(pk, at))


def preference(ticket_id: int) -> TicketPreference | None:
    return TicketPreference.objects.filter(ticket_id=ticket_id).first()


def notify_requester(ticket: Any, template_key: str, params: dict[str, Any], *, event: Any = None,
                     dedupe: str | None = None) -> list[OutboxMessage]:
    """The requester's SMS (to a mobile) and e-mail (when given online); written as not sent when they opted out.
    ``dedupe`` (default: the event) names what makes the message unique, so it is never written twice."""
    pref = preference(ticket.pk)
    reason = OPTED_OUT if pref and pref.opted_out_at else ""
    dedupe = dedupe or (f"event:{event.pk}" if event is not None else f"ticket:{ticket.pk}:{template_key}")
    recipients = []
    if is_mobile(ticket.requester_phone):
        recipients.append((Channel.SMS, ticket.requester_phone))
    if pref and pref.email:
        recipients.append((Channel.EMAIL, pref.email))
    return [queue_message(template_key=template_key, channel=channel, recipient=address, params=params,
                          dedupe=dedupe, event=event, ticket_id=ticket.pk, cancel_reason=reason)
            for channel, address in recipients]


def unit_contacts(unit: Any, *, warnings: bool) -> list[UnitContact]:
    wanted = Q(warnings=True) if warnings else Q(new_tickets=True)
    return list(UnitContact.objects.filter(wanted, unit=unit, is_active=True).order_by("id"))


def notify_unit(unit: Any, template_key: str, params: dict[str, Any], *, dedupe: str, event: Any = None,
                ticket_id: int | None = None, warnings: bool = True) -> list[OutboxMessage]:
    """A message to each of the unit's contacts who receive this kind (new tickets, or warnings): SMS to their
    mobile, e-mail to their address. The API for packages above notify (early warnings, supervision notices)."""
    messages = []
    for contact in unit_contacts(unit, warnings=warnings):
        for channel, address in ((Channel.SMS, contact.mobile), (Channel.EMAIL, contact.email)):
            if address:
                messages.append(queue_message(
                    template_key=template_key, channel=channel, recipient=address, params=params,
                    dedupe=f"{dedupe}:c{contact.pk}", event=event, ticket_id=ticket_id, unit=unit))
    return messages


def send_one_time_code(mobile: str, code: str, *, reference: str, minutes: int) -> OutboxMessage:
    """The SMS with a one-time code: goes at any hour, and is dropped once the code has expired."""
    return queue_message(template_key="one_time_code", channel=Channel.SMS, recipient=mobile,
                         params={"code": code, "minutes": minutes}, dedupe=f"code:{reference}",
                         expires_at=clock.now() + timedelta(minutes=minutes))


def opt_out(ticket: Any, *, reason: str = "") -> TicketPreference:
    """The requester stops this ticket's messages (退订); pending ones are not sent. One event."""
    with transaction.atomic():
        pref, _ = TicketPreference.objects.select_for_update().get_or_create(ticket_id=ticket.pk)
        if pref.opted_out_at is None:
            pref.opted_out_at = clock.now()
            pref.save(update_fields=["opted_out_at"])
            cancelled = OutboxMessage.objects.filter(
                ticket_id=ticket.pk, audience=Audience.REQUESTER, status=Status.PENDING,
            ).update(status=Status.CANCELLED, cancel_reason=OPTED_OUT, next_attempt_at=None)
            record_event(subject_type="ticket", subject_id=ticket.pk, action="notify_opt_out", actor_role="requester",
                         reason=reason, data={"cancelled": cancelled})
    return pref


def set_requester_email(ticket: Any, email: str) -> None:
    """The e-mail address a requester gave online for this ticket's messages (inside the caller's transaction)."""
    pref, _ = TicketPreference.objects.get_or_create(ticket_id=ticket.pk)
    pref.email = email
    pref.save(update_fields=["email"])


def retry(actor: Any, message_ids: list[int] | None = None) -> int:
    """Sends failed messages again (all failed ones when no ids are given); one event per message retried."""
    qs = OutboxMessage.objects.filter(status=Status.FAILED)
    if message_ids is not None:
        qs = qs.filter(pk__in=message_ids)
    count = 0
    for pk in list(qs.values_list("pk", flat=True)):
        with transaction.atomic():
            now = clock.now()
            if OutboxMessage.objects.filter(pk=pk, status=Status.FAILED).update(
                    status=Status.PENDING, attempts=0, next_attempt_at=now, last_error=""):
                record_event(subject_type=OUTBOX_SUBJECT, subject_id=pk, action="retry", actor=actor)
                _schedule_after_commit(pk, None)
                count += 1
    return count


def public_url(path: str = "") -> str:
    return f"{settings.PUBLIC_URL}{path}"
