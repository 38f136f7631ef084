"""Monthly partitions on PostgreSQL (tickets, assignments, events) and the references they need undeclared."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from jiesu.core import clock, partitions
from jiesu.core.models import Event
from jiesu.tickets import services
from jiesu.tickets.models import Assignment, Ticket
from jiesu.tickets.partitioning import orphans
from jiesu.tickets.tests.conftest import FIXED_NOW

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite is not partitioned")
PARTITIONED = ("tickets_ticket", "tickets_assignment", "core_event")


def test_no_reference_to_a_partitioned_table_is_a_database_constraint():
    """A foreign key cannot point at a partitioned table: every model pointing at tickets, assignments or events
    says db_constraint=False (docs/dev/decisions/partitioned-tables-and-foreign-keys.md)."""
    declared = [f"{model._meta.label}.{field.name}" for model in apps.get_models()
                for field in [*model._meta.fields, *model._meta.local_many_to_many]
                if field.is_relation and field.related_model is not None
                and field.related_model._meta.db_table in PARTITIONED
                and getattr(field, "db_constraint", getattr(field.remote_field, "db_constraint", True))]
    assert declared == [], f"use db_constraint=False (and keep the reference true in the service): {declared}"


def _loop(city):  # type: ignore[no-untyped-def]
    ticket = services.accept(city.operator, city.ticket_data())
    ticket = services.dispatch(city.dispatcher, ticket, version=ticket.version, lead_unit="heating")
    return services.sign(city.heating_handler, ticket, version=ticket.version)


@on_postgres
def test_the_big_tables_are_partitioned_by_month_and_rows_land_in_their_month(city):
    assert all(partitions.is_partitioned(t) for t in PARTITIONED)
    call_command("partitions", "ensure")  # this month and the next ones
    partitions.ensure(FIXED_NOW.date(), months_ahead=0)  # the lifecycle tests' fixed month
    ticket = _loop(city)
    month = f"p{FIXED_NOW:%Y_%m}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM tickets_ticket WHERE id = %s", [ticket.pk])
        assert cursor.fetchone()[0] == f"tickets_ticket_{month}"
        cursor.execute("SELECT DISTINCT tableoid::regclass::text FROM core_event WHERE subject_id = %s",
                       [str(ticket.pk)])
        assert [r[0] for r in cursor.fetchall()] == [f"core_event_{month}"]
    assert orphans() and not any(orphans().values())


@on_postgres
def test_rows_of_a_month_not_yet_made_wait_in_the_default_partition_and_move_when_it_is(city):
    with clock.at(datetime(2026, 5, 6, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))):
        ticket = services.accept(city.operator, city.ticket_data())
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM tickets_ticket_pdefault WHERE id = %s", [ticket.pk])
        assert cursor.fetchone()[0] == 1
    created = partitions.ensure(date(2026, 11, 1), months_ahead=0)
    assert {"tickets_ticket_p2026_05", "core_event_p2026_05"} <= set(created)
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM tickets_ticket WHERE id = %s", [ticket.pk])
        assert cursor.fetchone()[0] == "tickets_ticket_p2026_05"
    assert Event.objects.filter(subject_id=str(ticket.pk)).count() == 1  # the event moved too, still append-only
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        Event.objects.filter(subject_id=str(ticket.pk)).update(reason="x")


@on_postgres
def test_a_month_begins_at_local_midnight_and_a_number_stays_unique_in_it(city):
    first_day = datetime(2026, 3, 1, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai"))  # still February in UTC
    partitions.ensure(first_day.date(), months_ahead=0, since=first_day.date() - timedelta(days=1))
    with clock.at(first_day):
        ticket = services.accept(city.operator, city.ticket_data())
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM tickets_ticket WHERE id = %s", [ticket.pk])
        assert cursor.fetchone()[0] == "tickets_ticket_p2026_03"
    copy = Ticket.objects.get(pk=ticket.pk)
    copy.pk, copy.idempotency_key = None, None
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save(force_insert=True)


@on_postgres
def test_an_idempotent_retry_across_the_start_of_a_month_returns_the_first_ticket(city):
    partitions.ensure(date(2026, 3, 1), months_ahead=0, since=date(2026, 2, 1))
    with clock.at(datetime(2026, 2, 28, 23, 59, tzinfo=ZoneInfo("Asia/Shanghai"))):
        first, created = services.accept_once(city.operator, city.ticket_data(), idempotency_key="retry-1")
    with clock.at(datetime(2026, 3, 1, 0, 1, tzinfo=ZoneInfo("Asia/Shanghai"))):
        again, created_again = services.accept_once(city.operator, city.ticket_data(), idempotency_key="retry-1")
    assert created and not created_again and again.pk == first.pk


@on_postgres
def test_a_month_can_be_detached_for_archiving_and_attached_again(city):
    partitions.ensure(date(2026, 3, 1), months_ahead=0)
    ticket = _loop(city)
    call_command("partitions", "detach", "--month", "2026-03")
    assert not Ticket.objects.filter(pk=ticket.pk).exists() and not Assignment.objects.filter(ticket=ticket).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM tickets_ticket_p2026_03")  # still there, a table of its own
        assert cursor.fetchone()[0] == 1
    call_command("partitions", "attach", "--month", "2026-03")
    assert Ticket.objects.get(pk=ticket.pk).number == ticket.number


def test_the_command_says_sqlite_needs_nothing(capsys):
    if connection.vendor == "postgresql":
        pytest.skip("about SQLite")
    call_command("partitions", "ensure")
    assert "SQLite" in capsys.readouterr().out
