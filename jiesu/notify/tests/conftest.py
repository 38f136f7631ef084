"""The lifecycle tests' small city (a fixed working Monday), with notification contacts at the heating company,
a test gateway that records what it sends, and delivery through the task backend (immediate in tests)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from jiesu.notify.gateways import GatewayError, OutgoingSms, SendResult
from jiesu.notify.models import UnitContact
from jiesu.tickets.tests.conftest import City, city, fixed_clock  # noqa: F401  (the fixtures, reused as is)


@dataclass
class RecordingGateway:
    """Sends nothing; records each SMS, and fails the first ``failures`` calls (then recovers)."""

    name: str = "test"
    failures: int = 0
    permanent: bool = False
    sent: list[OutgoingSms] = field(default_factory=list)
    calls: int = 0

    def send(self, sms: OutgoingSms) -> SendResult:
        self.calls += 1
        if self.calls <= self.failures:
            raise GatewayError("网关超时（测试）", permanent=self.permanent)
        self.sent.append(sms)
        return SendResult(provider_id=f"p{len(self.sent)}")


@pytest.fixture
def gateway(monkeypatch, settings):  # type: ignore[no-untyped-def]
    settings.NOTIFY_DELIVERY = "task"
    recording = RecordingGateway()
    monkeypatch.setattr("jiesu.notify.delivery.sms_gateway", lambda: recording)
    return recording


@pytest.fixture
def contact(city):  # type: ignore[no-untyped-def]  # noqa: F811 (the reused fixture)
    return UnitContact.objects.create(unit=city.heating, name="值班员", mobile="13900000001",
                                      email="duty@heating.example")
