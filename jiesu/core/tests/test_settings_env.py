"""Settings read from the environment: a bad value stops the start with a message that names it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from jiesu.settings import env_fraction


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
