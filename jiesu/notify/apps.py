from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "jiesu.notify"
    label = "notify"
    verbose_name = _("通知")

    def ready(self) -> None:
        from jiesu.core.events import subscribe
        from jiesu.notify.subscriber import on_event

        subscribe(on_event)  # outbox rows are written in the transaction of the event that causes them
