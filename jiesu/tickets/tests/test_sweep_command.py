"""The periodic sweep (`jiesu sweep`, and the task it enqueues) also prunes the sign-in audit past its retention."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from jiesu.org.models import SignInAudit
from jiesu.tickets.tasks import sweep_deadlines

pytestmark = pytest.mark.django_db


def _audit(days_ago: int) -> SignInAudit:
    return SignInAudit.objects.create(at=timezone.now() - timedelta(days=days_ago), username="op1",
                                      outcome=SignInAudit.Outcome.FAILURE, channel=SignInAudit.Channel.WEB)


def test_the_sweep_command_prunes_the_sign_in_audit(settings):
    settings.JIESU_SIGNIN_AUDIT_RETENTION_DAYS = 90
    _audit(91)
    kept = _audit(89)
    out = StringIO()
    call_command("sweep", stdout=out)
    assert "删除过期登录记录 1 条" in out.getvalue()
    assert list(SignInAudit.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_sweep_task_prunes_and_reports_the_count(settings):
    settings.JIESU_SIGNIN_AUDIT_RETENTION_DAYS = 90
    _audit(400)
    _audit(1)
    result = sweep_deadlines.call()
    assert result["signins_pruned"] == 1
    assert SignInAudit.objects.count() == 1
