"""The outbox (通知发件箱): every SMS and e-mail as a row, written in the transaction of the event that causes it,
with each delivery attempt kept; the units' contacts; per-ticket preferences; admin-edited message templates."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiesu.core import clock


class Channel(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")


class Audience(models.TextChoices):
    REQUESTER = "requester", _("诉求人")
    UNIT = "unit", _("承办单位联系人")


class Status(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    CANCELLED = "cancelled", _("未发送")


class OutboxMessage(models.Model):
    """One message to one recipient. ``body`` is what is sent; ``preview`` is what staff see (secrets such as the
    query code and one-time codes replaced); a secret-bearing body is overwritten with the preview once sent."""

    created_at = models.DateTimeField(_("生成时间"), default=clock.now, db_index=True)
    # not a database constraint: events are partitioned by month on PostgreSQL (core.partitions)
    event = models.ForeignKey("core.Event", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              db_constraint=False, verbose_name=_("触发事件"))
    ticket_id = models.BigIntegerField(_("工单"), null=True, blank=True, db_index=True)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("单位"))
    audience = models.CharField(_("接收方"), max_length=12, choices=Audience.choices)
    channel = models.CharField(_("方式"), max_length=8, choices=Channel.choices)
    template = models.CharField(_("模板"), max_length=40)
    recipient = models.CharField(_("接收地址"), max_length=254)
    recipient_masked = models.CharField(_("接收地址（脱敏）"), max_length=254)
    subject = models.CharField(_("标题"), max_length=200, blank=True)
    body = models.TextField(_("内容"))
    preview = models.TextField(_("内容（脱敏）"))
    params = models.JSONField(_("模板参数"), default=dict, blank=True)  # for providers with registered templates
    has_secret = models.BooleanField(default=False)
    bypass_quiet_hours = models.BooleanField(_("不受免打扰时段限制"), default=False)
    dedupe_key = models.CharField(max_length=200, unique=True)

    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次发送"), null=True, blank=True)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)  # a one-time code is useless later
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    provider_id = models.CharField(_("服务商回执编号"), max_length=100, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    cancel_reason = models.CharField(_("未发送原因"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知发件箱")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
            models.Index(fields=["ticket_id", "id"], name="outbox_ticket_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {self.recipient_masked} ({self.status})"


class DeliveryAttempt(models.Model):
    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="delivery_attempts")
    started_at = models.DateTimeField(_("开始"))
    finished_at = models.DateTimeField(_("结束"), null=True, blank=True)
    ok = models.BooleanField(_("成功"), default=False)
    gateway = models.CharField(_("通道"), max_length=40)
    provider_id = models.CharField(max_length=100, blank=True)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.message_id} {'ok' if self.ok else self.error[:40]}"


class UnitContact(models.Model):
    """Who at a unit is told of new tickets, supervision and deadline warnings (by SMS and/or e-mail)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="notify_contacts",
                             verbose_name=_("单位"))
    name = models.CharField(_("姓名"), max_length=40)
    mobile = models.CharField(_("手机号"), max_length=20, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    new_tickets = models.BooleanField(_("新派工单"), default=True)
    warnings = models.BooleanField(_("预警、超期、催办、督办"), default=True)
    is_active = models.BooleanField(_("有效"), default=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    class Meta:
        verbose_name = _("单位通知联系人")
        verbose_name_plural = _("单位通知联系人")
        constraints = [models.CheckConstraint(condition=~Q(mobile="", email=""), name="unitcontact_has_address")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.name}"


class TicketPreference(models.Model):
    """The requester's choices for one ticket: stop messages (退订), and an e-mail address given online."""

    ticket_id = models.BigIntegerField(unique=True)
    opted_out_at = models.DateTimeField(_("退订时间"), null=True, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)

    class Meta:
        verbose_name = _("工单通知设置")
        verbose_name_plural = _("工单通知设置")

    def __str__(self) -> str:
        return f"ticket {self.ticket_id}"


class MessageTemplate(models.Model):
    """An admin's wording of a message (overrides the built-in text of `jiesu.notify.templates`), and the code
    of the template registered with the SMS provider."""

    key = models.CharField(_("模板"), max_length=40)
    channel = models.CharField(_("方式"), max_length=8, choices=Channel.choices)
    subject = models.CharField(_("标题（邮件）"), max_length=200, blank=True)
    text = models.TextField(_("内容"), help_text=_("用 ${number}、${query_code} 等占位符，可用的占位符见内置模板。"))
    provider_template_code = models.CharField(_("服务商模板编号"), max_length=40, blank=True,
                                              help_text=_("短信服务商处报备的模板编号，如阿里云 SMS_123456789。"))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("通知模板")
        verbose_name_plural = _("通知模板")
        constraints = [models.UniqueConstraint(fields=["key", "channel"], name="messagetemplate_key_channel")]

    def __str__(self) -> str:
        return f"{self.key} ({self.channel})"
