"""The intake screen (受理): registering a call with the action the operator chose, errors in Chinese,
phone history, the suggestion panel (with and without a learned model), pickers."""

from __future__ import annotations

import pytest

from jiesu.core import clock
from jiesu.knowledge import services as kb
from jiesu.knowledge.models import AnswerLog
from jiesu.org.tests.factories import UserFactory
from jiesu.tickets import services
from jiesu.tickets.models import Ticket
from jiesu.tickets.tests import conftest as lifecycle

pytestmark = pytest.mark.django_db
URL = "/intake/"


@pytest.fixture(autouse=True)
def fixed_clock():  # type: ignore[no-untyped-def]
    with clock.at(lifecycle.FIXED_NOW):
        yield


@pytest.fixture
def city(db):  # type: ignore[no-untyped-def]
    """The lifecycle tests' small city (centre staff, heating company, 铁西区 with a street)."""
    return lifecycle.city.__wrapped__(db)


def form(city, **overrides):  # type: ignore[no-untyped-def]
    data = {"requester_phone": "13812345678", "requester_name": "张三", "kind": "complaint",
            "title": "阳光新城小区暖气不热", "content": "家里暖气一直不热，室温只有十二度。", "urgency": "normal",
            "channel": "phone", "address": "阳光新城小区3号楼", "region": city.district.code,
            "category": city.category.code, "disposition": "handover", "idempotency_key": ""}
    return {**data, **overrides}


@pytest.fixture
def operator_client(client, city):  # type: ignore[no-untyped-def]
    client.force_login(city.operator)
    return client


def test_the_page_is_keyboard_ready_and_in_chinese(operator_client):
    html = operator_client.get(URL).content.decode()
    assert "受理" in html and "诉求类型" in html and "告知诉求人的途径" in html
    assert 'data-shortcut="s"' in html and "Alt+S" in html and "autofocus" in html
    assert 'id="id_kind_consultation"' in html and 'aria-keyshortcuts="Alt+1"' in html
    assert 'value="handover"' in html and 'value="dispatch"' not in html  # an operator without dispatcher role


def test_handlers_may_not_open_it(client, city):
    client.force_login(city.heating_handler)
    assert client.get(URL).status_code == 403


def test_the_navigation_shows_intake_to_operators_only(client, city):
    client.force_login(city.operator)
    assert 'href="/intake/"' in client.get("/").content.decode()
    client.force_login(city.heating_handler)
    assert 'href="/intake/"' not in client.get("/").content.decode()


def test_registering_a_complaint_hands_it_over_for_dispatch(operator_client, city):
    response = operator_client.post(URL, form(city, is_anonymous="on"))
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.status == "dispatching" and ticket.region == city.district and ticket.category == city.category
    assert ticket.is_anonymous and not ticket.is_whistleblower and ticket.requester_phone == "13812345678"
    page = operator_client.get(response["Location"]).content.decode()
    assert ticket.number in page and "待派单" in page


def test_the_same_form_submitted_twice_makes_one_ticket(operator_client, city):
    operator_client.post(URL, form(city, idempotency_key="k1"))
    operator_client.post(URL, form(city, idempotency_key="k1"))
    assert Ticket.objects.count() == 1


def test_missing_fields_are_explained_next_to_them_in_chinese_and_nothing_is_saved(operator_client, city):
    response = operator_client.post(URL, form(city, title="", content=""))
    html = response.content.decode()
    assert response.status_code == 400 and Ticket.objects.count() == 0
    assert html.count("此项不能为空") == 2 and "field-error" in html
    assert 'value="13812345678"' in html and "家里" not in html  # what was typed stays
    html = operator_client.post(URL, form(city, kind="")).content.decode()
    assert "请选择诉求类型。" in html and Ticket.objects.count() == 0


def test_a_failing_action_leaves_no_half_saved_ticket(operator_client, city):
    response = operator_client.post(URL, form(city, disposition="reject", **{
        "reject-reason": "emergency", "reject-route": "已转接"}))
    html = response.content.decode()
    assert response.status_code == 400 and Ticket.objects.count() == 0
    assert "紧急警情须注明转接的 110/119/120/122" in html


def test_rejecting_with_a_route(operator_client, city):
    operator_client.post(URL, form(city, disposition="reject", **{
        "reject-reason": "emergency", "reject-route": "已转接 120 急救", "reject-transferred_to": "120"}))
    ticket = Ticket.objects.get()
    assert ticket.status == "rejected" and ticket.reject_reason == "emergency" and "120" in ticket.reject_route


