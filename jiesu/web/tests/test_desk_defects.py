"""The defects found walking the loop (issue 16), each pinned: supervision marks for the handler, the close form's
condition, the content limit, the unit filter, one word for overdue, the analyst's desk, the favicon, the chips."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from jiesu.tickets import marks, services
from jiesu.tickets.states import State
from jiesu.tickets.tests import conftest as lifecycle
from jiesu.tickets.tests.builders import ticket_in_state

pytestmark = pytest.mark.django_db
city = lifecycle.city
fixed_clock = lifecycle.fixed_clock


def html_of(client, user, url):  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_supervised_ticket_shows_its_order_and_deadline_to_the_handler(client, city):
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    plain = ticket_in_state(city, State.IN_PROGRESS)
    services.supervise(city.supervisor, ticket, text="三日内办结并报告", working_days=3)
    order = ticket.supervision_orders.get()
    desk = html_of(client, city.heating_handler, reverse("web:desk", args=["unit"]) + "?queue=in_progress")
    assert desk.count('class="mark mark-supervise') == 1 and order.due_at.strftime("%m-%d %H:%M") in desk
    assert desk.index(ticket.number) < desk.index(plain.number)  # supervised first, though accepted earlier
    page = html_of(client, city.heating_handler, reverse("web:ticket", args=[ticket.number]))
    head = page.split('class="ticket-meta"')[1].split("</div>")[0]
    assert "督办" in head and order.due_at.strftime("%m-%d %H:%M") in head and 'title="三日内办结并报告"' in head


def test_urged_and_warned_tickets_carry_their_marks(city):
    urged = ticket_in_state(city, State.IN_PROGRESS)
    services.urge(city.supervisor, urged, message="请加快办理")
    services.urge(city.supervisor, urged, message="再次催办")
    found = marks.marks_for([urged])[urged.pk]
    assert [(m.kind, m.count) for m in found] == [(marks.URGE, 2)]
    assigned = ticket_in_state(city, State.ASSIGNED)
    lead = assigned.assignments.get()
    assert marks.marks_for([assigned]) == {}
    later = marks.marks_for([assigned], now=lead.sign_warn_at + timedelta(minutes=1))[assigned.pk]
    assert [(m.kind, m.due_at) for m in later] == [(marks.WARNING, lead.sign_due_at)]


def test_a_registered_source_adds_its_own_marks(city):
    ticket = ticket_in_state(city, State.IN_PROGRESS)

    def ladder(ids, now):  # type: ignore[no-untyped-def]
        return {pk: [marks.Mark("interview", "约谈")] for pk in ids}

    marks.register_source(ladder)
    try:
        services.supervise(city.supervisor, ticket, text="督办", working_days=2)
        assert [m.kind for m in marks.marks_for([ticket])[ticket.pk]] == [marks.SUPERVISE, "interview"]
    finally:
        marks._SOURCES.remove(ladder)


def test_after_a_follow_up_that_reached_the_citizen_the_close_form_states_no_old_condition(client, city):
    ticket = ticket_in_state(city, State.VISITING)
    waiting = html_of(client, city.visitor, reverse("web:ticket", args=[ticket.number]))
    assert 'id="action-close"' not in waiting  # not ready yet: no unreachable attempt
    services.visit(city.visitor, ticket, outcome="unreachable")
    after_attempt = html_of(client, city.visitor, reverse("web:ticket", args=[ticket.number]))
    assert "条件：待回访的工单须至少有一次未接通的回访" in after_attempt.split('id="action-close"')[1]
    services.visit(city.visitor, ticket, outcome="reached", resolution="resolved", satisfaction="satisfied")
    html = html_of(client, city.visitor, reverse("web:ticket", args=[ticket.number]))
    close_form = html.split('id="action-close"')[1].split("</details>")[0]
    assert "未接通" not in close_form and "条件：" not in close_form


def test_the_content_field_stops_at_its_limit_and_counts(client, city):
    html = html_of(client, city.operator, reverse("web:intake"))
    textarea = html.split('id="id_content"')[1].split(">")[0]
    assert 'maxlength="8000"' in textarea and "data-counter" in textarea
    assert 'maxlength="200"' in html.split('id="id_title"')[1].split(">")[0]
    reply = html_of(client, city.heating_handler,
                    reverse("web:ticket", args=[ticket_in_state(city, State.IN_PROGRESS).number]))
    assert 'maxlength="4000" data-counter' in reply.split('id="reply-result"')[1].split(">")[0]


def test_a_handler_filters_only_by_the_units_it_sees(client, city):
    one_unit = html_of(client, city.heating_handler, reverse("web:desk", args=["unit"]))
    assert "全部单位" not in one_unit and city.urban.name not in one_unit  # one unit: nothing to choose
    subtree = html_of(client, city.subcentre_handler, reverse("web:desk", args=["unit"]))
    select = subtree.split('name="unit"')[1].split("</select>")[0]
    assert city.subcentre.name in select and city.street.name in select
    assert city.heating.name not in select and city.urban.name not in select
    centre = html_of(client, city.dispatcher, reverse("web:desk", args=["dispatch"]))
    assert city.heating.name in centre.split('name="unit"')[1].split("</select>")[0]


def test_home_and_desk_say_overdue_the_same_way(client, city):
    ticket = ticket_in_state(city, State.ASSIGNED)
    with lifecycle.clock.at(lifecycle.FIXED_NOW + timedelta(days=2)):
        home = html_of(client, city.heating_handler, reverse("web:home"))
        desk = html_of(client, city.heating_handler, reverse("web:desk", args=["unit"]) + "?queue=overdue")
    assert "已超期" in home and "即将超期" in home and "已超期" in desk and "超期 " in desk
    assert "超时" not in home and "超时" not in desk and ticket.number in desk


def test_the_analyst_has_a_desk_of_the_citys_tickets(client, city):
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    from jiesu.org.tests.factories import UserFactory

    analyst = UserFactory(username="ana", role="analyst", unit=city.centre, scope="city")
    home = html_of(client, analyst, reverse("web:home"))
    assert "/desk/overview/" in home
    desk = html_of(client, analyst, reverse("web:desk", args=["overview"]))
    assert ticket.number in desk and "工单总览" in desk
    client.force_login(analyst)
    closed = client.get(reverse("web:desk", args=["unit"]))
    assert closed.status_code == 404 and "承办单位只能" not in closed.content.decode()
    assert "/desk/overview/" in closed.content.decode()  # the 404 names the desks this user has


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO header


def test_chips_outside_the_top_bar_are_coloured():
    from pathlib import Path

    css = (Path(__file__).parents[1] / "static" / "jiesu" / "app.css").read_text()
    chip = css.split("\n.chip {")[1].split("}")[0]
    assert "#fff;" not in chip and "color: var(--warn)" in chip
    assert ".topbar .chip" in css and ".me-unit, .me .chip { display: none; }" in css
