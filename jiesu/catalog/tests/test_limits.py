"""Time limits: the seeded defaults, limit_for specificity, LimitMissing, versioning and validation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from jiesu.catalog import services
from jiesu.catalog.models import Clock, Kind, LimitUnit, TimeLimit, Urgency
from jiesu.catalog.queries import LimitMissing, limit_for
from jiesu.core.errors import ValidationFailed
from jiesu.core.events import events_of
from jiesu.core.process_cache import request_scope

WM, WH, WD, NH = "working_minutes", "working_hours", "working_days", "natural_hours"

# domain.md, "Time limits"; praise (5 days) and extension review (1 day) are this project's choices.
DEFAULTS = [
    (Clock.DISPATCH, "", Urgency.NORMAL, 30, WM),
    (Clock.DISPATCH, "", Urgency.URGENT, 10, WM),
    (Clock.SIGN, "", Urgency.NORMAL, 2, WH),
    (Clock.SIGN, "", Urgency.URGENT, 30, WM),
    (Clock.HANDLE, Kind.CONSULTATION, Urgency.NORMAL, 1, WD),
    (Clock.HANDLE, Kind.HELP, Urgency.NORMAL, 3, WD),
    (Clock.HANDLE, Kind.COMPLAINT, Urgency.NORMAL, 5, WD),
    (Clock.HANDLE, Kind.REPORT, Urgency.NORMAL, 10, WD),
    (Clock.HANDLE, Kind.SUGGESTION, Urgency.NORMAL, 15, WD),
    (Clock.HANDLE, Kind.PRAISE, Urgency.NORMAL, 5, WD),
    (Clock.HANDLE, Kind.COMPLAINT, Urgency.URGENT, 24, NH),
    (Clock.HANDLE, Kind.CONSULTATION, Urgency.URGENT, 24, NH),
    (Clock.RETURN_REVIEW, "", Urgency.NORMAL, 1, WD),
    (Clock.EXTENSION_REVIEW, "", Urgency.NORMAL, 1, WD),
    (Clock.VISIT, "", Urgency.NORMAL, 2, WD),
]


@pytest.mark.parametrize("clock, kind, urgency, amount, unit", DEFAULTS)
def test_seeded_defaults_follow_domain_md(db, clock, kind, urgency, amount, unit):
    spec = limit_for(clock, kind=kind, urgency=urgency)
    assert (spec.amount, spec.unit, spec.warning_share) == (amount, unit, 0.75)


def test_every_clock_has_a_seeded_default_for_every_kind(db):
    for clock in Clock.values:
        for kind in Kind.values:
            for urgency in Urgency.values:
                assert limit_for(clock, kind=kind, urgency=urgency).amount > 0


def test_urgency_beats_category_which_beats_kind(world):
    admin = world.admin
    by_category = services.create_limit(admin, clock=Clock.HANDLE, category=world.mid, amount=2, unit=WD,
                                        valid_from=date(2025, 1, 1))
    by_leaf_and_kind = services.create_limit(admin, clock=Clock.HANDLE, category=world.leaf, kind=Kind.COMPLAINT,
                                             amount=1, unit=WD, valid_from=date(2025, 1, 1))
    assert limit_for(Clock.HANDLE, kind=Kind.HELP, category=world.leaf).limit == by_category
    assert limit_for(Clock.HANDLE, kind=Kind.COMPLAINT, category=world.leaf).limit == by_leaf_and_kind
    assert limit_for(Clock.HANDLE, kind=Kind.COMPLAINT, category=world.other_leaf).limit == by_category
    assert limit_for(Clock.HANDLE, kind=Kind.COMPLAINT, category=world.leaf, urgency=Urgency.URGENT).unit == NH
    assert limit_for(Clock.HANDLE, kind=Kind.COMPLAINT, category=None).amount == 5


def test_limit_missing_when_nothing_applies(db):
    TimeLimit.objects.filter(clock=Clock.VISIT).update(valid_to=date(2001, 1, 1))
    with pytest.raises(LimitMissing) as exc:
        limit_for(Clock.VISIT, kind=Kind.HELP)
    assert (exc.value.status, exc.value.code) == (409, "limit_missing")
    assert "时限" in str(exc.value.message)


def test_change_limit_versions_and_logs(world):
    seeded = TimeLimit.objects.get(limit_key="default-visit")
    changed = services.change_limit(world.admin, seeded, reason="市政府调整回访时限", amount=3,
                                    warning_share=Decimal("0.8"))
    seeded.refresh_from_db()
    assert (seeded.is_current, seeded.amount) == (False, 2)
    assert (changed.version, changed.amount, changed.warning_share) == (2, 3, Decimal("0.80"))
    assert limit_for(Clock.VISIT).warning_share == 0.8
    [event] = events_of("time_limit", "default-visit")
    assert (event.action, event.before["amount"], event.after["amount"]) == ("changed", 2, 3)


def test_retired_limit_no_longer_applies(world):
    special = services.create_limit(world.admin, clock=Clock.HANDLE, category=world.mid, amount=2, unit=WD,
                                    valid_from=date(2025, 1, 1))
    services.retire_limit(world.admin, special, reason="供热季结束")
    assert limit_for(Clock.HANDLE, kind=Kind.HELP, category=world.leaf).amount == 3
    assert [e.action for e in events_of("time_limit", special.limit_key)] == ["created", "retired"]


@pytest.mark.parametrize("bad, field", [
    ({"amount": 0}, "amount"),
    ({"amount": -1}, "amount"),
    ({"warning_share": Decimal("1.2")}, "warning_share"),
    ({"unit": "fortnights"}, "unit"),
    ({"clock": "lunch"}, "clock"),
    ({"valid_from": date(2025, 2, 1), "valid_to": date(2025, 1, 1)}, "valid_to"),
])
def test_invalid_limits_are_refused(world, bad, field):
    values = {"clock": Clock.HANDLE, "category": world.mid, "amount": 2, "unit": LimitUnit.WORKING_DAYS,
              "valid_from": date(2025, 1, 1), **bad}
    before = TimeLimit.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.create_limit(world.admin, **values)
    assert field in exc.value.field_errors
    assert TimeLimit.objects.count() == before


def test_a_second_limit_with_the_same_scope_is_refused(db):
    with pytest.raises(ValidationFailed) as exc:
        services.create_limit(None, clock=Clock.VISIT, amount=5, unit=WD)
    assert "相同适用范围" in exc.value.field_errors["__all__"][0]


def test_limit_for_reads_the_catalogue_once_per_process(world, django_assert_num_queries):
    assert limit_for(Clock.HANDLE, kind=Kind.REPORT, category=world.leaf).amount == 10  # loads the copy
    with django_assert_num_queries(1):  # outside a request: the configuration token only
        assert limit_for(Clock.HANDLE, kind=Kind.REPORT, category=world.leaf).amount == 10
    with request_scope(), django_assert_num_queries(1):  # a request reads the token once
        for _ in range(3):
            assert limit_for(Clock.HANDLE, kind=Kind.REPORT, category=world.leaf).amount == 10
            assert limit_for(Clock.SIGN).amount == 2


def test_a_limit_changed_behind_the_process_applies_at_once(world):
    assert limit_for(Clock.HANDLE, kind=Kind.REPORT, category=world.leaf).amount == 10
    # as another process or the admin would: straight in the database, no model signal in this process
    TimeLimit.objects.filter(is_current=True, clock=Clock.HANDLE, kind=Kind.REPORT).update(amount=12)
    assert limit_for(Clock.HANDLE, kind=Kind.REPORT, category=world.leaf).amount == 12
    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalog_timelimit SET amount = 7 WHERE is_current AND clock = %s AND kind = %s",
                       [Clock.HANDLE, Kind.REPORT])
    assert limit_for(Clock.HANDLE, kind=Kind.REPORT, category=world.leaf).amount == 7


def test_a_change_saved_in_a_request_is_seen_by_that_request(world):
    with request_scope():
        assert limit_for(Clock.SIGN).amount == 2
        row = limit_for(Clock.SIGN).limit
        row = TimeLimit.objects.get(pk=row.pk)
        row.amount = 3
        row.save()
        assert limit_for(Clock.SIGN).amount == 3
