"""Records of the citizens' channels: each look-up of a ticket by number and query code (for throttling)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiesu.tickets.states import OPEN_STATES


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


class Board(models.Model):
    """A public message board (领导留言板): the mayor's, a county head's, a department's."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("所属单位"))
    is_active = models.BooleanField(_("启用"), default=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("留言板")
        verbose_name_plural = _("留言板")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.name


class BoardMessage(models.Model):
    """A citizen's message to a board: the ticket it became, and what of it may be published after moderation."""

    class State(models.TextChoices):
        PENDING = "pending", _("待审核")
        PUBLISHED = "published", _("已公开")
        HELD = "held", _("不予公开")
        PRIVATE = "private", _("不公开（保护隐私或举报人）")

    # no database constraint: tickets are partitioned by month on PostgreSQL (core.partitions)
    ticket = models.OneToOneField("tickets.Ticket", on_delete=models.PROTECT, db_constraint=False,
                                  related_name="board_message", verbose_name=_("工单"))
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="messages", verbose_name=_("留言板"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    wants_private = models.BooleanField(_("留言人要求不公开"), default=False)
    public_title = models.CharField(_("公开标题"), max_length=60)
    public_content = models.TextField(_("公开内容"))
    reason = models.CharField(_("审核说明"), max_length=200, blank=True)
    moderated_by = models.ForeignKey("org.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    moderated_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    posted_at = models.DateTimeField(_("留言时间"), db_index=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("留言")
        verbose_name_plural = _("留言")
        ordering = ["-posted_at", "-id"]

    def __str__(self) -> str:
        return self.public_title

    @property
    def is_closed(self) -> bool:
        """The ticket has reached an end (its official reply may then be published)."""
        return self.ticket.status not in OPEN_STATES
