import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from jiesu.core.events import record_event
from jiesu.core.models import AppendOnlyError, Event


@pytest.mark.django_db(transaction=True)
def test_event_is_written_only_inside_a_transaction():
    with pytest.raises(RuntimeError):
        record_event(subject_type="t", subject_id=1, action="x")
    assert not Event.objects.exists()
    with transaction.atomic():
        event = record_event(subject_type="t", subject_id=1, action="x", after={"a": 1})
    assert Event.objects.get(pk=event.pk).after == {"a": 1}


@pytest.mark.django_db(transaction=True)
def test_events_cannot_be_changed_or_deleted_even_in_sql():
    with transaction.atomic():
        event = record_event(subject_type="t", subject_id=1, action="x")
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    statements = ["UPDATE core_event SET action = 'y'"]
    if connection.vendor == "postgresql":
        statements.append("DELETE FROM core_event")
    for sql in statements:
        with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert Event.objects.get(pk=event.pk).action == "x"
