"""The append-only event log. Every change of a business record writes exactly one row here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiesu.core import clock


class AppendOnlyError(Exception):
    pass


class Event(models.Model):
    occurred_at = models.DateTimeField(_("时间"), default=clock.now, db_index=True)
    subject_type = models.CharField(_("对象类型"), max_length=40)
    subject_id = models.CharField(_("对象编号"), max_length=64)
    action = models.CharField(_("动作"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("操作人"),
    )
    actor_unit_id = models.BigIntegerField(_("操作人单位"), null=True, blank=True)
    actor_unit_name = models.CharField(_("操作人单位名称"), max_length=120, blank=True)
    actor_role = models.CharField(_("操作角色"), max_length=20, blank=True)
    before = models.JSONField(_("变更前"), default=dict, blank=True)
    after = models.JSONField(_("变更后"), default=dict, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    data = models.JSONField(_("附加数据"), default=dict, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("事件")
        verbose_name_plural = _("事件日志")
        indexes = [models.Index(fields=["subject_type", "subject_id", "id"], name="event_subject_idx")]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.subject_type}:{self.subject_id} {self.action}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise AppendOnlyError("events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise AppendOnlyError("events are append-only")


class RevealLog(models.Model):
    """Every time someone is shown a piece of personal data in full."""

    occurred_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subject_type = models.CharField(_("对象类型"), max_length=40)
    subject_id = models.CharField(_("对象编号"), max_length=64)
    fields = models.JSONField(_("字段"), default=list)
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("个人信息查看记录")
        verbose_name_plural = _("个人信息查看记录")
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="reveal_subject_idx")]

    def __str__(self) -> str:
        return f"{self.user} {self.subject_type}:{self.subject_id}"


class ConfigStamp(models.Model):
    """One row whose token changes with every change of configuration (see ``jiesu.core.process_cache``)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("配置版本")
        verbose_name_plural = _("配置版本")

    def __str__(self) -> str:
        return str(self.token)
