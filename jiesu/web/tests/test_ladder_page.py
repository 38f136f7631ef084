"""The supervision ladder page: who may open it, the candidates it lists, issuing ticked ones, closing a step."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from jiesu.core import clock
from jiesu.evaluation import unit_steps
from jiesu.evaluation.models import UnitStep
from jiesu.tickets.models import SupervisionOrder
from jiesu.tickets.states import State
from jiesu.tickets.tests import conftest as lifecycle
from jiesu.tickets.tests.builders import ticket_in_state

pytestmark = pytest.mark.django_db
city = lifecycle.city
fixed_clock = lifecycle.fixed_clock


def test_only_who_may_issue_steps_opens_the_page(client, city):
    client.force_login(city.heating_handler)
    assert client.get(reverse("web:ladder")).status_code == 403
    client.force_login(city.supervisor)
    html = client.get(reverse("web:ladder")).content.decode()
    assert "工单候选" in html and "单位候选" in html and "目前没有需要提示、预警或督办的工单" in html


def test_ticked_candidates_are_issued_and_the_result_listed(client, city):
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    client.force_login(city.supervisor)
    response = client.post(reverse("web:ladder_issue"),
                           {"key": [f"prompt:{ticket.number}", "warn:NOPE"], "text": "请尽快联系诉求人",
                            "working_days": "2"})
    html = response.content.decode()
    assert response.status_code == 200 and f"prompt:{ticket.number}：已下达" in html and "warn:NOPE：未下达" in html
    order = SupervisionOrder.objects.get(ticket=ticket)
    assert (order.level, order.text) == ("prompt", "请尽快联系诉求人")


def test_issuing_nothing_or_without_text_is_a_clear_error_that_changes_nothing(client, city):
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    client.force_login(city.supervisor)
    response = client.post(reverse("web:ladder_issue"), {"key": [f"prompt:{ticket.number}"], "text": " "})
    assert response.status_code == 400 and not SupervisionOrder.objects.exists()
    for days in ("abc", "0", "61"):
        response = client.post(reverse("web:ladder_issue"), {"key": [f"prompt:{ticket.number}"], "text": "请办理",
                                                             "working_days": days})
        assert response.status_code == 400 and "1–60 个工作日" in response.content.decode()
    assert not SupervisionOrder.objects.exists()


def test_an_open_step_is_listed_and_closed_with_its_outcome(client, city):
    step = unit_steps.issue(city.supervisor, {"unit": "heating", "level": "interview", "reason": "本月督办 3 件",
                                              "document": "约谈通知"})
    client.force_login(city.supervisor)
    page = client.get(reverse("web:ladder")).content.decode()
    assert "本月督办 3 件" in page and "已逾期" not in page
    with clock.at(step.due_at + timedelta(minutes=1)):
        assert "已逾期" in client.get(reverse("web:ladder")).content.decode()
    empty = client.post(reverse("web:unit_step_close", args=[step.pk]), {"outcome": ""})
    assert empty.status_code == 400 and UnitStep.objects.get().closed_at is None
    done = client.post(reverse("web:unit_step_close", args=[step.pk]), {"outcome": "已建立整改台账"})
    assert done.status_code == 200 and "整改情况并办结" in done.content.decode()
    assert UnitStep.objects.get().outcome == "已建立整改台账"
    assert client.post(reverse("web:unit_step_close", args=[999]), {"outcome": "x"}).status_code == 404


def test_the_notice_pdf_goes_to_the_supervisors_and_the_unit_concerned_only(client, city):
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    step = unit_steps.issue(city.supervisor, {"unit": "heating", "level": "interview", "reason": "超期",
                                              "document": "请到中心说明", "tickets": [ticket.number]})
    url = reverse("web:unit_step_pdf", args=[step.pk])
    for user in (city.supervisor, city.heating_handler):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    client.force_login(city.urban_handler)
    assert client.get(url).status_code == 404
