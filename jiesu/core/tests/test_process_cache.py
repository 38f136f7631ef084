"""The configuration token: triggers on every watched table, changed by any write to them, not by tickets."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from jiesu.core import process_cache
from jiesu.core.process_cache import cached, current_token, missing_triggers, request_scope, watched_tables

pytestmark = pytest.mark.django_db


def test_every_watched_table_has_its_trigger():
    assert {"worktime_calendarday", "catalog_timelimit", "catalog_category", "org_unit"} <= set(watched_tables())
    assert missing_triggers() == []


def test_a_write_to_configuration_changes_the_token_and_a_rollback_restores_it():
    before = current_token()
    with pytest.raises(RuntimeError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE catalog_channel SET sort = sort")  # as another process or raw SQL would
        assert current_token() != before
        raise RuntimeError("roll back")
    assert current_token() == before


def test_a_lost_trigger_is_put_back_by_install_triggers():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute('DROP TRIGGER "catalog_channel_touch_config" ON catalog_channel')
        else:
            cursor.execute('DROP TRIGGER "catalog_channel_touch_config_update"')
    assert missing_triggers() == ["catalog_channel"]
    process_cache.install_triggers()
    assert missing_triggers() == []


def test_copies_are_loaded_again_only_when_the_token_changed(django_assert_num_queries):
    loads = []
    assert cached("test.copy", lambda: loads.append(1) or len(loads)) == 1
    assert cached("test.copy", lambda: loads.append(1) or len(loads)) == 1
    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalog_channel SET sort = sort")
    assert cached("test.copy", lambda: loads.append(1) or len(loads)) == 2
    with request_scope(), django_assert_num_queries(1):
        for _ in range(5):
            cached("test.copy", lambda: loads.append(1) or len(loads))
    assert len(loads) == 2
