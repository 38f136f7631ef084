"""Settings read from the environment: a bad value stops the start with a message that names it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from jiesu.settings import env_fraction, env_positive_int


def test_a_fraction_is_read_and_unset_means_the_default(monkeypatch):
    monkeypatch.setenv("JIESU_TEST_FRACTION", " 0.4 ")
    assert env_fraction("JIESU_TEST_FRACTION") == 0.4
    monkeypatch.setenv("JIESU_TEST_FRACTION", "")
    assert env_fraction("JIESU_TEST_FRACTION") is None
    monkeypatch.delenv("JIESU_TEST_FRACTION")
    assert env_fraction("JIESU_TEST_FRACTION") is None


@pytest.mark.parametrize("raw", ["abc", "1.5", "-0.1", "nan"])
def test_anything_else_is_refused_with_its_name(monkeypatch, raw):
    monkeypatch.setenv("JIESU_TEST_FRACTION", raw)
    with pytest.raises(ImproperlyConfigured, match="JIESU_TEST_FRACTION"):
        env_fraction("JIESU_TEST_FRACTION")


def test_a_positive_whole_number_is_read_and_anything_else_refused(monkeypatch):
    """How JIESU_ATTACHMENT_MAX_BYTES (documented in docs/api.md) and JIESU_MAX_BODY_BYTES are read."""
    monkeypatch.setenv("JIESU_TEST_BYTES", " 2048 ")
    assert env_positive_int("JIESU_TEST_BYTES", 7) == 2048
    monkeypatch.delenv("JIESU_TEST_BYTES")
    assert env_positive_int("JIESU_TEST_BYTES", 7) == 7
    for raw in ["ten", "0", "-5", "1.5"]:
        monkeypatch.setenv("JIESU_TEST_BYTES", raw)
        with pytest.raises(ImproperlyConfigured, match="JIESU_TEST_BYTES"):
            env_positive_int("JIESU_TEST_BYTES", 7)


def test_the_attachment_limit_is_a_setting_the_code_reads(settings):
    from jiesu.tickets.attachments import max_bytes

    assert settings.JIESU_ATTACHMENT_MAX_BYTES == 10 * 1024 * 1024
    settings.JIESU_ATTACHMENT_MAX_BYTES = 4096
    assert max_bytes() == 4096
