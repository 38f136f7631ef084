"""Records of the citizens' channels: each look-up of a ticket by number and query code (for throttling)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TrackAttempt(models.Model):
    """One look-up on the query page: which number was asked for, from where, and whether the code matched.
    Failures within a window lock the address and the number (`channels.throttle`), so a 6-digit query code
    cannot be guessed."""

    at = models.DateTimeField(_("时间"), db_index=True)
    ip = models.GenericIPAddressField(_("网络地址"), null=True, blank=True)
    number = models.CharField(_("工单编号"), max_length=40, blank=True)
    ok = models.BooleanField(_("查询码正确"), default=False)

    class Meta:
        verbose_name = _("查询记录")
        verbose_name_plural = _("查询记录")
        indexes = [models.Index(fields=["ip", "at"], name="track_ip_at_idx"),
                   models.Index(fields=["number", "at"], name="track_number_at_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.ip} {'ok' if self.ok else 'failed'}"


class PhoneCode(models.Model):
    """A one-time code sent to a mobile to confirm a web request; only its keyed hash is kept."""

    mobile = models.CharField(_("手机号"), max_length=11, db_index=True)
    code_hash = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(_("网络地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("发送时间"), db_index=True)
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("核对次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")

    def __str__(self) -> str:
        return f"{self.mobile[:3]}****{self.mobile[-4:]} {self.created_at:%Y-%m-%d %H:%M}"
