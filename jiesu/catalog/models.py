"""Kinds, urgency, channels, the category taxonomy, the dispatch catalog (派单目录) and time limits.

Dispatch rules and time limits are versioned data: a change never edits a row in place, it adds version n+1 of
the same key and marks the old row as no longer current (see ``services``). The old rows keep their data, so
"which rule sent this ticket there" stays answerable.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    CONSULTATION = "consultation", _("咨询")
    HELP = "help", _("求助")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    SUGGESTION = "suggestion", _("建议")
    PRAISE = "praise", _("表扬")


# A ticket the centre opens itself (未诉先办): not a citizen's kind, so intake never offers it; the tickets
# carry it beside the citizens' kinds, and the figures count it apart (docs/dev/figures.md, "Proactive tasks").
PROACTIVE_TASK = "task"
TICKET_KINDS = [*Kind.choices, (PROACTIVE_TASK, _("主动治理任务"))]


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")


class Clock(models.TextChoices):
    DISPATCH = "dispatch", _("派单")
    SIGN = "sign", _("签收")
    HANDLE = "handle", _("办理")
    RETURN_REVIEW = "return_review", _("退单审核")
    EXTENSION_REVIEW = "extension_review", _("延期审批")
    VISIT = "visit", _("回访")
    RESPONSE = "response", _("响应")  # the unit contacts the requester (响应率); from dispatch


class LimitUnit(models.TextChoices):
    WORKING_MINUTES = "working_minutes", _("工作分钟")
    WORKING_HOURS = "working_hours", _("工作小时")
    WORKING_DAYS = "working_days", _("工作日")
    NATURAL_HOURS = "natural_hours", _("自然小时")


class Channel(models.Model):
    """A way in (受理渠道). Merged hotlines survive as sub-lines (parent = the line they were merged into)."""

    code = models.CharField(_("渠道代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("所属渠道"))
    is_public = models.BooleanField(_("公开渠道"), default=False,
                                    help_text=_("诉求和答复公开展示（如领导留言板），发布前须去除个人信息。"))
    is_active = models.BooleanField(_("启用"), default=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("受理渠道")
        verbose_name_plural = _("受理渠道")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """诉求分类, three levels. ``path`` holds the ancestor codes ("/A/A01/") so subtree lookups are one query."""

    code = models.CharField(_("分类代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    level = models.PositiveSmallIntegerField(_("层级"), validators=[MinValueValidator(1), MaxValueValidator(3)])
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("上级分类"))
    path = models.CharField(_("路径"), max_length=120, db_index=True, editable=False, default="")
    is_active = models.BooleanField(_("启用"), default=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("诉求分类")
        verbose_name_plural = _("诉求分类")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        old_path = self.path
        self.level = self.parent.level + 1 if self.parent_id and self.parent else 1
        self.path = f"{self.parent.path if self.parent else '/'}{self.code}/"
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:  # moved or re-coded: the subtree follows
            for child in Category.objects.filter(parent=self):
                child.save()

    def ancestors(self) -> list[Category]:
        """Parent first, root last."""
        chain: list[Category] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def ancestor_codes_and_self(self) -> list[str]:
        """Codes from the root down to this category, read from ``path`` (no queries)."""
        return [code for code in self.path.split("/") if code] or [self.code]

    @property
    def full_name(self) -> str:
        return " / ".join([*(c.name for c in reversed(self.ancestors())), self.name])


class _Versioned(models.Model):
    """What dispatch rules and time limits share: a version chain, validity dates and who changed it why."""

    version = models.PositiveIntegerField(_("版本"), default=1)
    is_current = models.BooleanField(_("当前版本"), default=True, db_index=True)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True, help_text=_("含当日；留空表示长期有效。"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("修改人"))
    created_at = models.DateTimeField(_("修改时间"), auto_now_add=True)
    change_reason = models.CharField(_("变更原因"), max_length=500, blank=True)

    class Meta:
        abstract = True

    def is_valid_on(self, day) -> bool:  # type: ignore[no-untyped-def]
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def _new_key() -> str:
    return uuid.uuid4().hex


class DispatchRule(_Versioned):
    """One line of the dispatch catalog: category × region → lead unit (+ co-handlers)."""

    rule_key = models.CharField(_("规则标识"), max_length=40, default=_new_key, db_index=True,
                                help_text=_("同一规则各版本共用此标识。"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="dispatch_rules", verbose_name=_("诉求分类"),
                                 help_text=_("留空表示任意分类；一、二级分类包含其下级分类。"))
    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="dispatch_rules", verbose_name=_("行政区划"),
                               help_text=_("留空表示全市；区县包含其街道和社区。"))
    lead_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="lead_dispatch_rules",
                                  verbose_name=_("主办单位"))
    co_units = models.ManyToManyField("org.Unit", blank=True, related_name="co_dispatch_rules",
                                      verbose_name=_("协办单位"))
    priority = models.IntegerField(_("优先级"), default=0, help_text=_("同等具体程度时，数值大者优先。"))
    legal_basis = models.TextField(_("职责依据"))
    source = models.CharField(_("来源"), max_length=120, blank=True,
                              help_text=_("如：三定方案、权责清单、研判定性决定书编号。"))

    class Meta:
        verbose_name = _("派单规则")
        verbose_name_plural = _("派单目录")
        ordering = ["rule_key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["rule_key", "version"], name="dispatch_rule_key_version_unique"),
            models.UniqueConstraint(fields=["rule_key"], condition=models.Q(is_current=True),
                                    name="dispatch_rule_one_current"),
        ]

    def __str__(self) -> str:
        category = self.category.name if self.category is not None else _("任意分类")
        region = self.region.name if self.region is not None else _("全市")
        return f"{category} × {region} → {self.lead_unit} (v{self.version})"


class TimeLimit(_Versioned):
    """How long one clock may run, for a kind / category / urgency (blank = any)."""

    limit_key = models.CharField(_("时限标识"), max_length=40, default=_new_key, db_index=True,
                                 help_text=_("同一时限各版本共用此标识。"))
    clock = models.CharField(_("环节"), max_length=20, choices=Clock.choices)
    kind = models.CharField(_("诉求类型"), max_length=20, choices=Kind.choices, blank=True,
                            help_text=_("留空表示任意类型。"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="time_limits", verbose_name=_("诉求分类"),
                                 help_text=_("留空表示任意分类；一、二级分类包含其下级分类。"))
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, blank=True,
                               help_text=_("留空表示任意紧急程度。"))
    amount = models.PositiveIntegerField(_("时长"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("计时单位"), max_length=20, choices=LimitUnit.choices)
    warning_share = models.DecimalField(_("预警比例"), max_digits=3, decimal_places=2, default=Decimal("0.75"),
                                        validators=[MinValueValidator(Decimal("0.01")),
                                                    MaxValueValidator(Decimal("0.99"))],
                                        help_text=_("用去时限的这一比例时预警，如 0.75。"))

    class Meta:
        verbose_name = pgettext_lazy("model", "办理时限")  # elsewhere 办理时限 is an assignment's reply due time
        verbose_name_plural = pgettext_lazy("model", "办理时限")
        ordering = ["clock", "limit_key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["limit_key", "version"], name="time_limit_key_version_unique"),
            models.UniqueConstraint(fields=["limit_key"], condition=models.Q(is_current=True),
                                    name="time_limit_one_current"),
        ]

    def __str__(self) -> str:
        return f"{self.get_clock_display()} {self.scope_label}: {self.amount} {self.get_unit_display()} (v{self.version})"

    @property
    def scope_label(self) -> str:
        parts = [self.get_kind_display() if self.kind else "",
                 self.category.name if self.category is not None else "",
                 self.get_urgency_display() if self.urgency else ""]
        return "·".join(p for p in parts if p) or str(_("默认"))
