"""jiesu index rebuild: backfills the merge-candidate index (tickets accepted without it are found after)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from jiesu.core import clock
from jiesu.intelligence.duplicates import merge_candidates
from jiesu.intelligence.signature_models import DuplicateKey, TicketSignature
from jiesu.intelligence.tests.world import FIXED_NOW, accept, world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_rebuild_indexes_every_ticket_and_reports_progress(world, capsys):  # noqa: F811
    with clock.at(FIXED_NOW - timedelta(days=1)):
        tickets = [accept(world, title=f"{what}暖气不热", content=f"{what}暖气不热，室温只有十二度，请尽快处理。")
                   for what in ("阳光新城小区", "北二小区", "育才小区")]
    assert TicketSignature.objects.count() == 3  # written by the accepting transaction itself
    TicketSignature.objects.all().delete()  # as if imported without the index
    DuplicateKey.objects.all().delete()
    DuplicateKey.objects.create(key=1, ticket_id=tickets[0].pk, created_at=FIXED_NOW)  # a stale row goes
    with clock.at(FIXED_NOW):
        call_command("index", "rebuild", "--batch", "2")
        found = merge_candidates(world.operator, {"title": tickets[2].title, "content": tickets[2].content})
    assert TicketSignature.objects.count() == 3 and not DuplicateKey.objects.filter(key=1).exists()
    assert found[0].number == tickets[2].number
    out, err = capsys.readouterr()
    assert "3 张工单" in out and "3/3" in err


def test_rebuild_of_recent_days_keeps_older_signatures(world):  # noqa: F811
    with clock.at(FIXED_NOW - timedelta(days=10)):
        old = accept(world)
    with clock.at(FIXED_NOW):
        new = accept(world)
        call_command("index", "rebuild")
        TicketSignature.objects.filter(ticket=new).delete()
        call_command("index", "rebuild", "--days", "2")
    assert set(TicketSignature.objects.values_list("ticket_id", flat=True)) == {old.pk, new.pk}


def test_bad_arguments_are_refused_in_chinese(world):  # noqa: F811
    with pytest.raises(CommandError, match="须为正整数"):
        call_command("index", "rebuild", "--days", "0")