def test_merging_into_an_open_ticket(operator_client, city):
    earlier = services.accept(city.operator, city.ticket_data())
    operator_client.post(URL, form(city, disposition="merge", **{"merge-into": earlier.number}))
    ticket = Ticket.objects.exclude(pk=earlier.pk).get()
    assert ticket.status == "merged" and ticket.merged_into == earlier


def test_merging_into_an_unknown_number_is_an_error_at_the_field(operator_client, city):
    response = operator_client.post(URL, form(city, disposition="merge", **{"merge-into": "19990101-9999"}))
    assert response.status_code == 400 and Ticket.objects.count() == 0
    assert "不存在" in response.content.decode()


def test_a_dispatcher_dispatches_at_intake(client, city):
    both = UserFactory(username="opdisp", role=["operator", "dispatcher"], unit=city.centre, scope="city")
    client.force_login(both)
    assert 'value="dispatch"' in client.get(URL).content.decode()
    client.post(URL, form(city, disposition="dispatch", **{"dispatch-lead_unit": "heating"}))
    ticket = Ticket.objects.get()
    assert ticket.status == "assigned" and ticket.lead_unit == city.heating


def test_the_suggested_unit_is_preselected_for_a_dispatcher(client, city, monkeypatch):
    from jiesu.intelligence import suggest

    monkeypatch.setattr(suggest, "suggest_for_draft", lambda user, draft: _suggestions(city, learned=False))
    client.force_login(UserFactory(username="opdisp", role=["operator", "dispatcher"], unit=city.centre,
                                   scope="city"))
    html = client.post("/intake/suggest/", {"title": "暖气不热"}).content.decode()
    assert 'data-first-unit="heating"' in html
    response = client.post(URL, form(city, disposition="dispatch", title=""))  # an error: the page comes back
    assert response.status_code == 400
    assert '<option value="heating" selected>' in response.content.decode()


def test_answering_a_consultation_directly(operator_client, city):
    operator_client.post(URL, form(city, kind="consultation", title="供暖期是哪天", disposition="answer",
                                   **{"answer-answer": "每年10月25日至次年4月5日。"}))
    ticket = Ticket.objects.get()
    assert ticket.status == "closed" and ticket.answer_text.startswith("每年10月25日")


def _published_article(city):  # type: ignore[no-untyped-def]
    version = kb.create_draft(city.heating_handler, unit=city.heating, kind="policy", title="城市低保标准",
                              body_html="<p>四平市城市低保标准为每人每月710元。</p>")
    kb.submit(city.heating_handler, version)
    return kb.publish(city.supervisor, version).article


def test_answering_with_a_knowledge_article_closes_the_ticket_with_the_article_recorded(operator_client, city):
    article = _published_article(city)
    panel = operator_client.post("/intake/suggest/", {"title": "低保标准是多少", "kind": "consultation"})
    assert f'data-use-article="{article.pk}"' in panel.content.decode()
    operator_client.post(URL, form(city, kind="consultation", title="低保标准是多少", content="问城市低保标准",
                                   disposition="answer", **{"answer-article_id": str(article.pk)}))
    ticket = Ticket.objects.get()
    assert ticket.status == "closed" and ticket.answer_article_id == article.pk and "710" in ticket.answer_text
    assert AnswerLog.objects.filter(ticket_id=ticket.pk, article=article, channel="intake").exists()


def test_answering_with_an_article_that_does_not_exist_is_an_error_and_saves_nothing(operator_client, city):
    response = operator_client.post(URL, form(city, kind="consultation", title="低保标准是多少", disposition="answer",
                                              **{"answer-article_id": "999999"}))
    assert response.status_code == 400 and "所选知识不存在。" in response.content.decode()
    assert not Ticket.objects.exists()


def test_the_phone_history_lists_earlier_tickets_from_the_number(operator_client, city):
    earlier = services.accept(city.operator, city.ticket_data(requester_phone="13900001111"))
    html = operator_client.post("/intake/history/", {"requester_phone": "13900001111"}).content.decode()
    assert earlier.number in html and "历史工单" in html
    html = operator_client.post("/intake/history/", {"requester_phone": "13700000000"}).content.decode()
    assert "没有历史工单" in html


def test_the_learned_slot_is_hidden_without_an_active_model(operator_client, city):
    html = operator_client.post("/intake/suggest/", {"title": "暖气不热", "content": "室温低"}).content.decode()
    assert "sg-learned" not in html and "智能推荐" not in html
    assert "派单建议" in html


