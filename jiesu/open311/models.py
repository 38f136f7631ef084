"""A request filed through Open311 GeoReport v2: the ticket it became and what Open311 carries that a ticket
does not (coordinates, the client's device and account ids, a media link). Only these tickets are listed by
``GET requests``: the hotline's other tickets were not given for publication."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Open311Request(models.Model):
    # no database constraint: tickets are partitioned by month on PostgreSQL (core.partitions)
    ticket = models.OneToOneField("tickets.Ticket", on_delete=models.PROTECT, db_constraint=False,
                                  related_name="open311", verbose_name=_("工单"))
    service_code = models.CharField(_("服务代码"), max_length=32)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    address_string = models.CharField(_("地址"), max_length=200, blank=True)
    device_id = models.CharField(_("设备标识"), max_length=100, blank=True)
    account_id = models.CharField(_("客户端账号"), max_length=100, blank=True)
    media_url = models.URLField(_("图片链接"), max_length=500, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("提交方"))
    filed_at = models.DateTimeField(_("提交时间"), db_index=True)

    class Meta:
        verbose_name = _("Open311 请求")
        verbose_name_plural = _("Open311 请求")
        ordering = ["-filed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.service_code} → {self.ticket_id}"
