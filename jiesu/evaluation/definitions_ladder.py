"""The ladder's unit-level figures: 约谈 and 问责 issued, counted on the day issued, for the unit concerned."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jiesu.evaluation.facts import event_source, register_source
from jiesu.evaluation.models import UnitStep
from jiesu.evaluation.registry import COUNT, Figure, Part, register
from jiesu.evaluation.unit_steps import SUBJECT

SOURCE = "unit_steps"


def _issued(level: str) -> Part:
    return Part(lambda: UnitStep.objects.filter(level=level), "id", at="issued_at", unit="unit_id")


register_source(event_source(SOURCE, SUBJECT))
register(Figure("interviews", _("约谈"), "supervision", COUNT, (_issued(UnitStep.Level.INTERVIEW),), source=SOURCE,
                description=_("督办五步中对单位的约谈"), higher_is_better=False, order=6, drill_down=False))
register(Figure("accountability", _("问责"), "supervision", COUNT, (_issued(UnitStep.Level.ACCOUNTABILITY),),
                source=SOURCE, description=_("督办五步中对单位的问责建议"), higher_is_better=False, order=7,
                drill_down=False))