def _suggestions(city, *, learned: bool):  # type: ignore[no-untyped-def]
    from datetime import datetime

    from jiesu.intelligence import suggest
    from jiesu.intelligence.duplicates import MergeCandidate

    model = [suggest.CategorySuggestion(city.category.code, "城乡建设 / 供热", 0.91, "model")] if learned else []
    units = [suggest.UnitOption(city.heating.pk, "heating", "供热公司", "catalog", "派单目录：供热 × 全市", 0.75)]
    if learned:
        units.append(suggest.UnitOption(city.urban.pk, "urban", "城管局", "model", "模型 0.62", 0.62))
    merge = [MergeCandidate("20260302-0001", "阳光新城暖气不热", "办理中", datetime(2026, 3, 2, 8),
                            "铁西区", 0.93, "同一地点、同类问题，3 天内")]
    return suggest.Suggestions(place=None, categories=model, units=units, learned_available=learned,
                               merge_candidates=merge, similar_cases=[], requester_history=[])


@pytest.mark.parametrize("learned", [True, False])
def test_the_learned_slot_follows_the_suggestion_service(operator_client, city, monkeypatch, learned):
    from jiesu.intelligence import suggest

    monkeypatch.setattr(suggest, "suggest_for_draft", lambda user, draft: _suggestions(city, learned=learned))
    html = operator_client.post("/intake/suggest/", {"title": "暖气不热"}).content.decode()
    assert ("sg-learned" in html) is learned and ("智能推荐" in html) is learned
    assert ("91%" in html and "模型 0.62" in html and "城管局" in html) is learned
    assert "供热公司" in html and "派单目录：供热 × 全市" in html  # the catalog part shows either way
    assert 'data-use-merge="20260302-0001"' in html and "同一地点、同类问题，3 天内" in html
    assert "智能建议暂不可用" not in html


def test_a_failing_suggestion_service_falls_back_to_the_catalog(operator_client, city, monkeypatch):
    from jiesu.intelligence import suggest

    def broken(user, draft):  # type: ignore[no-untyped-def]
        raise RuntimeError("index not built")

    monkeypatch.setattr(suggest, "suggest_for_draft", broken)
    html = operator_client.post("/intake/suggest/", {"title": "暖气不热"}).content.decode()
    assert "派单建议" in html and "智能建议暂不可用" in html and "sg-learned" not in html


def test_the_region_picker_cascades(operator_client, city):
    html = operator_client.get(f"/intake/picker/region/?code={city.district.code}").content.decode()
    assert f'value="{city.district.code}" selected' in html and "铁西区" in html
    response = operator_client.get(f"/intake/picker/category/?code={city.category.code}")
    html = response.content.decode()
    assert response["HX-Trigger"] == "intake-changed"  # a suggestion taken over refreshes the panel
    assert f'name="category" id="id_category" value="{city.category.code}"' in html
    assert operator_client.get("/intake/picker/nothing/").status_code == 404


def test_the_category_is_found_by_a_word_or_its_path(operator_client, city):
    def search(text):  # type: ignore[no-untyped-def]
        return operator_client.get("/intake/picker/category/", {"category_search": text},
                                   HTTP_HX_TRIGGER_NAME="category_search").content.decode()

    assert f'name="category" id="id_category" value="{city.category.code}"' in search("供热")
    assert f'id="id_category" value="{city.category.code}"' in search("城乡建设 / 供热") and "按“城乡建设 / 供热”找到" in search("城乡建设 / 供热")
    missed = search("火星")
    assert "没有找到含“火星”的分类" in missed and 'id="id_category" value=""' in missed


@pytest.mark.parametrize("url", ["/intake/suggest/", "/intake/history/"])
def test_the_look_ups_carrying_personal_data_refuse_a_query_string(operator_client, url):
    """The caller's phone, name and words never travel in a URL (access logs, proxies): GET is refused."""
    response = operator_client.get(url, {"requester_phone": "13900001111", "title": "暖气不热"})
    assert response.status_code == 405


@pytest.mark.parametrize("url", ["/intake/suggest/", "/intake/history/"])
def test_the_look_ups_need_the_csrf_token_in_a_header(city, url):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(city.operator)
    page = browser.get(URL)
    token = page.cookies["csrftoken"].value
    assert browser.post(url, {"requester_phone": "13900001111"}).status_code == 403
    response = browser.post(url, {"requester_phone": "13900001111", "title": "暖气不热"},
                            headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert response.status_code == 200
