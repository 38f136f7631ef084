"""Third-party GeoReport v2 clients from PyPI against a live server: `civicbot` lists the services, validates
against the service definition and posts a request; `georeport` lists services and reads the request back, in
JSON and in XML."""

from __future__ import annotations

import pytest
from civicbot.http import HttpTransport, RateLimiter
from civicbot.open311 import CONFIRM_TOKEN, Open311Client
from civicbot.registry import Endpoint
from georeport import GeoReport

from jiesu.api.tokens import create_token
from jiesu.tickets.models import Ticket
from jiesu.tickets.tests import conftest as lifecycle

pytestmark = pytest.mark.django_db(transaction=True)
city = lifecycle.city


def test_third_party_clients_list_post_and_read_back(live_server, city):
    key = create_token(city.operator, name="311 app")[1]
    base = f"{live_server.url}/open311/v2"
    civic = Open311Client(Endpoint(id="jiesu", name="jiesu", base_url=base, write=True),
                          transport=HttpTransport(rate_limiter=RateLimiter(min_interval=0)))
    assert [s["service_code"] for s in civic.list_services()] == ["T1-01"]
    sent = civic.create_request("T1-01", dry_run=False, confirm=CONFIRM_TOKEN, api_key=key, validate_remote=True,
                                address_string="阳光新城小区3号楼", description="楼道灯坏了",
                                attributes={"kind": "help"})
    number = sent.response[0]["service_request_id"]
    assert Ticket.objects.get(number=number).content == "楼道灯坏了"
    assert civic.get_request(number)["status"] == "open"
    for output_format in ("json", "xml"):
        reader = GeoReport(base, output_format=output_format)
        services = reader.get_service_list()
        first = services[0] if isinstance(services, list) else services
        assert first["service_code"] == "T1-01"
        read = reader.get_service_request(number)
        assert read["service_request_id"] == number and read["description"] == "楼道灯坏了"
