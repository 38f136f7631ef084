"""Daily work at the desks (issue 16): dispatching a selection, live counts, the keys, printing and the PDF."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jiesu.catalog.models import DispatchRule
from jiesu.core.models import Event
from jiesu.tickets import bulk, queries, services
from jiesu.tickets.models import Ticket
from jiesu.tickets.states import State
from jiesu.tickets.tests import conftest as lifecycle
from jiesu.tickets.tests.builders import ticket_in_state

pytestmark = pytest.mark.django_db
city = lifecycle.city
fixed_clock = lifecycle.fixed_clock
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def heating_rule(city):  # type: ignore[no-untyped-def]
    return DispatchRule.objects.create(category=city.category, lead_unit=city.heating, legal_basis="供热条例",
                                       valid_from=lifecycle.FIXED_NOW.date(), version=1, is_current=True)


def test_a_selection_is_dispatched_ticket_by_ticket_and_failures_are_reported(city, heating_rule):
    first = services.accept(city.operator, city.ticket_data())
    second = services.accept(city.operator, city.ticket_data())
    no_rule = services.accept(city.operator, city.ticket_data(category=None))
    taken = services.accept(city.operator, city.ticket_data())
    services.dispatch(city.dispatcher, taken, lead_unit="urban")
    events_before = Event.objects.count()
    outcomes = bulk.dispatch_as_suggested(city.dispatcher, [first.number, second.number, no_rule.number,
                                                            taken.number, "NO-SUCH", first.number])
    assert [(o.number, o.ok) for o in outcomes] == [(first.number, True), (second.number, True),
                                                    (no_rule.number, False), (taken.number, False), ("NO-SUCH", False)]
    assert "派单目录中没有匹配的规则" in outcomes[2].message and outcomes[1].unit == city.heating.name
    assert Event.objects.count() == events_before + 2  # one event per dispatched ticket, none for the failures
    for t in (first, second):
        fresh = Ticket.objects.get(pk=t.pk)
        assert fresh.status == State.ASSIGNED and fresh.lead_unit == city.heating
    assert Ticket.objects.get(pk=no_rule.pk).status == State.RECEIVED
    assert Ticket.objects.get(pk=taken.pk).lead_unit == city.urban  # untouched


def test_a_handler_cannot_dispatch_a_selection(city, heating_rule):
    ticket = services.accept(city.operator, city.ticket_data())
    outcomes = bulk.dispatch_as_suggested(city.heating_handler, [ticket.number])
    assert not outcomes[0].ok and Ticket.objects.get(pk=ticket.pk).status == State.RECEIVED


def test_the_dispatch_desk_offers_the_selection_with_each_proposal(client, city, heating_rule):
    ticket = services.accept(city.operator, city.ticket_data())
    client.force_login(city.dispatcher)
    html = client.get(reverse("web:desk", args=["dispatch"])).content.decode()
    assert 'id="bulk-form"' in html and f'name="numbers" value="{ticket.number}"' in html
    assert "建议承办单位" in html and city.heating.name in html
    response = client.post(reverse("web:desk_bulk_dispatch", args=["dispatch"]) + "?queue=dispatching",
                           {"numbers": [ticket.number]}, **HX)
    body = response.content.decode()
    assert response.status_code == 200 and "已派至供热公司" in body and 'id="queue-tabs"' in body
    assert Ticket.objects.get(pk=ticket.pk).status == State.ASSIGNED
    client.force_login(city.heating_handler)
    assert client.post(reverse("web:desk_bulk_dispatch", args=["unit"]), {"numbers": [ticket.number]}).status_code == 404


def test_the_stamp_changes_with_the_users_open_tickets_only(city):
    ticket = ticket_in_state(city, State.ASSIGNED)
    heating, urban = queries.desk_stamp(city.heating_handler), queries.desk_stamp(city.urban_handler)
    services.sign(city.heating_handler, ticket)
    assert queries.desk_stamp(city.heating_handler) != heating
    assert queries.desk_stamp(city.urban_handler) == urban  # another unit's work does not wake this desk
    services.accept(city.operator, city.ticket_data())
    assert queries.desk_stamp(city.urban_handler) == urban


def test_desk_and_ticket_page_carry_their_keys(client, city):
    ticket = ticket_in_state(city, State.ASSIGNED)
    client.force_login(city.heating_handler)
    desk = client.get(reverse("web:desk", args=["unit"])).content.decode()
    assert 'id="keys-help"' in desk and "<kbd>j</kbd>" in desk and f'data-number="{ticket.number}"' in desk
    assert 'data-key="1"' in desk and "jiesu/desks.js" in desk and 'id="live-notice"' in desk
    page = client.get(reverse("web:ticket", args=[ticket.number])).content.decode()
    assert 'id="action-sign" open data-key="s" data-ready' in page  # nothing to fill: the button gets the focus
    assert 'data-key="h"' in page and 'id="keys-help"' in page  # request a return, folded, has its key too


def test_few_choices_are_buttons_to_click(client, city):
    ticket = ticket_in_state(city, State.VISITING)
    client.force_login(city.visitor)
    html = client.get(reverse("web:ticket", args=[ticket.number])).content.decode()
    visit = html.split('id="action-visit"')[1].split("</details>")[0]
    assert visit.count('type="radio" name="outcome"') == 2 and visit.count('type="radio" name="satisfaction"') == 3
    response = client.post(reverse("web:ticket_act", args=[ticket.number, "visit"]),
                           {"version": ticket.version, "outcome": "reached", "resolution": "resolved",
                            "satisfaction": "satisfied"}, **HX)
    assert response.status_code == 200 and Ticket.objects.get(pk=ticket.pk).status == State.VISITED


def test_the_printed_ticket_masks_the_requester_and_links_the_query_page(client, city, settings):
    settings.JIESU_PUBLIC_URL = "https://12345.example.gov.cn"
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    client.force_login(city.heating_handler)
    html = client.get(reverse("web:ticket_print", args=[ticket.number])).content.decode()
    assert ticket.title in html and "<svg" in html and "张*" in html and "13812345678" not in html
    assert f"https://12345.example.gov.cn/track/?number={ticket.number}" in html
    assert ticket.query_code not in html  # the receipt's query code is for the centre to hand over
    client.force_login(city.operator)
    assert ticket.query_code in client.get(reverse("web:ticket_print", args=[ticket.number])).content.decode()
    client.force_login(city.urban_handler)
    assert client.get(reverse("web:ticket_print", args=[ticket.number])).status_code == 404
    assert client.get(reverse("web:ticket_pdf", args=[ticket.number])).status_code == 404


def test_the_pdf_embeds_a_chinese_font_and_a_unit_prints_its_day(client, city):
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    other = services.accept(city.operator, city.ticket_data(title="另一件"))
    services.dispatch(city.dispatcher, other, lead_unit="urban")
    client.force_login(city.heating_handler)
    response = client.get(reverse("web:ticket_pdf", args=[ticket.number]))
    data = response.content
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert data.startswith(b"%PDF") and b"/FontFile3" in data and b"NotoSansSC" in data
    day = lifecycle.FIXED_NOW.date().isoformat()
    html = client.get(reverse("web:day_print"), {"day": day}).content.decode()
    assert html.count('class="sheet"') == 1 and ticket.number in html and other.number not in html
    pdf = client.get(reverse("web:day_pdf"), {"day": day})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    empty = client.get(reverse("web:day_print"), {"day": "2026-01-05"}).content.decode()
    assert "这一天没有工单" in empty
    assert client.get(reverse("web:day_print"), {"day": "not-a-day"}).status_code == 200  # today instead
