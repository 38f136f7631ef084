"""The Open311 GeoReport v2 endpoint: discovery, services, filing with an api_key, reading back with every
filter, XML and JSON, Open311's errors, and no personal data in what GET returns."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest

from jiesu.api.tokens import create_token
from jiesu.open311.models import Open311Request
from jiesu.tickets import services as ticket_services
from jiesu.tickets.models import Ticket
from jiesu.tickets.tests import conftest as lifecycle

pytestmark = pytest.mark.django_db
city = lifecycle.city
fixed_clock = lifecycle.fixed_clock
V2 = "/open311/v2"


@pytest.fixture
def key(city):  # type: ignore[no-untyped-def]
    return create_token(city.operator, name="311 app")[1]


def filing(key: str, **extra: str) -> dict[str, str]:
    return {"api_key": key, "service_code": "T1-01", "address_string": "阳光新城小区3号楼",
            "description": "暖气不热，邻居李四电话13900001111也反映过。", "first_name": "三", "last_name": "张",
            "phone": "13812345678", "attribute[kind]": "complaint", **extra}


def test_discovery_and_services_in_both_formats(client, city):
    found = client.get(f"{V2}/discovery.json").json()
    assert found["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    listed = client.get(f"{V2}/services.json")
    assert listed["Content-Type"] == "application/json; charset=utf-8"
    assert [s["service_code"] for s in listed.json()] == ["T1-01"]  # the leaves only
    xml = client.get(f"{V2}/services.xml")
    assert xml["Content-Type"] == "text/xml; charset=utf-8" and xml.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(xml.content)
    assert root.tag == "services" and root.find("service/service_name").text == "供热"
    definition = client.get(f"{V2}/services/T1-01.json").json()
    assert definition["attributes"][0]["code"] == "kind"
    assert client.get(f"{V2}/services/NOPE.json").status_code == 404


def test_a_request_filed_with_a_key_becomes_a_ticket_and_reads_back_without_personal_data(client, city, key):
    posted = client.post(f"{V2}/requests.json", filing(key))
    assert posted.status_code == 201
    number = posted.json()[0]["service_request_id"]
    ticket = Ticket.objects.get(number=number)
    assert (ticket.channel.code, ticket.kind, ticket.requester_phone, ticket.category.code) == (
        "api", "complaint", "13812345678", "T1-01")
    read = client.get(f"{V2}/requests/{number}.json").json()
    assert read[0]["status"] == "open" and read[0]["service_code"] == "T1-01"
    body = json.dumps(read, ensure_ascii=False)
    for personal in ("13812345678", "13900001111", "张"):
        assert personal not in body
    xml = ET.fromstring(client.get(f"{V2}/requests/{number}.xml").content)
    assert xml.tag == "service_requests" and xml.find("request/service_request_id").text == number


def test_filing_without_a_good_key_or_with_bad_input_is_refused_and_creates_nothing(client, city, key):
    assert client.post(f"{V2}/requests.json", filing("")).status_code == 403
    assert client.post(f"{V2}/requests.json", filing("jiesu_wrong")).status_code == 403
    bad = {"service_code": "", "lat": "north", "attribute[kind]": "rumour", "phone": "12",
           "media_url": "javascript:alert(1)", "description": "d" * 4001}
    for field, value in bad.items():
        response = client.post(f"{V2}/requests.json", filing(key, **{field: value}))
        assert response.status_code == 400, field
        assert response.json()[0]["code"] == 400 and response.json()[0]["description"]
    too_long = filing(key, media_url="https://" + "a" * 500)
    assert client.post(f"{V2}/requests.json", too_long).status_code == 400
    no_place = filing(key)
    del no_place["address_string"]
    assert client.post(f"{V2}/requests.xml", no_place).status_code == 400
    assert not Ticket.objects.exists() and not Open311Request.objects.exists()


def test_the_list_filters_by_id_service_status_and_dates(client, city, key):
    numbers = [client.post(f"{V2}/requests.json", filing(key)).json()[0]["service_request_id"] for _ in range(3)]
    phone = ticket_services.accept(city.operator, city.ticket_data())  # a phoned-in ticket is never listed
    listed = {r["service_request_id"] for r in client.get(f"{V2}/requests.json").json()}
    assert listed == set(numbers) and phone.number not in listed
    some = client.get(f"{V2}/requests.json", {"service_request_id": ",".join(numbers[:2])}).json()
    assert {r["service_request_id"] for r in some} == set(numbers[:2])
    ticket_services.perform(city.operator, numbers[0], "reject", {"reason": "malicious", "route": "无效"})
    closed = client.get(f"{V2}/requests.json", {"status": "closed"}).json()
    assert [r["service_request_id"] for r in closed] == [numbers[0]]
    assert client.get(f"{V2}/requests.json", {"service_code": "OTHER"}).json() == []
    assert client.get(f"{V2}/requests.json", {"start_date": "2026-03-02T10:00:00+08:00",
                                                   "end_date": "2026-03-05T00:00:00+08:00"}).json() == []
    assert client.get(f"{V2}/requests.json", {"start_date": "2025-01-01", "end_date": "2026-03-02"}).status_code == 400
    assert client.get(f"{V2}/requests.json", {"status": "pending"}).status_code == 400
    assert client.get(f"{V2}/requests.json", {"start_date": "yesterday"}).status_code == 400
    for impossible in ("2026-13-45", "2026-03-01T25:00:00+08:00", "9999-12-31", "0001-01-01"):
        response = client.get(f"{V2}/requests.json", {"start_date": impossible, "end_date": impossible})
        assert response.status_code == 400 and response.json()[0]["code"] == 400, impossible


def test_unknown_things_are_404_in_open311s_format(client, city):
    assert client.get(f"{V2}/requests/SP0.json").status_code == 404
    assert client.get(f"{V2}/tokens/SP0.json").json()[0]["code"] == 404
    assert client.get(f"{V2}/services.yaml").status_code == 404
    assert client.get(f"{V2}/services.json", {"jurisdiction_id": "elsewhere"}).status_code == 404
    root = ET.fromstring(client.get(f"{V2}/requests/SP0.xml").content)
    assert root.tag == "errors" and root.find("error/code").text == "404"


def test_the_list_costs_the_same_queries_for_many_requests_and_shows_the_last_change(client, city, key):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jiesu.core import clock
    from jiesu.tickets.tests.conftest import FIXED_NOW

    def listed() -> tuple[int, list]:
        with CaptureQueriesContext(connection) as queries:
            body = client.get(f"{V2}/requests.json").json()
        return len(queries), body

    numbers = [client.post(f"{V2}/requests.json", filing(key)).json()[0]["service_request_id"] for _ in range(2)]
    few, _ = listed()
    for _ in range(4):
        client.post(f"{V2}/requests.json", filing(key))
    many, body = listed()
    assert len(body) == 6 and many == few
    with clock.at(FIXED_NOW.replace(hour=11)):
        ticket_services.perform(city.operator, numbers[0], "reject", {"reason": "malicious", "route": "无效"})
    rejected = client.get(f"{V2}/requests/{numbers[0]}.json").json()[0]
    assert rejected["updated_datetime"] == "2026-03-02T11:00:00+08:00"
    assert rejected["requested_datetime"] == "2026-03-02T09:00:00+08:00"


def test_the_list_pages_in_a_stable_order_and_refuses_bad_paging(client, city, key):
    numbers = [client.post(f"{V2}/requests.json", filing(key)).json()[0]["service_request_id"] for _ in range(5)]
    whole = [r["service_request_id"] for r in client.get(f"{V2}/requests.json").json()]
    assert sorted(whole) == sorted(numbers)
    pages = [[r["service_request_id"] for r in client.get(f"{V2}/requests.json",
                                                           {"page": p, "page_size": 2}).json()] for p in (1, 2, 3, 4)]
    assert [len(p) for p in pages] == [2, 2, 1, 0] and sum(pages, []) == whole
    xml = ET.fromstring(client.get(f"{V2}/requests.xml", {"page": 2, "page_size": 2}).content)
    assert [e.findtext("service_request_id") for e in xml] == pages[1]
    for bad in ({"page": "0"}, {"page": "-1"}, {"page_size": "1001"}, {"page_size": "x"}, {"page": "１"},
                {"page_size": "2.5"}):
        response = client.get(f"{V2}/requests.json", bad)
        assert response.status_code == 400 and response.json()[0]["code"] == 400, bad
    assert ET.fromstring(client.get(f"{V2}/requests.xml", {"page": "0"}).content).tag == "errors"
