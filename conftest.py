"""Shared test set-up: the immediate task backend, and a media folder per run."""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from jiesu.core import clock


@pytest.fixture(autouse=True, scope="session")
def _static_files_as_they_are():  # type: ignore[no-untyped-def]
    """The tests run without DEBUG, where static files have hashed names that exist only after collectstatic
    (seconds, and a folder shared by every run); the tests name and serve them as they are instead. The hashed
    names are tested where they are made, with the real settings: jiesu/web/tests/test_serve.py."""
    from django.conf import settings
    from django.test.utils import override_settings

    as_they_are = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": as_they_are}):
        yield


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _lexical_only(settings, tmp_path, tmp_path_factory):  # type: ignore[no-untyped-def]
    """No sentence encoder unless a test asks for one (encoding is slow; CI never encodes data sets); vectors
    a test does compute go to its own cache folder. Trained models go to one folder per test process, so the
    demo's models are trained once and reused by every test that loads the demo."""
    from jiesu.intelligence import encoder

    settings.ENCODER = "none"
    settings.MODEL_DIR = tmp_path_factory.getbasetemp() / "models"
    settings.ENCODER_CACHE_DIR = tmp_path / "encoder-cache"
    encoder.reset()
    yield
    encoder.reset()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    """The real hasher is slow on purpose (about a second a password here); tests only need it to match."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _demo_without_past_months(settings):  # type: ignore[no-untyped-def]
    """Tests that load the demo city get it without the two replayed past months (half the demo's time); the
    tests of the ranking's demo set ``settings.JIESU_DEMO_PAST_MONTHS = 2`` themselves."""
    settings.JIESU_DEMO_PAST_MONTHS = 0


@pytest.fixture(autouse=True)
def _default_language(settings):  # type: ignore[no-untyped-def]
    """Each test starts in the default language: a request in English leaves the thread's language active."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def pytest_collection_modifyitems(items):  # type: ignore[no-untyped-def]
    """Transactional tests empty every table when they end; restore the data migrations seed
    (channels, time limits, the working calendar) afterwards, so later tests still find it."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and marker.kwargs.get("transaction") and "serialized_rollback" not in marker.kwargs:
            item.add_marker(pytest.mark.django_db(**{**marker.kwargs, "serialized_rollback": True}), append=False)


# --- browser tests: Playwright for Python driving Debian's Chromium, headless -----------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# A working afternoon with calendar data: the pages, the demo and the live server's threads all run at it.
BROWSER_NOW = datetime(2026, 3, 4, 14, 30, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Wednesday
SCREENSHOT_DIR = Path(os.environ.get("JIESU_TEST_OUTPUT", "test-results")) / "screenshots"
HTMX = Path(__file__).parent / "jiesu" / "web" / "static" / "vendor" / "htmx.min.js"


@pytest.fixture
def browser_page(live_server):  # type: ignore[no-untyped-def]
    """A headless Chromium page at 1366×768 whose relative URLs go to the live test server.

    Mark the test ``@pytest.mark.browser`` and ``@pytest.mark.django_db(transaction=True)``."""
    if CHROMIUM is None:
        pytest.skip("browser tests need Chromium: `sudo apt-get install chromium fonts-noto-cjk` (or `make browsers`)")
    if not HTMX.exists():
        pytest.fail("browser tests need the front-end assets: run `make assets` (or `make test`, which builds them)")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN",
                                      base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(20_000)
        # Every browser test also checks the Content-Security-Policy holds: a refused script or style is an error.
        violations: list[str] = []
        page.on("console", lambda msg: violations.append(msg.text)
                if msg.type == "error" and "Content Security Policy" in msg.text else None)
        page.add_init_script("""document.addEventListener("securitypolicyviolation", (e) => console.error(
            "Content Security Policy: " + e.violatedDirective + " at " + e.sourceFile + ":" + e.lineNumber + " "
            + (e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 200) : "")));""")
        page.requested_urls = []  # type: ignore[attr-defined]
        page.on("request", lambda request: page.requested_urls.append(request.url))  # type: ignore[attr-defined]
        try:
            with clock.frozen(BROWSER_NOW):
                yield page
        finally:
            context.close()
            browser.close()
        assert not violations, f"the page broke its Content-Security-Policy: {violations}"


@pytest.fixture
def screenshot(browser_page):  # type: ignore[no-untyped-def]
    """``screenshot("name")`` saves the whole page under test-results/screenshots/ (JIESU_TEST_OUTPUT to move it)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOT_DIR / f"{name}.png"
        browser_page.evaluate("window.scrollTo(0, 0)")  # a scrolled page draws its sticky header mid-picture
        browser_page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def login_as(browser_page, settings):  # type: ignore[no-untyped-def]
    """``login_as("dispatcher")`` signs a demo account in through the login page."""

    def sign_in(username: str, password: str | None = None) -> None:
        browser_page.context.clear_cookies()
        browser_page.goto("/login/")
        browser_page.fill("#id_username", username)
        browser_page.fill("#id_password", password or settings.DEMO_PASSWORD)
        browser_page.press("#id_password", "Enter")
        browser_page.wait_for_url(lambda url: "/login/" not in url)

    return sign_in
