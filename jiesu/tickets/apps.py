from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class TicketsConfig(AppConfig):
    name = "jiesu.tickets"
    label = "tickets"
    verbose_name = pgettext_lazy("app", "工单")  # the model is 工单 "Ticket"

    def ready(self) -> None:
        from jiesu.core import partitions

        # partitioned by month on PostgreSQL (migration 0003); `jiesu partitions ensure` creates months ahead
        partitions.register("tickets_ticket", "created_at", unique_per_partition=(("number",), ("idempotency_key",)))
        partitions.register("tickets_assignment", "dispatched_at")
