"""The login page in a real browser: a demo account signs in and lands on its role's home page."""

from __future__ import annotations

import pytest

from jiesu.org.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_operator_signs_in_and_sees_the_home_page(browser_page, login_as, screenshot):
    UserFactory(username="op1", role="operator")
    browser_page.goto("/login/")
    assert "登录" in browser_page.content()
    screenshot("login")
    login_as("op1", TEST_PASSWORD)
    assert browser_page.locator("body").inner_text().count("退出") >= 1
    screenshot("home-operator")


def test_wrong_password_shows_the_error_in_chinese(browser_page):
    UserFactory(username="op2", role="operator")
    browser_page.goto("/login/")
    browser_page.fill("#id_username", "op2")
    browser_page.fill("#id_password", "wrong")
    browser_page.press("#id_password", "Enter")
    assert "用户名或密码不正确" in browser_page.locator("body").inner_text()
