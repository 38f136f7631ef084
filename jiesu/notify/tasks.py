"""Background work of the notify package, through the django-tasks interface (`jiesu worker`)."""

from __future__ import annotations

from dataclasses import asdict

from django_tasks import task

from jiesu.notify import delivery


@task()
def deliver_message(message_id: int) -> str:
    """Sends one outbox message when it is due; safe to run twice (only one run can claim the message)."""
    return delivery.deliver(message_id)


@task()
def deliver_due_messages() -> dict[str, int]:
    """Sends every due message and recovers those a crashed worker left half-done."""
    return asdict(delivery.deliver_due())
