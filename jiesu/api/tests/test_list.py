"""GET /tickets: filters, paging, newest first, within the user's scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jiesu.api.tests.conftest import expect
from jiesu.catalog.models import Category
from jiesu.core import clock
from jiesu.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def _numbers(api, **params) -> list[str]:  # type: ignore[no-untyped-def]
    return [t["number"] for t in expect(api.get("/tickets", **params), 200)["results"]]


@pytest.fixture
def three(apis, city):  # type: ignore[no-untyped-def]
    other = Category.objects.create(code="T2", name="市场监管", level=1)
    made = [expect(apis.operator.post("/tickets", city.ticket_data(**o)), 201) for o in (
        {}, {"kind": "help", "title": "路灯不亮"}, {"kind": "consultation", "category": other.code})]
    expect(apis.dispatcher.act(made[0]["number"], "dispatch", 1, lead_unit="heating"), 200)
    return [t["number"] for t in made]


def test_filters_by_status_kind_unit_category_and_text(apis, three):
    op = apis.operator
    assert _numbers(op) == list(reversed(three))
    assert _numbers(op, status="assigned") == [three[0]]
    assert set(_numbers(op, status="assigned,received")) == set(three)
    assert _numbers(op, kind="help") == [three[1]]
    assert _numbers(op, unit="heating") == [three[0]]
    assert set(_numbers(op, category="T1")) == {three[0], three[1]}
    assert _numbers(op, category="T2") == [three[2]]
    assert _numbers(op, q="路灯") == [three[1]]
    assert _numbers(op, q=three[2]) == [three[2]]  # a whole number: looked up exactly (one month on PostgreSQL)
    assert _numbers(op, q=three[2].lower()) == [three[2]]
    assert set(_numbers(op, q=three[2][:-2])) == set(three)  # part of a number: still a text search


def test_filters_by_date_range_and_overdue(apis, three):
    op = apis.operator
    Ticket.objects.filter(number=three[0]).update(created_at=clock.now() - timedelta(days=10),
                                                   next_due_at=clock.now() - timedelta(hours=1))
    today = timezone.localdate(clock.now())
    assert set(_numbers(op, created_from=today.isoformat())) == {three[1], three[2]}
    assert _numbers(op, created_to=(today - timedelta(days=5)).isoformat()) == [three[0]]
    assert _numbers(op, overdue="true") == [three[0]]
    assert set(_numbers(op, overdue="false")) == {three[1], three[2]}


def test_paging_counts_everything_and_limits_the_page_size(apis, three):
    page = expect(apis.operator.get("/tickets", page=2, page_size=2), 200)
    assert page["count"] == 3 and page["page"] == 2 and [t["number"] for t in page["results"]] == [three[0]]
    assert expect(apis.operator.get("/tickets", page_size=201), 400)["code"] == "validation_failed"
    assert expect(apis.operator.get("/tickets", created_from="yesterday"), 400)["field_errors"]["created_from"]


def test_bad_query_parameters_get_chinese_messages(apis, city):
    body = expect(apis.operator.get("/tickets", page_size=201, page="x"), 400)
    assert body["field_errors"] == {"page_size": ["数值过大。"], "page": ["请输入整数。"]}
