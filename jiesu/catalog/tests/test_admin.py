"""The admin saves through the services: new versions with events, refusals as form errors, no deletes."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from jiesu.catalog import services
from jiesu.catalog.models import Category, Channel, DispatchRule, TimeLimit
from jiesu.core.events import events_of
from jiesu.org.tests.factories import UserFactory


@pytest.fixture
def admin_client(client, world):  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def rule(world):  # type: ignore[no-untyped-def]
    return services.create_rule(world.admin, category=world.mid, region=None, lead_unit=world.units.heating,
                                legal_basis="《吉林省城市供热条例》", valid_from=date(2025, 1, 1))


def _rule_form(world, **overrides):  # type: ignore[no-untyped-def]
    data = {"category": world.mid.pk, "region": "", "lead_unit": world.units.heating.pk, "co_units": [],
            "priority": 0, "legal_basis": "《吉林省城市供热条例》", "source": "", "valid_from": "2025-01-01",
            "valid_to": "", "reason": ""}
    return {**data, **overrides}


def test_admin_change_creates_a_new_version_with_its_event(admin_client, world, rule):
    url = reverse("admin:catalog_dispatchrule_change", args=[rule.pk])
    response = admin_client.post(url, _rule_form(world, lead_unit=world.units.housing.pk, reason="职责划转"))
    assert response.status_code == 302
    rule.refresh_from_db()
    new = DispatchRule.objects.get(rule_key=rule.rule_key, is_current=True)
    assert (rule.is_current, rule.lead_unit, new.version, new.lead_unit) == (False, world.units.heating, 2,
                                                                             world.units.housing)
    assert new.created_by.username == "root"
    assert [e.action for e in events_of("dispatch_rule", rule.rule_key)] == ["created", "changed"]


def test_admin_refusal_is_a_form_error_and_changes_nothing(admin_client, world, rule):
    url = reverse("admin:catalog_dispatchrule_change", args=[rule.pk])
    response = admin_client.post(url, _rule_form(world, valid_to="2024-12-31", reason="试试"))
    assert response.status_code == 200
    assert "失效日期不能早于生效日期" in response.content.decode()
    assert DispatchRule.objects.filter(rule_key=rule.rule_key).count() == 1
    assert len(events_of("dispatch_rule", rule.rule_key)) == 1


def test_admin_add_and_retire(admin_client, world):
    response = admin_client.post(reverse("admin:catalog_dispatchrule_add"),
                                 _rule_form(world, lead_unit=world.units.urban.pk, reason="新增"))
    assert response.status_code == 302
    created = DispatchRule.objects.get(lead_unit=world.units.urban)
    url = reverse("admin:catalog_dispatchrule_change", args=[created.pk])
    response = admin_client.post(url, _rule_form(world, lead_unit=world.units.urban.pk, retire="on", reason="撤销"))
    assert response.status_code == 302
    assert [e.action for e in events_of("dispatch_rule", created.rule_key)] == ["created", "retired"]


def test_admin_shows_history_and_never_deletes(admin_client, world, rule):
    services.change_rule(world.admin, rule, reason="提高优先级", priority=3)
    current = DispatchRule.objects.get(rule_key=rule.rule_key, is_current=True)
    page = admin_client.get(reverse("admin:catalog_dispatchrule_change", args=[current.pk])).content.decode()
    assert "提高优先级" in page and "v1" in page and "v2" in page
    assert "<th>修改人</th>" in page and "版本记录" in page
    admin_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = admin_client.get(reverse("admin:catalog_dispatchrule_change", args=[current.pk])).content.decode()
    assert "Version history" in english and "<th>Version</th>" in english and "修改人" not in english
    old_page = admin_client.get(reverse("admin:catalog_dispatchrule_change", args=[rule.pk]))
    assert 'name="_save"' not in old_page.content.decode()  # superseded versions are read-only
    assert admin_client.get(reverse("admin:catalog_dispatchrule_delete", args=[current.pk])).status_code == 403
    changelist = reverse("admin:catalog_dispatchrule_changelist")
    assert admin_client.get(changelist).context["cl"].result_count == 1  # current versions by default
    assert admin_client.get(changelist + "?versions=all").context["cl"].result_count == 2


def test_admin_time_limit_change_versions(admin_client, world):
    seeded = TimeLimit.objects.get(limit_key="default-handle-help")
    data = {"clock": "handle", "kind": "help", "category": "", "urgency": "", "amount": 4, "unit": "working_days",
            "warning_share": "0.75", "valid_from": "2000-01-01", "valid_to": "", "reason": "市政府文件调整"}
    response = admin_client.post(reverse("admin:catalog_timelimit_change", args=[seeded.pk]), data)
    assert response.status_code == 302
    assert TimeLimit.objects.get(limit_key="default-handle-help", is_current=True).amount == 4
    stale = admin_client.post(reverse("admin:catalog_timelimit_change", args=[seeded.pk]), {**data, "amount": 5})
    assert stale.status_code == 403  # the superseded version is read-only
    assert TimeLimit.objects.filter(limit_key="default-handle-help").count() == 2


def test_admin_category_saves_with_event_and_stops_at_three_levels(admin_client, world):
    url = reverse("admin:catalog_category_add")
    response = admin_client.post(url, {"code": "010103", "name": "供热收费", "parent": world.mid.pk,
                                       "is_active": "on", "sort": 3})
    assert response.status_code == 302
    created = Category.objects.get(code="010103")
    assert (created.level, created.full_name) == (3, "城乡建设 / 供热 / 供热收费")
    assert events_of("category", "010103").get().action == "created"
    too_deep = admin_client.post(url, {"code": "01010301", "name": "第四级", "parent": created.pk, "sort": 0})
    assert too_deep.status_code == 200
    assert "最多三级" in too_deep.content.decode()
    assert not Category.objects.filter(code="01010301").exists()


def test_admin_channel_change_writes_event(admin_client, world):
    board = Channel.objects.get(code="board")
    url = reverse("admin:catalog_channel_change", args=[board.pk])
    response = admin_client.post(url, {"code": "board", "name": "市长留言板", "parent": "", "is_public": "on",
                                       "is_active": "on", "sort": 50})
    assert response.status_code == 302
    assert Channel.objects.get(code="board").name == "市长留言板"
    assert events_of("channel", "board").get().before["name"] == "领导留言板"
