from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "jiesu.api"
    label = "api"
    verbose_name = _("接口")

    def ready(self) -> None:
        from jiesu.api.tokens import user_for_token
        from jiesu.open311.keys import register_checker

        register_checker(user_for_token)  # Open311's api_key is an API token
