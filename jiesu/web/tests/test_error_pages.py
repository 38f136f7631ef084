"""Error pages: 403 and 404 in the workbench for staff and in the public shell for citizens, 500 plain and
without the database; Chinese by default, through the translation catalogues otherwise; a refused request
is logged in one line, without a traceback."""

from __future__ import annotations

import logging

import pytest
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from jiesu.tickets.tests import conftest as lifecycle
from jiesu.web.errors import error_template, is_public_request

city = lifecycle.city
STAFF_WORDS = ("工单", "承办单位", "退出登录", "sidenav")
BAD_ARTICLE = "/ask/987654/"


@pytest.fixture
def operator_client(client, city):  # type: ignore[no-untyped-def]
    client.force_login(city.operator)
    return client


@pytest.mark.django_db
def test_a_page_the_operator_may_not_open_is_a_403_in_chinese_in_the_workbench(operator_client, city):
    response = operator_client.get("/kb/figures/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "没有权限" in html and "您没有查看此页面的权限。" in html
    assert 'class="sidenav"' in html and 'href="/intake/"' in html  # the operator's own navigation
    assert "退出登录" in html and "Forbidden" not in html


@pytest.mark.django_db
def test_a_bad_public_article_is_a_public_404_without_staff_wording(client):
    response = client.get(BAD_ARTICLE)
    html = response.content.decode()
    assert response.status_code == 404
    assert "kb-public" in html and "找不到该页面" in html and 'href="/ask/"' in html
    assert not [word for word in STAFF_WORDS if word in html]


@pytest.mark.django_db
def test_a_signed_in_member_of_staff_on_a_public_page_also_gets_the_public_404(operator_client):
    html = operator_client.get(BAD_ARTICLE).content.decode()
    assert "kb-public" in html and "sidenav" not in html


@pytest.mark.django_db
def test_staff_get_the_workbench_404(operator_client):
    response = operator_client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "找不到该页面" in html and 'class="sidenav"' in html and "不在您的岗位可以打开的范围内" in html
    assert "承办单位只能" not in html and "/desk/dispatch/" in html  # the centre's staff: their desks, no unit rule


@pytest.mark.django_db
def test_a_visitor_not_signed_in_gets_the_public_404_anywhere(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "kb-public" in response.content.decode()


@pytest.mark.django_db
def test_the_layout_is_chosen_by_the_path_or_by_signing_in(city):
    factory = RequestFactory()
    request = factory.get(BAD_ARTICLE)
    request.user = city.operator
    assert is_public_request(request) and error_template(request, 404) == "web/errors/public_404.html"
    request = factory.get("/tickets/X/")
    request.user = city.operator
    assert not is_public_request(request) and error_template(request, 403) == "403.html"
    request = factory.get("/tickets/X/")
    assert is_public_request(request)  # no user at all: a citizen's page


def fake_english(monkeypatch, entries: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """English entries for a few messages, as if the catalogue had them."""
    catalogue = translation.trans_real.translation("en")
    real = catalogue.gettext
    monkeypatch.setattr(catalogue, "gettext", lambda message: entries.get(message) or real(message))


@pytest.mark.django_db
def test_the_403_page_follows_the_language_switch(operator_client, monkeypatch):
    fake_english(monkeypatch, {"没有权限": "No permission",
                               "您没有查看此页面的权限。": "You may not open this page."})
    operator_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = operator_client.get("/kb/figures/").content.decode()
    assert '<html lang="en">' in html and "No permission" in html and "You may not open this page." in html
    assert "您没有查看此页面的权限" not in html


@pytest.mark.django_db
def test_the_public_404_follows_the_language_switch(client, monkeypatch):
    fake_english(monkeypatch, {"找不到该页面": "Page not found"})
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(BAD_ARTICLE).content.decode()
    assert "Page not found" in html and "找不到该页面" not in html


def test_the_500_page_renders_without_the_database_or_a_request_context(settings):
    """No database marker: a query here would fail the test."""
    settings.DEBUG = False
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "系统出错" in html and "请稍后刷新页面重试" in html and "/static/jiesu/app.css" in html
    assert '<html lang="zh-Hans">' in html


def test_the_500_page_in_english_mode(settings, monkeypatch):
    settings.DEBUG = False
    fake_english(monkeypatch, {"系统出错": "Something went wrong"})
    with translation.override("en"):
        html = server_error(RequestFactory().get("/")).content.decode()
    assert '<html lang="en">' in html and "Something went wrong" in html and "系统出错" not in html


@pytest.mark.urls("jiesu.web.tests.failing_urls")
def test_a_failing_view_shows_the_500_page_and_logs_the_traceback(client, settings, caplog):
    settings.DEBUG = False
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/fail/")
    assert response.status_code == 500 and "系统出错" in response.content.decode()
    assert any(r.exc_info and "a bug" in str(r.exc_info[1]) for r in caplog.records)


@pytest.mark.django_db
def test_a_refused_page_is_logged_in_one_line_without_a_traceback(operator_client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert operator_client.get("/kb/figures/").status_code == 403
    refused = [r for r in caplog.records if r.name == "django.request"]
    assert refused and refused[0].levelno == logging.WARNING and "/kb/figures/" in refused[0].getMessage()
    assert all(r.exc_info is None for r in refused) and "Traceback" not in caplog.text
