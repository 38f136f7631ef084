"""Call records of the call centre (话单): one row per call offered to a line, written once by an import."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiesu.tickets.states import Satisfaction

DEFAULT_SOURCE = "callcentre"


class Call(models.Model):
    """A call offered to 12345 or a merged sub-line. Never changed after import, except for the ticket link."""

    source = models.CharField(_("来源"), max_length=40, default=DEFAULT_SOURCE,
                              help_text=_("话单来自哪个系统；呼叫编号在同一来源内唯一。"))
    call_id = models.CharField(_("呼叫编号"), max_length=64)
    line = models.ForeignKey("catalog.Channel", on_delete=models.PROTECT, related_name="calls",
                             verbose_name=_("线路"))
    caller = models.CharField(_("主叫号码"), max_length=40, blank=True, db_index=True)
    offered_at = models.DateTimeField(_("呼入时间"), db_index=True)
    answered_at = models.DateTimeField(_("接通时间"), null=True, blank=True, help_text=_("为空：放弃呼叫。"))
    ended_at = models.DateTimeField(_("结束时间"))
    wait_ms = models.PositiveIntegerField(_("等待时长（毫秒）"),
                                          help_text=_("呼入到接通；放弃呼叫为呼入到挂机。"))
    seat = models.CharField(_("坐席"), max_length=40, blank=True, help_text=_("为空：语音系统（IVR）应答。"))
    queue = models.CharField(_("队列"), max_length=60, blank=True)
    survey = models.CharField(_("话务评价"), max_length=20, choices=Satisfaction.choices, blank=True,
                              help_text=_("通话后满意度评价；为空：未评价。"))
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.PROTECT, db_constraint=False, null=True,
                               blank=True, related_name="calls", verbose_name=_("产生的工单"))
    imported_at = models.DateTimeField(_("导入时间"), db_index=True)

    class Meta:
        verbose_name = _("话单")
        verbose_name_plural = _("话单")
        ordering = ["-offered_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["source", "call_id"], name="call_source_call_id_unique")]
        indexes = [models.Index(fields=["ended_at"], name="call_ended_idx")]  # recent calls to link again

    def __str__(self) -> str:
        return f"{self.source}:{self.call_id}"

    @classmethod
    def scope_q(cls, unit_ids: frozenset[int]) -> Q:
        """A call belongs to the centre, not to a unit: no unit's scope holds any."""
        return Q(pk__in=[])

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
