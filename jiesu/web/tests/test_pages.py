import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from jiesu.org.tests.factories import TEST_PASSWORD, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEMO_PASSWORD = "demo-password-for-tests"
    call_command("demo", stdout=io.StringIO())


def test_the_login_page_is_in_chinese(client):
    html = client.get(reverse("web:login")).content.decode()
    assert "用户名" in html and "密码" in html and "登录" in html
    assert "vendor/htmx.min.js" in html and "jiesu/app.css" in html
    assert "演示账号" not in html


def test_a_wrong_password_is_explained_in_chinese(client):
    UserFactory(username="zhou")
    response = client.post(reverse("web:login"), {"username": "zhou", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_the_login_page_lists_the_demo_accounts_when_the_demo_is_loaded(client, demo):
    html = client.get(reverse("web:login")).content.decode()
    assert "演示账号" in html and "handler-heating" in html and "demo-password-for-tests" in html


def test_the_home_page_needs_a_login(client):
    response = client.get(reverse("web:home"))
    assert response.status_code == 302 and reverse("web:login") in response["Location"]


def test_a_demo_handler_logs_in_and_sees_their_unit_and_role_card(client, demo):
    response = client.post(reverse("web:login"), {"username": "handler-heating",
                                                  "password": "demo-password-for-tests"}, follow=True)
    html = response.content.decode()
    assert "四平市供热公司" in html and "承办人" in html and "待签收" in html
    assert "督办员" not in html and "管理后台" not in html


def test_a_user_with_several_roles_gets_a_card_for_each(client):
    centre = UnitFactory(name="热线中心")
    user = UserFactory(role=["operator", "dispatcher"], unit=centre, scope="city")
    client.force_login(user)
    html = client.get(reverse("web:home")).content.decode()
    assert "role-operator" in html and "role-dispatcher" in html and "role-handler" not in html
    assert "待派单" in html and "全市" in html


def test_a_user_without_roles_is_told_whom_to_ask(client):
    client.force_login(UserFactory())
    assert "请联系系统管理员" in client.get(reverse("web:home")).content.decode()


def test_the_admin_sees_the_admin_link_and_opens_the_admin_in_chinese(client, demo):
    assert client.login(username="admin", password="demo-password-for-tests")
    html = client.get(reverse("web:home")).content.decode()
    assert 'href="/admin/"' in html and "role-admin" in html
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "接诉 · 12345 热线管理后台" in response.content.decode() and "承办单位" in response.content.decode()


@pytest.mark.parametrize("path", ["/admin/org/unit/", "/admin/org/user/", "/admin/org/region/",
                                  "/admin/org/unit/?q=供热", "/admin/org/region/?q=伊通"])
def test_admin_lists_open_for_the_demo_admin(client, demo, path):
    client.login(username="admin", password="demo-password-for-tests")
    response = client.get(path)
    assert response.status_code == 200


def test_the_language_switch_changes_the_admin_to_english(client, demo):
    client.login(username="admin", password="demo-password-for-tests")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Site administration" in client.get("/admin/").content.decode() or \
        "Log out" in client.get("/admin/").content.decode()


def test_logout_returns_to_the_login_page(client):
    user = UserFactory()
    client.login(username=user.username, password=TEST_PASSWORD)
    response = client.post(reverse("web:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("web:login")


def test_an_english_browser_still_gets_chinese_until_the_user_switches(client):
    html = client.get(reverse("web:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-Hans"' in html and "用户名" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert 'lang="en"' in client.get(reverse("web:login")).content.decode()


def test_the_home_page_speaks_english_after_the_switch(client):
    user = UserFactory(role="handler", unit=UnitFactory(name="四平市供热公司"))
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(reverse("web:home")).content.decode()
    assert "My roles" in html and "To sign for" in html and "Handler" in html and "Log out" in html


def test_admins_see_the_working_calendar_warning_and_handlers_do_not(client, monkeypatch):
    worktime = pytest.importorskip("jiesu.worktime.queries")
    monkeypatch.setattr(worktime, "missing_year_problem", lambda today: ("warning", "尚未录入明年的工作日历（测试）"))
    centre = UnitFactory()
    client.force_login(UserFactory(role="admin", unit=centre, scope="city", is_staff=True))
    assert "尚未录入明年的工作日历（测试）" in client.get(reverse("web:home")).content.decode()
    client.force_login(UserFactory(role="handler", unit=centre))
    assert "尚未录入明年的工作日历（测试）" not in client.get(reverse("web:home")).content.decode()


def test_only_the_most_specific_navigation_link_is_current(client):
    from jiesu.core.permissions import Role
    from jiesu.org.tests.factories import MembershipFactory

    unit = UnitFactory()
    user = UserFactory(username="kb-editor")
    MembershipFactory(user=user, unit=unit, role=Role.SUPERVISOR)
    client.login(username="kb-editor", password=TEST_PASSWORD)
    html = client.get(reverse("knowledge:review")).content.decode()
    current = [line for line in html.splitlines() if 'aria-current="page"' in line]
    assert len(current) == 1 and reverse("knowledge:review") in current[0]
