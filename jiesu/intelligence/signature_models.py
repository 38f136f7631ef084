"""The tables behind merge candidates: one signature row per ticket and its lookup keys (see signatures.py).

Filled when a ticket is accepted (after the commit) and by ``jiesu index rebuild``; read by duplicates.py.
They hold no personal data beyond what the ticket row has: hashes of the text, its region and time.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketSignature(models.Model):
    ticket = models.OneToOneField("tickets.Ticket", on_delete=models.CASCADE, primary_key=True, db_constraint=False,
                                  related_name="signature", verbose_name=_("工单"))
    created_at = models.DateTimeField(_("受理时间"))
    region_id = models.BigIntegerField(_("行政区划"), null=True, blank=True)
    length = models.PositiveIntegerField(_("文本长度"))
    minhash = models.BinaryField(_("MinHash 签名"))

    class Meta:
        verbose_name = _("工单文本签名")
        verbose_name_plural = _("工单文本签名")
        indexes = [models.Index(fields=["region_id", "created_at"], name="ticketsig_region_time_idx")]

    def __str__(self) -> str:
        return f"signature of {self.ticket_id}"


class DuplicateKey(models.Model):
    """One lookup key of a ticket's text (a piece of it, or a MinHash band)."""

    key = models.BigIntegerField()
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("查重索引键")
        verbose_name_plural = _("查重索引键")
        indexes = [models.Index(fields=["key", "created_at"], name="dupkey_key_time_idx")]

    def __str__(self) -> str:
        return str(self.key)
