from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ChannelsConfig(AppConfig):
    name = "jiesu.channels"
    label = "channels"
    verbose_name = pgettext_lazy("app", "市民渠道")
