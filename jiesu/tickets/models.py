"""Ticket (工单), its assignments (派单记录), and the records of the loop: replies, visits, pauses, orders."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiesu.catalog.models import TICKET_KINDS, Urgency
from jiesu.tickets.states import (
    AssignmentRole,
    AssignmentStatus,
    ClosingType,
    RejectReason,
    Resolution,
    Satisfaction,
    State,
    VisitOutcome,
)

USER = settings.AUTH_USER_MODEL


class TicketCounter(models.Model):
    """The last sequence number handed out on a day; locked row by row to number tickets without gaps."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"


class Ticket(models.Model):
    number = models.CharField(_("工单编号"), max_length=24, unique=True)
    query_code = models.CharField(_("查询码"), max_length=8)
    status = models.CharField(_("状态"), max_length=20, choices=State.choices, db_index=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    requester_name = models.CharField(_("诉求人姓名"), max_length=60, blank=True)
    requester_phone = models.CharField(_("联系电话"), max_length=40, blank=True, db_index=True)
    is_anonymous = models.BooleanField(_("匿名"), default=False)
    is_whistleblower = models.BooleanField(_("举报人保密"), default=False)

    kind = models.CharField(_("诉求类型"), max_length=20, choices=TICKET_KINDS)
    category = models.ForeignKey("catalog.Category", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="tickets", verbose_name=_("诉求分类"))
    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="tickets", verbose_name=_("行政区划"))
    address = models.CharField(_("详细地址"), max_length=200, blank=True)
    channel = models.ForeignKey("catalog.Channel", on_delete=models.PROTECT, related_name="tickets",
                                verbose_name=_("受理渠道"))
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    title = models.CharField(_("诉求标题"), max_length=200)
    content = models.TextField(_("诉求内容"))

    lead_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="lead_tickets", verbose_name=_("主办单位"))
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, db_constraint=False, null=True, blank=True,
                                    related_name="merged_tickets", verbose_name=_("并入工单"))
    closing_type = models.CharField(_("办结方式"), max_length=20, choices=ClosingType.choices, blank=True)
    answer_text = models.TextField(_("直接答复内容"), blank=True)
    answer_article_id = models.BigIntegerField(_("答复所用知识"), null=True, blank=True)
    reject_reason = models.CharField(_("不予受理原因"), max_length=20, choices=RejectReason.choices, blank=True)
    reject_route = models.CharField(_("告知途径"), max_length=200, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)

    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("受理人"))
    created_at = models.DateTimeField(_("受理时间"), db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    clock_started_at = models.DateTimeField(_("计时起点"))
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    dispatch_due_at = models.DateTimeField(_("派单时限"), null=True, blank=True)
    dispatch_warn_at = models.DateTimeField(null=True, blank=True)
    dispatch_warned_at = models.DateTimeField(null=True, blank=True)
    dispatch_overdue_at = models.DateTimeField(_("派单超时"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("派单时间"), null=True, blank=True)
    visit_due_at = models.DateTimeField(_("回访时限"), null=True, blank=True)
    visit_warn_at = models.DateTimeField(null=True, blank=True)
    visit_warned_at = models.DateTimeField(null=True, blank=True)
    visit_overdue_at = models.DateTimeField(_("回访超时"), null=True, blank=True)
    next_due_at = models.DateTimeField(_("最近期限"), null=True, blank=True, db_index=True)
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("工单")
        verbose_name_plural = _("工单")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_due_at"], name="ticket_status_due_idx"),
            models.Index(fields=["lead_unit", "status"], name="ticket_lead_status_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @classmethod
    def scope_q(cls, unit_ids: frozenset[int]) -> Q:
        return Q(pk__in=Assignment.objects.filter(unit_id__in=unit_ids).values("ticket_id"))

    @property
    def is_open(self) -> bool:
        from jiesu.tickets.states import OPEN_STATES

        return self.status in OPEN_STATES


class Attachment(models.Model):
    class Phase(models.TextChoices):
        BEFORE = "before", _("办理前")
        AFTER = "after", _("办理后")

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, db_constraint=False, related_name="attachments")
    file = models.FileField(_("文件"), upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # a photo of the handling, taken in the field: before or after, where (the photo's GPS, else the device's)
    phase = models.CharField(_("照片类别"), max_length=10, choices=Phase.choices, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    location_source = models.CharField(_("位置来源"), max_length=10, blank=True)  # "exif" or "device"
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.original_name


class Assignment(models.Model):
    """One unit's part in a ticket: lead or assist, with its own clocks. Never deleted; ended instead."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, db_constraint=False, related_name="assignments")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="assignments",
                             verbose_name=_("承办单位"))
    role = models.CharField(_("主协办"), max_length=10, choices=AssignmentRole.choices)
    status = models.CharField(_("状态"), max_length=20, choices=AssignmentStatus.choices, db_index=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, db_constraint=False, null=True, blank=True, related_name="children",
                               verbose_name=_("上级派单"))
    is_current = models.BooleanField(_("当前有效"), default=True, db_index=True)

    dispatched_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    dispatched_at = models.DateTimeField(_("派单时间"))
    note = models.TextField(_("派单说明"), blank=True)
    sign_due_at = models.DateTimeField(_("签收时限"))
    sign_warn_at = models.DateTimeField(null=True, blank=True)
    sign_warned_at = models.DateTimeField(null=True, blank=True)
    sign_overdue_at = models.DateTimeField(_("签收超时"), null=True, blank=True)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    signed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    contacted_at = models.DateTimeField(_("首次联系时间"), null=True, blank=True)
    contact_due_at = models.DateTimeField(_("响应时限"), null=True, blank=True)
    reply_due_at = models.DateTimeField(_("办理时限"), null=True, blank=True)
    reply_warn_at = models.DateTimeField(null=True, blank=True)
    reply_warned_at = models.DateTimeField(null=True, blank=True)
    reply_overdue_at = models.DateTimeField(_("办理超时"), null=True, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    return_reason = models.TextField(_("退单理由"), blank=True)
    return_review_due_at = models.DateTimeField(_("退单审核时限"), null=True, blank=True)
    extension_count = models.PositiveSmallIntegerField(_("延期次数"), default=0)
    extension_requested_days = models.PositiveSmallIntegerField(_("申请延期天数"), null=True, blank=True)
    extension_reason = models.TextField(_("延期理由"), blank=True)
    extension_review_due_at = models.DateTimeField(_("延期审批时限"), null=True, blank=True)
    urge_count = models.PositiveSmallIntegerField(_("催办次数"), default=0)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("派单记录")
        verbose_name_plural = _("派单记录")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["unit", "is_current", "status"], name="assignment_unit_idx"),
            models.Index(fields=["ticket", "is_current"], name="assignment_ticket_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}→{self.unit_id} ({self.role})"

    @classmethod
    def scope_q(cls, unit_ids: frozenset[int]) -> Q:
        return Q(unit_id__in=unit_ids)


class Pause(models.Model):
    """An interval during which an assignment's handling clock stands still."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, db_constraint=False, related_name="pauses")
    reason = models.CharField(_("原因"), max_length=40)
    started_at = models.DateTimeField(_("开始"))
    ended_at = models.DateTimeField(_("结束"), null=True, blank=True)

    class Meta:
        verbose_name = _("计时暂停")
        verbose_name_plural = _("计时暂停")

    def __str__(self) -> str:
        return f"{self.reason} {self.started_at:%Y-%m-%d %H:%M}"


class Reply(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, db_constraint=False, related_name="replies")
    result = models.TextField(_("办理结果"))
    basis = models.TextField(_("答复依据"), blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("答复时间"))
    review_decision = models.CharField(_("审核结论"), max_length=20, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.result[:30]


class Visit(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, db_constraint=False, related_name="visits")
    outcome = models.CharField(_("回访结果"), max_length=20, choices=VisitOutcome.choices)
    resolution = models.CharField(_("解决情况"), max_length=20, choices=Resolution.choices, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=20, choices=Satisfaction.choices, blank=True)
    note = models.TextField(_("回访记录"), blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("回访时间"))

    class Meta:
        verbose_name = _("回访")
        verbose_name_plural = _("回访")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.get_satisfaction_display()}"


class Adjudication(models.Model):
    """A dispute over responsibility sent to the legal-affairs office, and its binding ruling."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, db_constraint=False, related_name="adjudications")
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, db_constraint=False, related_name="adjudications")
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    unit_reason = models.TextField(_("承办单位理由"))
    centre_opinion = models.TextField(_("中心意见"), blank=True)
    decided_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("认定责任单位"))
    legal_basis = models.TextField(_("法律依据"), blank=True)
    refusing_units = models.ManyToManyField("org.Unit", blank=True, related_name="+",
                                            verbose_name=_("推诿单位"))
    added_rule_id = models.BigIntegerField(null=True, blank=True)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("研判定性")
        verbose_name_plural = _("研判定性")

    def __str__(self) -> str:
        return f"研判定性 #{self.pk}"


class SupervisionOrder(models.Model):
    """A supervision step on a ticket: 提示, 预警 or 督办 (the ladder's ticket-level steps), with its deadline."""

    class Level(models.TextChoices):
        PROMPT = "prompt", pgettext_lazy("supervision level", "提示")
        WARNING = "warning", pgettext_lazy("supervision level", "预警")
        ORDER = "order", pgettext_lazy("supervision level", "督办")

    level = models.CharField(_("督办层级"), max_length=10, choices=Level.choices, default=Level.ORDER)
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, db_constraint=False,
                               related_name="supervision_orders")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("督办要求"))
    due_at = models.DateTimeField(_("督办期限"))
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")

    def __str__(self) -> str:
        return f"{self.get_level_display()} #{self.pk}"


class ProactiveTask(models.Model):
    """A task the centre gives a unit (未诉先办): its own ticket of kind ``task``, with a deadline set by the
    centre and the citizens' tickets it answers (``TaskMember``). ``hot_issue_id`` names the hot issue it came
    from (insights sits above tickets, and its issues are regrouped by a rebuild: a number, not a reference)."""

    ticket = models.OneToOneField(Ticket, on_delete=models.PROTECT, db_constraint=False, related_name="task",
                                  verbose_name=_("任务工单"))
    due_at = models.DateTimeField(_("任务期限"))
    hot_issue_id = models.BigIntegerField(_("来源热点"), null=True, blank=True)
    hot_issue_description = models.CharField(_("热点描述"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("主动治理任务")
        verbose_name_plural = _("主动治理任务")

    def __str__(self) -> str:
        return str(self.ticket_id)


class TaskMember(models.Model):
    """A citizen's ticket attached to a task. ``answers``: the task's reply answers it (it was waiting for
    dispatch, or is the task unit's to handle, when attached); the others are attached for reference."""

    task = models.ForeignKey(ProactiveTask, on_delete=models.PROTECT, related_name="members")
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, db_constraint=False, related_name="task_memberships",
                               verbose_name=_("关联工单"))
    answers = models.BooleanField(_("统一答复"), default=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("任务关联工单")
        verbose_name_plural = _("任务关联工单")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["task", "ticket"], name="task_member_unique")]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.ticket_id}"
