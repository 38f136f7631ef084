"""A production start (JIESU_ENV=production) refuses debug pages, a weak secret key, open or empty hosts,
cookies over plain http and no HSTS; with good settings `jiesu check --deploy` reports nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError

from jiesu.core.security_checks import loopback, production_settings_check, weak_secret_key

ROOT = Path(__file__).resolve().parents[3]
STRONG_KEY = "k3Jx9-vQ2mZ8pLw7rT5yN4bH6cF1dS0aG_eU-iO9pA8sD7fG6hJ5kL4zX3cV2bN1mQ"
UNSAFE = {"JIESU_PRODUCTION": True, "DEBUG": True, "SECRET_KEY": "changeme", "ALLOWED_HOSTS": ["*"],
          "SESSION_COOKIE_SECURE": False, "CSRF_COOKIE_SECURE": False, "SECURE_HSTS_SECONDS": 0}


def test_every_unsafe_production_setting_is_an_error_naming_its_variable(settings):
    for name, value in UNSAFE.items():
        setattr(settings, name, value)
    errors = production_settings_check()
    assert [e.id for e in errors] == ["jiesu.E001", "jiesu.E002", "jiesu.E003", "jiesu.E004", "jiesu.E005"]
    assert all(e.hint and "JIESU_" in e.hint for e in errors)


def test_outside_production_nothing_is_refused(settings):
    for name, value in UNSAFE.items():
        setattr(settings, name, value)
    settings.JIESU_PRODUCTION = False
    assert production_settings_check() == []


@pytest.mark.parametrize("key", ["changeme", "django-insecure-" + "x" * 60, "a" * 80, "short-but-random-9f8e7d"])
def test_weak_keys_are_recognised(key):
    assert weak_secret_key(key)


def test_a_long_random_key_is_not_weak():
    assert not weak_secret_key(STRONG_KEY)


def test_serve_refuses_to_start_in_production_with_debug(settings, monkeypatch):
    settings.JIESU_PRODUCTION, settings.DEBUG = True, True
    monkeypatch.setattr("jiesu.web.management.commands.serve.run", lambda options: pytest.fail("started"))
    with pytest.raises(SystemCheckError, match="jiesu.E001"):
        call_command("serve")


def test_debug_pages_are_served_on_loopback_only(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setattr("jiesu.web.management.commands.serve.run", lambda options: pytest.fail("started"))
    with pytest.raises(CommandError, match="0.0.0.0"):
        call_command("serve", "--host", "0.0.0.0", "--dev")
    assert loopback("127.0.0.1") and loopback("[::1]") and loopback("localhost") and not loopback("10.0.0.5")


def _check_deploy(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    # the production process's environment: no JIESU_* of the test run, and not the async-unsafe switch a
    # browser test in the same worker sets for Playwright (Django refuses it in deployment: async.E001)
    clean = {k: v for k, v in os.environ.items()
             if (not k.startswith("JIESU_") or k == "JIESU_DATABASE_URL") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run([sys.executable, "-m", "jiesu.cli", "check", "--deploy", "--fail-level", "WARNING"],
                          env={**clean, "PYTHONPATH": str(ROOT), "JIESU_VAR_DIR": str(tmp_path), **env},
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    result = _check_deploy(tmp_path, JIESU_ENV="production", JIESU_ALLOWED_HOSTS="hotline.example.gov.cn",
                           JIESU_SECRET_KEY=STRONG_KEY)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_refuses_the_defaults_a_careless_start_has(tmp_path):
    result = _check_deploy(tmp_path, JIESU_ENV="production", JIESU_SECRET_KEY="changeme", JIESU_DEBUG="1")
    assert result.returncode != 0
    for code in ("jiesu.E001", "jiesu.E002", "jiesu.E003"):
        assert code in result.stderr


def test_an_unknown_environment_name_is_refused_not_taken_for_development(tmp_path):
    # what systemd's EnvironmentFile passes for `JIESU_ENV=production  # a comment`: the comment is in the value
    result = _check_deploy(tmp_path, JIESU_ENV="production  # secure defaults", JIESU_SECRET_KEY=STRONG_KEY,
                           JIESU_ALLOWED_HOSTS="hotline.example.gov.cn")
    assert result.returncode != 0
    assert "JIESU_ENV must be production or development" in result.stderr
