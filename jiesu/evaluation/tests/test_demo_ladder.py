"""The demo city's ladder: an interview past its deadline (offered 问责) and one closed, twice-run safe."""

from __future__ import annotations

import io

import pytest

from jiesu.demo.runner import run_demo
from jiesu.evaluation import ladder
from jiesu.evaluation.models import UnitStep
from jiesu.org.models import User
from jiesu.tickets.tests.conftest import fixed_clock  # noqa: F401  (autouse fixture, reused)

pytestmark = pytest.mark.django_db
STEPS = ["jiesu.org.demo", "jiesu.catalog.demo", "jiesu.notify.demo", "jiesu.tickets.demo",
         "jiesu.evaluation.demo_ladder"]


def test_the_demo_shows_an_overdue_interview_and_a_closed_one(settings):
    settings.DEMO_PASSWORD = "demo-password-for-tests"
    run_demo(io.StringIO(), steps=STEPS)
    run_demo(io.StringIO(), steps=STEPS[-1:])
    assert UnitStep.objects.count() == 2 and UnitStep.objects.filter(closed_at__isnull=False).count() == 1
    for step in UnitStep.objects.all():
        assert step.reason.startswith("（演示数据）")
        assert all(t.created_at < step.issued_at for t in step.tickets.all())
    offered = {c.unit.code: c.step for c in ladder.unit_candidates(User.objects.get(username="supervisor"))}
    assert offered.get("urban") == "accountability"
