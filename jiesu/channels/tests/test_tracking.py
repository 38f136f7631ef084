"""The citizens' query page: found by number and code only, plain words, no staff or internal notes, the rating
as the follow-up (re-opening when dissatisfied), and throttled look-ups."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jiesu.channels import tracking
from jiesu.channels.models import TrackAttempt
from jiesu.core.models import Event
from jiesu.evaluation.tests.conftest import read, value
from jiesu.tickets import services
from jiesu.tickets.models import Visit
from jiesu.tickets.states import State
from jiesu.tickets.tests import conftest as lifecycle
from jiesu.tickets.tests.builders import ticket_in_state

pytestmark = pytest.mark.django_db
city = lifecycle.city
fixed_clock = lifecycle.fixed_clock
TRACK = reverse("channels_public:track")
RATE = reverse("channels_public:rate")


def look(client, ticket, code=None):  # type: ignore[no-untyped-def]
    return client.post(TRACK, {"number": ticket.number, "code": ticket.query_code if code is None else code})


def test_the_number_alone_shows_nothing_and_a_wrong_code_looks_like_a_wrong_number(client, city):
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    page = client.get(TRACK, {"number": ticket.number}).content.decode()
    assert f'value="{ticket.number}"' in page and ticket.title not in page
    wrong = look(client, ticket, code="000000" if ticket.query_code != "000000" else "111111")
    unknown = client.post(TRACK, {"number": "SP19990101000001", "code": ticket.query_code})
    assert wrong.status_code == unknown.status_code == 400
    assert ticket.title not in wrong.content.decode() and "工单编号或查询码不正确" in wrong.content.decode()


def test_progress_is_told_in_plain_words_without_staff_names_or_internal_notes(client, city):
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    services.perform(city.heating_handler, ticket, "contact", {"method": "phone", "note": "内部备注：难缠住户"})
    page = look(client, ticket).content.decode()
    assert "承办单位正在办理" in page and "已派至 供热公司 办理" in page and "供热公司 已签收" in page
    assert "承办单位已与您联系" in page
    for hidden in ("内部备注", city.heating_handler.display_name or "h-heat", "h-heat", city.dispatcher.username):
        assert hidden not in page


def test_the_published_reply_is_shown_and_other_peoples_numbers_are_masked(client, city):
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    services.perform(city.heating_handler, ticket, "reply", {"result": "已联系物业王经理13900001111处理，暖气恢复。"})
    assert "暖气恢复" not in look(client, ticket).content.decode()  # not yet approved by the centre
    ticket.refresh_from_db()
    services.perform(city.supervisor, ticket, "review_reply", {"decision": "approve"})
    page = look(client, ticket).content.decode()
    assert "暖气恢复" in page and "13900001111" not in page and "评价这次办理" in page


def _rate(client, ticket, **answers):  # type: ignore[no-untyped-def]
    return client.post(RATE, {"number": ticket.number, "code": ticket.query_code, **answers})


def test_a_satisfied_rating_is_the_follow_up_and_counts_in_the_figures(client, city):
    ticket = ticket_in_state(city, State.VISITING)
    response = _rate(client, ticket, satisfaction="satisfied", resolution="resolved", comment="谢谢")
    assert response.status_code == 200 and "感谢您的评价" in response.content.decode()
    assert "您已在网上评价" in response.content.decode() and "我们已安排重新办理" not in response.content.decode()
    ticket.refresh_from_db()
    visit = Visit.objects.get(ticket=ticket)
    assert ticket.status == State.VISITED and visit.satisfaction == "satisfied" and "市民网上评价" in visit.note
    assert Event.objects.filter(subject_id=str(ticket.pk), action="visit").get().actor.username == "citizen-self-rating"
    assert value(read(), "handling_satisfaction") == (1, 1)
    again = _rate(client, ticket, satisfaction="dissatisfied", resolution="unresolved")
    assert again.status_code == 409 and Visit.objects.filter(ticket=ticket).count() == 1


def test_a_dissatisfied_rating_reopens_the_ticket_for_the_same_unit(client, city, settings):
    ticket = ticket_in_state(city, State.VISITING)
    rated = _rate(client, ticket, satisfaction="dissatisfied", resolution="unresolved",
                  comment="没修好，电话13812345678")
    assert "我们已安排重新办理" in rated.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == State.ASSIGNED and ticket.reopen_count == 1 and ticket.lead_unit == city.heating
    reopen = Event.objects.get(subject_id=str(ticket.pk), action="reopen")
    assert "没修好" in reopen.reason and "13812345678" not in reopen.reason


def test_the_centre_may_keep_dissatisfied_ratings_for_its_own_decision(client, city, settings):
    settings.JIESU_REOPEN_ON_DISSATISFIED = False
    ticket = ticket_in_state(city, State.VISITING)
    _rate(client, ticket, satisfaction="dissatisfied", resolution="partly")
    ticket.refresh_from_db()
    assert ticket.status == State.VISITED and ticket.reopen_count == 0


def test_a_rating_with_bad_answers_changes_nothing(client, city):
    ticket = ticket_in_state(city, State.VISITING)
    response = _rate(client, ticket, satisfaction="very", resolution="resolved")
    assert response.status_code == 400 and not Visit.objects.exists()
    wrong_code = client.post(RATE, {"number": ticket.number, "code": "x", "satisfaction": "satisfied",
                                    "resolution": "resolved"})
    assert wrong_code.status_code == 400 and not Visit.objects.exists()
    ticket.refresh_from_db()
    assert ticket.status == State.VISITING


def test_guessing_codes_is_stopped_per_number_and_per_address(client, city, settings):
    settings.JIESU_TRACK_THROTTLE = {"per_ip": 5, "per_number": 3, "minutes": 60}
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    for guess in ("1", "2", "3"):
        look(client, ticket, code=guess)
    right = look(client, ticket)
    assert right.status_code == 400 and "查询失败次数过多" in right.content.decode()
    assert TrackAttempt.objects.filter(ok=False).count() == 3  # a refused look-up is not even tried
    other = ticket_in_state(city, State.IN_PROGRESS)
    for guess in ("4", "5"):
        look(client, other, code=guess)
    assert "查询失败次数过多" in look(client, other).content.decode()  # the address is locked too


def test_find_compares_the_code_and_bounds_its_input(city):
    ticket = ticket_in_state(city, State.RECEIVED)
    assert tracking.find(ticket.number.lower(), ticket.query_code) == ticket
    assert tracking.find(ticket.number, "") is None and tracking.find("", ticket.query_code) is None
    assert tracking.find(ticket.number, ticket.query_code + "0" * 20) is None
