"""网上诉求: a citizen's request on the public web form, confirmed by a one-time code sent to their mobile.

The code (6 digits, 10 minutes, 5 tries) goes through the notification outbox (`notify.send_one_time_code`, at any
hour); only its keyed hash is stored. Codes are limited per mobile (one a minute, five an hour) and per network
address (twenty an hour). A confirmed request becomes a ticket on the channel ``web`` in state 已受理, registered
by the system account 网上受理（系统）, and waits in intake like a phoned-in request: the operators' and
dispatchers' queues list it, they accept, answer, merge or reject it. The citizen gets the number and the query
code on the page and by text message.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import Field

from jiesu.catalog.models import Kind
from jiesu.channels.board import board_by_code, post
from jiesu.channels.models import PhoneCode
from jiesu.core import clock
from jiesu.core.errors import ValidationFailed
from jiesu.core.permissions import Role
from jiesu.org.models import Region
from jiesu.org.services import system_account
from jiesu.tickets import services as tickets
from jiesu.tickets.inputs import ActionInput, parse_input
from jiesu.tickets.models import Ticket
from jiesu.tickets.phones import MOBILE, InvalidPhone, normalise_phone

ACCOUNT, ACCOUNT_NAME = "web-intake", "网上受理（系统）"
CODE_MINUTES, CODE_TRIES = 10, 5
KINDS = [k for k in Kind if k != Kind.CONSULTATION] + [Kind.CONSULTATION]


class TooMany(ValidationFailed):
    status = 429
    code = "too_many_requests"


class WebRequestInput(ActionInput):
    kind: Kind
    title: str = Field(min_length=2, max_length=60)
    content: str = Field(min_length=5, max_length=2000)
    region: str = Field(default="", max_length=12)
    address: str = Field(default="", max_length=200)
    name: str = Field(default="", max_length=30)
    mobile: str = Field(min_length=11, max_length=20)
    code: str = Field(min_length=4, max_length=8)
    board: str = Field(default="", max_length=32)
    private: bool = False


def mobile_of(raw: str) -> str:
    try:
        phone = normalise_phone(raw or "")
    except InvalidPhone as exc:
        raise ValidationFailed(field_errors={"mobile": [_("请填写 11 位手机号。")]}) from exc
    if not MOBILE.fullmatch(phone):
        raise ValidationFailed(field_errors={"mobile": [_("请填写 11 位手机号。")]})
    return phone


def _hash(mobile: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{mobile}:{code}".encode(), hashlib.sha256).hexdigest()


def _limits(mobile: str, ip: str | None) -> None:
    now = clock.now()
    sent = PhoneCode.objects.filter(created_at__gte=now - timedelta(hours=1))
    if sent.filter(mobile=mobile, created_at__gte=now - timedelta(minutes=1)).exists():
        raise TooMany(_("验证码已发送，请 1 分钟后再试。"))
    if sent.filter(mobile=mobile).count() >= 5 or (ip and sent.filter(ip=ip).count() >= 20):
        raise TooMany(_("验证码发送过于频繁，请 1 小时后再试，或拨打 12345。"))


def send_code(raw_mobile: str, ip: str | None) -> PhoneCode:
    """Sends a new code to the mobile (the earlier ones stop counting)."""
    from jiesu.notify.services import send_one_time_code

    mobile = mobile_of(raw_mobile)
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        _limits(mobile, ip)
        now = clock.now()
        row = PhoneCode.objects.create(mobile=mobile, code_hash=_hash(mobile, code), ip=ip, created_at=now,
                                       expires_at=now + timedelta(minutes=CODE_MINUTES))
        send_one_time_code(mobile, code, reference=f"web:{row.pk}", minutes=CODE_MINUTES)
    return row


def _wrong() -> ValidationFailed:
    return ValidationFailed(field_errors={"code": [_("验证码不正确或已失效，请重新获取。")]})


def _matching_code(mobile: str, code: str) -> PhoneCode:
    """The mobile's latest live code when it matches; a wrong try is counted (and kept) before raising."""
    with transaction.atomic():
        row = (PhoneCode.objects.select_for_update().filter(mobile=mobile, used_at__isnull=True,
                                                            expires_at__gt=clock.now())
               .order_by("-created_at").first())
        if row is None or row.attempts >= CODE_TRIES:
            raise _wrong()
        if not hmac.compare_digest(row.code_hash, _hash(mobile, code.strip())):
            PhoneCode.objects.filter(pk=row.pk).update(attempts=row.attempts + 1)
            wrong = True
        else:
            wrong = False
    if wrong:
        raise _wrong()
    return row


def _region(code: str) -> str | None:
    if not code:
        return None
    if not Region.objects.filter(code=code, is_active=True).exists():
        raise ValidationFailed(field_errors={"region": [_("请从列表中选择所在地区。")]})
    return code


def submit(raw: dict[str, Any]) -> Ticket:
    """Checks the form and the code; the request becomes a ticket, and the code is used up with it."""
    data = parse_input(WebRequestInput, raw)
    assert isinstance(data, WebRequestInput)
    mobile, region = mobile_of(data.mobile), _region(data.region)
    board = board_by_code(data.board) if data.board else None
    account = system_account(ACCOUNT, ACCOUNT_NAME, Role.OPERATOR)
    if account is None:
        raise ValidationFailed(_("热线中心尚未设置，暂不能网上提交。"))
    row = _matching_code(mobile, data.code)
    with transaction.atomic():  # the code is used up only together with the ticket it confirms
        if not PhoneCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=clock.now()):
            raise _wrong()
        ticket = tickets.accept(account, {
            "title": data.title, "content": data.content, "kind": data.kind, "channel": "board" if board else "web",
            "region": region, "address": data.address, "requester_name": data.name, "requester_phone": mobile})
        if board is not None:
            post(ticket, board, wants_private=data.private)
        return ticket
