"""The desks and the ticket page through the Django test client: scope, allowed actions, htmx swaps, errors."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jiesu.core.models import RevealLog
from jiesu.tickets import services
from jiesu.tickets.models import Ticket
from jiesu.tickets.states import State
from jiesu.tickets.tests import conftest as lifecycle
from jiesu.tickets.tests.builders import ticket_in_state

pytestmark = pytest.mark.django_db
city = lifecycle.city  # the lifecycle tests' small city, as a fixture here too
fixed_clock = lifecycle.fixed_clock  # autouse: services act on a fixed working Monday
HX = {"HTTP_HX_REQUEST": "true"}


def page(client, user, ticket):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.get(reverse("web:ticket", args=[ticket.number]))


def test_a_handler_cannot_open_another_units_ticket(client, city):
    ticket = ticket_in_state(city, State.ASSIGNED)
    assert page(client, city.heating_handler, ticket).status_code == 200
    hidden = page(client, city.urban_handler, ticket)
    assert hidden.status_code == 404 and "不在您的可见范围内" in hidden.content.decode()
    act = client.post(reverse("web:ticket_act", args=[ticket.number, "sign"]), {}, **HX)
    reveal = client.post(reverse("web:ticket_reveal", args=[ticket.number]), **HX)
    assert act.status_code == 404 and reveal.status_code == 404
    assert Ticket.objects.get(pk=ticket.pk).status == State.ASSIGNED


def test_the_page_offers_only_the_actions_the_user_may_take_now(client, city):
    ticket = ticket_in_state(city, State.ASSIGNED)
    html = page(client, city.heating_handler, ticket).content.decode()
    assert 'id="action-sign"' in html and 'id="action-request_return"' in html
    assert 'id="action-dispatch"' not in html and 'id="action-reply"' not in html
    html = page(client, city.visitor, ticket).content.decode()
    assert "当前没有您可以执行的操作" in html and 'class="action-form' not in html


def test_signing_with_htmx_returns_the_refreshed_page_body(client, city):
    ticket = ticket_in_state(city, State.ASSIGNED)
    client.force_login(city.heating_handler)
    response = client.post(reverse("web:ticket_act", args=[ticket.number, "sign"]),
                           {"version": ticket.version}, **HX)
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<div id="ticket-body"')
    assert "已签收。" in html and 'id="action-reply"' in html and 'id="action-sign"' not in html
    assert 'placeholder="办理经过和结果" maxlength="4000" data-counter></textarea>' in html  # a required field starts empty
    assert Ticket.objects.get(pk=ticket.pk).status == State.IN_PROGRESS


def test_a_validation_error_shows_next_to_its_field_and_changes_nothing(client, city):
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    client.force_login(city.heating_handler)
    response = client.post(reverse("web:ticket_act", args=[ticket.number, "reply"]),
                           {"result": "  ", "basis": "依据"}, **HX)
    html = response.content.decode()
    assert response.status_code == 200 and response["HX-Retarget"] == "#action-reply"
    assert '<div class="field-error">此项不能为空。</div>' in html and "依据" in html
    assert Ticket.objects.get(pk=ticket.pk).status == State.IN_PROGRESS


def test_without_htmx_an_error_rerenders_the_page_and_success_redirects(client, city):
    ticket = ticket_in_state(city, State.VISITING)
    client.force_login(city.visitor)
    url = reverse("web:ticket_act", args=[ticket.number, "visit"])
    failed = client.post(url, {"outcome": "reached"})
    assert failed.status_code == 400 and "接通时须填写此项。" in failed.content.decode()
    done = client.post(url, {"outcome": "reached", "resolution": "resolved", "satisfaction": "satisfied"})
    assert done.status_code == 302 and done["Location"] == reverse("web:ticket", args=[ticket.number])
    assert Ticket.objects.get(pk=ticket.pk).status == State.VISITED


def test_an_edit_on_an_old_version_is_refused_in_chinese(client, city):
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    client.force_login(city.supervisor)
    response = client.post(reverse("web:ticket_act", args=[ticket.number, "urge"]),
                           {"message": "请加快", "version": ticket.version - 1}, **HX)
    assert "工单已被他人修改，请刷新后重试。" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).version == ticket.version


def test_the_requester_is_masked_until_an_audited_reveal(client, city):
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    html = page(client, city.heating_handler, ticket).content.decode()
    assert "13812345678" not in html and "查看完整信息" in html
    response = client.post(reverse("web:ticket_reveal", args=[ticket.number]), **HX)
    assert "13812345678" in response.content.decode() and "本次查看已记录" in response.content.decode()
    assert RevealLog.objects.filter(user=city.heating_handler).count() == 1


def test_a_unit_that_has_not_signed_is_refused_the_full_view_and_told_why(client, city):
    ticket = ticket_in_state(city, State.ASSIGNED)
    html = page(client, city.heating_handler, ticket).content.decode()
    assert "查看完整信息" not in html and "本单位签收后才能查看诉求人的完整信息" in html
    url = reverse("web:ticket_reveal", args=[ticket.number])
    swapped = client.post(url, **HX)
    assert swapped.status_code == 200 and "13812345678" not in swapped.content.decode()
    assert 'role="alert">本单位签收后才能查看诉求人的完整信息' in swapped.content.decode()
    whole = client.post(url)
    assert whole.status_code == 403 and "13812345678" not in whole.content.decode()
    assert not RevealLog.objects.exists()


def test_a_unit_is_refused_the_full_view_while_its_return_is_reviewed(client, city):
    ticket = ticket_in_state(city, State.RETURN_REVIEW)
    html = page(client, city.heating_handler, ticket).content.decode()
    assert "查看完整信息" not in html
    response = client.post(reverse("web:ticket_reveal", args=[ticket.number]))
    assert response.status_code == 403 and "退单申请正在审核或研判" in response.content.decode()
    assert not RevealLog.objects.exists()


def test_an_anonymous_requester_is_not_offered_for_contact(client, city):
    ticket = services.accept(city.operator, city.ticket_data(is_anonymous=True))
    ticket = services.dispatch(city.dispatcher, ticket, lead_unit="heating")
    ticket = services.sign(city.heating_handler, ticket)
    html = page(client, city.heating_handler, ticket).content.decode()
    assert "诉求人信息对您不可见" in html and 'id="action-contact"' not in html and 'id="action-reply"' in html
    assert '<details class="action-form primary" id="action-reply" open data-key="r">' in html  # the next step opens


def test_a_sub_centre_that_passed_the_ticket_down_is_offered_no_unit_work(client, city):
    ticket = services.dispatch(city.dispatcher, services.accept(city.operator, city.ticket_data()), lead_unit="tiexi")
    services.sign(city.subcentre_handler, ticket)
    ticket = services.redispatch(city.subcentre_handler, ticket, lead_unit="renxing", note="请仁兴街道办理")
    ticket = services.sign(city.street_handler, ticket)
    html = page(client, city.subcentre_handler, ticket).content.decode()
    assert "仁兴街道" in html and "查看完整信息" not in html
    for action in ("sign", "contact", "reply", "request_extension", "request_return", "redispatch"):
        assert f'id="action-{action}"' not in html, action
    html = page(client, city.street_handler, ticket).content.decode()
    assert 'id="action-reply"' in html and 'id="action-redispatch"' not in html and "查看完整信息" in html


def test_a_whistleblower_stays_hidden_from_the_unit(client, city):
    ticket = services.accept(city.operator, city.ticket_data(is_whistleblower=True))
    ticket = services.dispatch(city.dispatcher, ticket, lead_unit="heating")
    html = page(client, city.heating_handler, ticket).content.decode()
    assert "举报人，身份保密" in html and "张" not in html.split('id="requester"')[1].split("</section>")[0]
    assert "查看完整信息" not in html


def test_the_page_shows_the_timeline_and_the_assignment_deadline(client, city):
    ticket = ticket_in_state(city, State.REPLIED)
    html = page(client, city.supervisor, ticket).content.decode()
    for text in ("流转记录", "受理", "派单", "签收", "答复", "供热公司", "已处理", 'id="action-review_reply"'):
        assert text in html, text


def test_the_deadlines_are_polled_and_stay_in_scope(client, city):
    ticket = ticket_in_state(city, State.IN_PROGRESS)
    assert 'hx-trigger="every 60s"' in page(client, city.heating_handler, ticket).content.decode()
    clocks = client.get(reverse("web:ticket_clocks", args=[ticket.number]))
    assert clocks.status_code == 200 and "供热公司" in clocks.content.decode()
    client.force_login(city.urban_handler)
    assert client.get(reverse("web:ticket_clocks", args=[ticket.number])).status_code == 404


def test_deadline_marks_appear_in_the_timeline_in_chinese(client, city):
    from datetime import timedelta

    from jiesu.tickets.sweep import sweep

    ticket = ticket_in_state(city, State.ASSIGNED)
    sweep(lifecycle.FIXED_NOW + timedelta(days=2))
    html = page(client, city.supervisor, ticket).content.decode()
    assert "签收超期" in html and "deadline_overdue" not in html


def test_the_adjudicator_sees_both_sides_and_the_catalog_option(client, city):
    ticket = ticket_in_state(city, State.ADJUDICATING)
    html = page(client, city.adjudicator, ticket).content.decode()
    assert "退单理由" in html and "非本单位" in html and "热线中心审核意见" in html
    assert 'name="add_to_catalog"' in html and 'name="legal_basis"' in html


def test_the_follow_up_page_has_a_call_script(client, city):
    ticket = ticket_in_state(city, State.VISITING)
    html = page(client, city.visitor, ticket).content.decode()
    assert "回访话术" in html and "请问您的问题解决了吗" in html and 'id="action-visit"' in html


def test_desks_list_their_queues_with_counts(client, city):
    ticket_in_state(city, State.ASSIGNED)
    ticket_in_state(city, State.RECEIVED)
    client.force_login(city.heating_handler)
    html = client.get(reverse("web:desk", args=["unit"])).content.decode()
    assert 'data-queue="to_sign"' in html and ("剩余" in html or "超期" in html)
    assert html.count('<a href="/tickets/') == 2  # the number and the title of the one ticket to sign
    client.force_login(city.dispatcher)
    html = client.get(reverse("web:desk", args=["dispatch"]) + "?queue=dispatching").content.decode()
    assert "待派单" in html and html.count('<a href="/tickets/') == 2


def test_a_desk_is_closed_to_other_roles(client, city):
    client.force_login(city.heating_handler)
    assert client.get(reverse("web:desk", args=["dispatch"])).status_code == 404
    assert client.get(reverse("web:desk", args=["nonsense"])).status_code == 404


def test_queues_filter_sort_and_page(client, city):
    for n in range(22):
        services.accept(city.operator, city.ticket_data(title=f"暖气不热 {n}"))
    services.accept(city.operator, city.ticket_data(title="路灯不亮", kind="help"))
    client.force_login(city.dispatcher)
    url = reverse("web:desk", args=["dispatch"])
    first = client.get(url).content.decode()
    assert "共 23 件" in first and "第 1 / 2 页" in first
    assert "共 1 件" in client.get(url, {"q": "路灯"}).content.decode()
    assert "共 1 件" in client.get(url, {"kind": "help"}).content.decode()
    assert "没有符合筛选条件的工单" in client.get(url, {"q": "不存在的内容"}).content.decode()
    part = client.get(url, {"part": "list", "sort": "oldest", "page": 2}, **HX).content.decode()
    assert part.lstrip().startswith('<section id="queue-list"') and "暖气不热 21" in part


def test_the_counts_partial_is_polled(client, city):
    ticket_in_state(city, State.RETURN_REVIEW)
    client.force_login(city.dispatcher)
    response = client.get(reverse("web:desk_counts", args=["dispatch"]), {"queue": "return_review"})
    html = response.content.decode()
    assert 'hx-trigger="every 15s"' in html and 'data-queue="return_review"' in html
    assert '<span class="queue-tab-count">1</span>' in html
    stamp = html.split('data-stamp="')[1].split('"')[0]
    same = client.get(reverse("web:desk_counts", args=["dispatch"]), {"queue": "return_review", "stamp": stamp})
    assert same.status_code == 204 and same.content == b""  # nothing changed: nothing to send


def test_home_cards_link_to_the_queues_and_navigation_to_the_desks(client, city):
    ticket_in_state(city, State.ASSIGNED)
    client.force_login(city.heating_handler)
    html = client.get(reverse("web:home")).content.decode()
    assert 'href="/desk/unit/?queue=to_sign"' in html and "后续版本" not in html
    assert 'href="/desk/unit/"' in html and 'href="/desk/dispatch/"' not in html


def test_every_desk_queue_shows_demo_tickets(client, settings):
    import io

    from jiesu.demo.runner import run_demo
    from jiesu.org.models import User
    from jiesu.web.desks import DESKS

    run_demo(io.StringIO())
    accounts = {"dispatch": "dispatcher", "unit": "handler-heating", "supervision": "supervisor",
                "followup": "visitor", "adjudication": "adjudicator"}
    empty = []
    for slug, username in accounts.items():
        client.force_login(User.objects.get(username=username))
        for name in DESKS[slug].queues:
            html = client.get(reverse("web:desk", args=[slug]), {"queue": name}).content.decode()
            if 'href="/tickets/' not in html:
                empty.append((slug, name))
                continue
            number = html.split('href="/tickets/')[1].split("/")[0]
            ticket_page = client.get(reverse("web:ticket", args=[number]))
            assert ticket_page.status_code == 200 and "PydanticUndefined" not in ticket_page.content.decode()
    assert empty == []


def test_a_handler_uploads_an_attachment_and_a_wrong_file_is_explained(client, city):
    from django.core.files.uploadedfile import SimpleUploadedFile

    ticket = ticket_in_state(city, State.IN_PROGRESS)
    client.force_login(city.heating_handler)
    url = reverse("web:ticket_attach", args=[ticket.number])
    bad = client.post(url, {"file": SimpleUploadedFile("a.exe", b"MZ...")}, **HX).content.decode()
    assert "不支持的文件类型" in bad and ticket.attachments.count() == 0
    photo = SimpleUploadedFile("现场.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="image/png")
    html = client.post(url, {"file": photo}, **HX).content.decode()
    assert "现场.png" in html and f"/api/v1/tickets/{ticket.number}/attachments/" in html
    assert "<strong>上传附件</strong>" in page(client, city.heating_handler, ticket).content.decode()  # timeline
    client.force_login(city.urban_handler)
    assert client.post(url, {"file": photo}, **HX).status_code == 404


def test_the_desk_names_follow_the_language_switch(client, city):
    client.force_login(city.heating_handler)
    assert "承办工作台" in client.get(reverse("web:home")).content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Unit workbench" in client.get(reverse("web:home")).content.decode()


def test_a_failed_dispatch_keeps_what_was_chosen(client, city):
    ticket = services.accept(city.operator, city.ticket_data())
    client.force_login(city.dispatcher)
    response = client.post(reverse("web:ticket_act", args=[ticket.number, "dispatch"]),
                           {"lead_unit": "nonsense", "assist_units": ["urban"], "note": "请核实"}, **HX)
    html = response.content.decode()
    assert response["HX-Retarget"] == "#action-dispatch" and 'class="field-error"' in html
    assert '<option value="urban" selected>' in html and "请核实" in html
    assert Ticket.objects.get(pk=ticket.pk).status == State.RECEIVED
