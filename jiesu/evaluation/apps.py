from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class EvaluationConfig(AppConfig):
    name = "jiesu.evaluation"
    label = "evaluation"
    verbose_name = pgettext_lazy("app", "考核评价")

    def ready(self) -> None:
        from jiesu.evaluation import (  # noqa: F401  built-in figures
            definitions,
            definitions_calls,
            definitions_ladder,
            definitions_tasks,
        )
        from jiesu.evaluation.services import close_last_month
        from jiesu.tickets.sweep import register_job

        register_job("ranking_closed", close_last_month)
