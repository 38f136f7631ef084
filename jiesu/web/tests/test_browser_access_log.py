"""The production server's access log of an operator's intake, in a real browser against `jiesu serve` (gunicorn,
its own access-log format): a caller looked up by phone, the suggestions, the history, a ticket filed with a name
and a phone — and no phone number, name, address or complaint text in any line it logged (issue 14, item 8)."""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from playwright.sync_api import expect

from jiesu.demo.runner import run_demo
from jiesu.org.models import User
from jiesu.tickets.models import Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[3]
NAME, ADDRESS = "欧阳秀英", "铁西区仁兴街道阳光新城小区7号楼4单元"
SLOW = 30_000  # ms: one gunicorn worker on a machine the test shares with the browser
TITLE, CONTENT = "阳光新城七号楼暖气不热", "七号楼四单元暖气两个星期不热，老人晚上冻得睡不着。"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(tmp_path: Path) -> str:
    """The server process reads the test's own database: PostgreSQL's test database, or for SQLite (in memory in
    tests) a file copy of it, copied back when the server has stopped."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}@{db['HOST'] or '127.0.0.1'}:" \
               f"{db['PORT'] or 5432}/{db['NAME']}"
    connection.ensure_connection()
    copy = sqlite3.connect(tmp_path / "server.sqlite3")
    connection.connection.backup(copy)
    copy.close()
    return f"sqlite:///{tmp_path / 'server.sqlite3'}"


def _start_server(tmp_path: Path, port: int) -> subprocess.Popen:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("JIESU_")},
           "JIESU_DATABASE_URL": _database_url(tmp_path), "JIESU_VAR_DIR": str(tmp_path / "var"),
           "JIESU_MODEL_DIR": str(settings.MODEL_DIR), "JIESU_MEDIA_ROOT": str(settings.MEDIA_ROOT),
           "JIESU_ENCODER": "none", "JIESU_WARM_UP": "0", "PYTHONPATH": str(ROOT),
           # the console gateway prints each text message (with its number) on standard output, by design
           "JIESU_SMS_BACKEND": "file"}
    return subprocess.Popen(
        [sys.executable, "-m", "jiesu.cli", "serve", "--port", str(port), "--workers", "1", "--threads", "4",
         "--access-log", str(tmp_path / "access.log")],
        env=env, cwd=tmp_path, stdout=(tmp_path / "server.log").open("wb"), stderr=subprocess.STDOUT,
        start_new_session=True)


def _stop_server(process: subprocess.Popen, tmp_path: Path) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=60)
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(tmp_path / "server.sqlite3")
        copy.backup(connection.connection)
        copy.close()


def _wait_until_up(page, base: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 120
    while True:
        try:
            if page.request.get(f"{base}/api/v1/health").ok:
                return
        except Exception:  # noqa: BLE001 — not listening yet
            pass
        if time.monotonic() > deadline:
            pytest.fail("jiesu serve did not answer within two minutes")
        time.sleep(0.5)


def _forms_of(text: str) -> set[str]:
    """A value as it could appear in a log line: as typed, percent-encoded, or its UTF-8 bytes read as Latin-1
    (how gunicorn decodes a path)."""
    return {text, quote(text), quote(text, safe=""), text.encode().decode("latin-1")}


def _an_intake_through_the_browser(page, base: str, phone: str) -> str:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/login/")
    page.fill("#id_username", "operator")
    page.fill("#id_password", settings.DEMO_PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(lambda url: "/login/" not in url)
    page.goto(f"{base}/intake/")
    page.keyboard.type(phone)
    page.keyboard.press("Tab")  # leaving the phone looks the caller up: the history of this number
    expect(page.locator("#phone-history")).to_contain_text("该号码的历史工单", timeout=SLOW)
    page.keyboard.type(NAME)
    page.keyboard.press("Alt+3")  # 投诉
    page.keyboard.press("Alt+T")
    page.keyboard.type(TITLE)
    page.keyboard.press("Tab")
    page.keyboard.type(CONTENT)
    page.keyboard.press("Alt+A")
    page.keyboard.type(ADDRESS)
    expect(page.locator("#id_region")).to_have_value(re.compile(r"^220302"), timeout=SLOW)
    page.keyboard.press("Alt+K")  # the category by a word
    page.keyboard.type("暖气")
    page.keyboard.press("Enter")
    expect(page.locator("#id_category")).to_have_value(re.compile(r"^\w{6}$"), timeout=SLOW)
    page.wait_for_selector("#sg-catalog .btn-use")  # the suggestions for these words
    page.keyboard.press("Alt+S")
    page.wait_for_selector("#done-number")
    return page.inner_text("#done-number")


def _a_password_the_server_can_check(settings, username: str) -> None:  # type: ignore[no-untyped-def]
    """The tests hash with MD5 (conftest); the server process has the real hashers only."""
    settings.PASSWORD_HASHERS = [*settings.PASSWORD_HASHERS, "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    User.objects.filter(username=username).update(
        password=make_password(settings.DEMO_PASSWORD, hasher="pbkdf2_sha256"))


def test_the_access_log_of_an_intake_holds_no_personal_data(browser_page, tmp_path, settings):
    run_demo(io.StringIO())
    _a_password_the_server_can_check(settings, "operator")
    earlier = Ticket.objects.exclude(requester_phone="").order_by("id").first()
    phone = earlier.requester_phone  # a caller the demo city already knows: the history has something to show
    port = _free_port()
    process = _start_server(tmp_path, port)
    try:
        _wait_until_up(browser_page, f"http://127.0.0.1:{port}")
        number = _an_intake_through_the_browser(browser_page, f"http://127.0.0.1:{port}", phone)
    finally:
        _stop_server(process, tmp_path)
    ticket = Ticket.objects.get(number=number)
    assert (ticket.requester_phone, ticket.requester_name, ticket.title) == (phone, NAME, TITLE)
    access = (tmp_path / "access.log").read_text(encoding="utf-8", errors="replace")
    logged = access + (tmp_path / "server.log").read_text(encoding="utf-8", errors="replace")
    for request in ("POST /login/", "POST /intake/history/", "POST /intake/suggest/", "POST /intake/"):
        assert re.search(rf'"{request}" [23]\d\d ', access), f"{request} not in the access log: {access}"
    for personal in (phone, NAME, ADDRESS, "7号楼4单元", TITLE, CONTENT, "老人晚上", earlier.title,
                     "csrfmiddlewaretoken"):
        for form in _forms_of(personal):
            assert form not in logged, f"logged: {personal!r}"
