from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "jiesu.tickets"
    label = "tickets"
    verbose_name = "工单"
