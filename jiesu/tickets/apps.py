from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class TicketsConfig(AppConfig):
    name = "jiesu.tickets"
    label = "tickets"
    verbose_name = pgettext_lazy("app", "工单")  # the model is 工单 "Ticket"
