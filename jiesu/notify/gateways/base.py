"""The SMS gateway interface."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class OutgoingSms:
    to: str  # digits of a mainland mobile number
    text: str  # the whole text, for gateways that send free text
    reference: str  # our id of the message (sent as the provider's OutId, so receipts can be matched)
    template_code: str = ""  # for providers that only send registered templates
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SendResult:
    provider_id: str = ""


class GatewayError(Exception):
    """Sending failed. ``permanent``: retrying cannot help (a wrong number, a template the provider refused)."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class SmsGateway(Protocol):
    name: str

    def send(self, sms: OutgoingSms) -> SendResult: ...
