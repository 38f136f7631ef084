"""The public web request form: a one-time code to the mobile (through the outbox, limited), the request as a
ticket in intake on the web channel, and bad input or a wrong code changing nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from jiesu.channels.models import PhoneCode
from jiesu.core import clock
from jiesu.notify.models import OutboxMessage
from jiesu.org.models import Region
from jiesu.tickets.models import Ticket
from jiesu.tickets.states import State
from jiesu.tickets.tests import conftest as lifecycle

pytestmark = pytest.mark.django_db
city = lifecycle.city
fixed_clock = lifecycle.fixed_clock
FORM, CODE, REGIONS = (reverse("channels_request:form"), reverse("channels_request:code"),
                       reverse("channels_request:regions"))
MOBILE = "13912345678"


def sent_code() -> str:
    body = OutboxMessage.objects.filter(template="one_time_code").latest("id").body
    return re.search(r"\d{6}", body).group(0)


def request_data(**extra: str) -> dict[str, str]:
    return {"kind": "help", "title": "小区路灯不亮", "content": "阳光新城小区3号楼前路灯坏了一周。", "address": "阳光新城小区",
            "name": "王女士", "mobile": MOBILE, **extra}


def test_the_form_renders_with_the_districts(client, city):
    page = client.get(FORM).content.decode()
    assert "网上反映诉求" in page and city.district.name in page and "获取验证码" in page


def test_a_confirmed_request_becomes_a_web_ticket_waiting_in_intake(client, city):
    assert client.post(CODE, {"mobile": MOBILE}).status_code == 200
    message = OutboxMessage.objects.get(template="one_time_code")
    assert message.recipient == MOBILE and message.bypass_quiet_hours
    done = client.post(FORM, request_data(code=sent_code(), region=city.district.code))
    assert done.status_code == 200
    ticket = Ticket.objects.get()
    page = done.content.decode()
    assert ticket.number in page and ticket.query_code in page
    assert (ticket.channel.code, ticket.status, ticket.requester_phone, ticket.region) == (
        "web", State.RECEIVED, MOBILE, city.district)
    assert ticket.created_by.username == "web-intake"
    again = client.post(FORM, request_data(code=sent_code()))  # a code works once
    assert again.status_code == 400 and Ticket.objects.count() == 1


def test_a_wrong_code_or_bad_input_creates_nothing_and_tries_are_limited(client, city):
    client.post(CODE, {"mobile": MOBILE})
    right = sent_code()
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        response = client.post(FORM, request_data(code=wrong))
        assert response.status_code == 400 and "验证码不正确" in response.content.decode()
    assert client.post(FORM, request_data(code=right)).status_code == 400  # five wrong tries used the code up
    assert client.post(FORM, request_data(code=right, title="")).status_code == 400
    assert client.post(FORM, request_data(code=right, region="999999")).status_code == 400
    assert not Ticket.objects.exists()


def test_an_expired_code_does_not_confirm(client, city):
    client.post(CODE, {"mobile": MOBILE})
    code = sent_code()
    with clock.at(clock.now() + timedelta(minutes=11)):
        assert client.post(FORM, request_data(code=code)).status_code == 400
    assert not Ticket.objects.exists()


def test_codes_are_limited_per_mobile_and_per_address(client, city):
    assert client.post(CODE, {"mobile": MOBILE}).status_code == 200
    assert client.post(CODE, {"mobile": MOBILE}).status_code == 429  # one a minute
    for minutes in (2, 4, 6, 8):
        with clock.at(clock.now() + timedelta(minutes=minutes)):
            assert client.post(CODE, {"mobile": MOBILE}).status_code == 200
    with clock.at(clock.now() + timedelta(minutes=10)):
        assert client.post(CODE, {"mobile": MOBILE}).status_code == 429  # five an hour
    for n in range(15):
        client.post(CODE, {"mobile": f"1380000{n:04d}"})
    assert client.post(CODE, {"mobile": "13700000000"}).status_code == 429  # twenty an hour from one address
    assert PhoneCode.objects.count() == 20
    assert client.post(CODE, {"mobile": "123"}).status_code == 400


def test_the_pickers_offer_the_next_level_only(client, city):
    street = Region.objects.create(code="220302001", name="仁兴街道", level=Region.Level.STREET, parent=city.district)
    options = client.get(REGIONS, {"region": city.district.code}).content.decode()
    assert street.name in options
    assert "仁兴街道" not in client.get(REGIONS, {"region": "nonsense"}).content.decode()
