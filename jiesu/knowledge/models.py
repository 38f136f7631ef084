"""Knowledge articles (知识) with every version kept, benefit standards, and the log of answers given."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ArticleKind(models.TextChoices):
    POLICY = "policy", _("政策")
    GUIDE = "guide", _("办事指南")
    FAQ = "faq", _("常见问答")
    REPLY = "reply", _("答复范例")


# Written for staff and never served to citizens (the answer page, the widget, article pages, voice, chat and
# POST /api/v1/answer): reply templates and case examples (答复范例) tell one caller's case — "the pipe has
# been repaired" — which reads as a false promise to anyone else. Operators still use them at intake.
STAFF_ONLY_KINDS = frozenset({ArticleKind.REPLY})


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("未发布")
    PUBLISHED = "published", _("已发布")
    ARCHIVED = "archived", _("已归档")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    PUBLISHED = "published", _("已发布")
    ARCHIVED = "archived", _("已归档")
    REJECTED = "rejected", _("已退回")


class Article(models.Model):
    """The stable identity of a piece of knowledge; its text lives in versions."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="articles",
                             verbose_name=_("主管单位"))
    kind = models.CharField(_("类型"), max_length=10, choices=ArticleKind.choices)
    category = models.ForeignKey("catalog.Category", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="articles", verbose_name=_("诉求分类"))
    regions = models.ManyToManyField("org.Region", blank=True, related_name="articles",
                                     verbose_name=_("适用区划"), help_text=_("留空表示全市适用。"))
    status = models.CharField(_("状态"), max_length=10, choices=ArticleStatus.choices,
                              default=ArticleStatus.DRAFT, db_index=True)
    current = models.ForeignKey("ArticleVersion", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("现行版本"))
    external_key = models.CharField(_("外部编号"), max_length=64, blank=True, db_index=True,
                                    help_text=_("导入时用来识别同一条知识。"))
    source_ticket_id = models.BigIntegerField(_("来源工单"), null=True, blank=True)
    hits = models.PositiveIntegerField(_("使用次数"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # Moves whenever the published text changes, so every process can bring its search index up to date.
    index_changed_at = models.DateTimeField(_("索引更新时间"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("知识")
        verbose_name_plural = _("知识")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.current.title if self.current_id and self.current else f"知识 #{self.pk}"

    @classmethod
    def scope_q(cls, unit_ids: frozenset[int]) -> Q:
        return Q(unit_id__in=unit_ids)


class ArticleVersion(models.Model):
    """One version of an article's text; immutable once submitted (services enforce it)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions",
                                verbose_name=_("知识"))
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(_("状态"), max_length=10, choices=VersionStatus.choices,
                              default=VersionStatus.DRAFT, db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    body_html = models.TextField(_("正文"))
    body_text = models.TextField(_("正文（纯文本）"), editable=False)
    legal_basis = models.TextField(_("政策依据"), blank=True)
    source_document = models.CharField(_("来源文件"), max_length=300, blank=True)
    valid_from = models.DateField(_("生效日期"), null=True, blank=True)
    valid_to = models.DateField(_("失效日期"), null=True, blank=True, help_text=_("含当日；留空表示长期有效。"))
    keywords = models.JSONField(_("关键词"), default=list, blank=True)
    questions = models.JSONField(_("相似问法"), default=list, blank=True)
    conditions = models.JSONField(_("享受条件"), default=list, blank=True,
                                  help_text=_("政策找人：[{\"field\": \"age\", \"op\": \">=\", \"value\": 80}]"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("编写人"))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("审核人"))
    review_note = models.CharField(_("审核意见"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("知识版本")
        verbose_name_plural = _("知识版本")
        ordering = ["article_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="article_version_unique")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"

    def valid_on(self, day) -> bool:  # type: ignore[no-untyped-def]
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class BenefitStandard(models.Model):
    """A named amount conditions compare with (e.g. dibao_urban = 710 元/月), per region and period."""

    code = models.CharField(_("标准代码"), max_length=40, db_index=True)
    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey("org.Region", on_delete=models.PROTECT, null=True, blank=True,
                               verbose_name=_("适用区划"), help_text=_("留空表示全市。"))
    amount = models.DecimalField(_("金额（元/月）"), max_digits=10, decimal_places=2)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    source = models.CharField(_("依据"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("保障标准")
        verbose_name_plural = _("保障标准")
        ordering = ["code", "-valid_from"]

    def __str__(self) -> str:
        return f"{self.name} {self.amount} 元/月"


class AnswerChannel(models.TextChoices):
    INTAKE = "intake", _("话务员答复")
    PUBLIC = "public", _("网站问答")
    WIDGET = "widget", _("问答小窗")
    VOICE = "voice", _("语音")
    CHAT = "chat", _("在线客服")


class AnswerLog(models.Model):
    """Every attempt to answer from the knowledge base, answered or handed to a person."""

    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    channel = models.CharField(_("渠道"), max_length=10, choices=AnswerChannel.choices)
    question = models.TextField(_("问题（已脱敏）"))
    article = models.ForeignKey(Article, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="answer_logs", verbose_name=_("知识"))
    version = models.ForeignKey(ArticleVersion, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("版本"))
    confidence = models.FloatField(_("置信度"), default=0.0)
    answered = models.BooleanField(_("已自动答复"), default=False)
    handed_over = models.BooleanField(_("转人工"), default=False)
    ticket_id = models.BigIntegerField(_("工单"), null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("操作人"))

    class Meta:
        verbose_name = _("答复记录")
        verbose_name_plural = _("答复记录")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.question[:30]


class Feedback(models.Model):
    answer = models.ForeignKey(AnswerLog, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="feedback", verbose_name=_("答复记录"))
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback",
                                verbose_name=_("知识"))
    helpful = models.BooleanField(_("有帮助"))
    comment = models.CharField(_("意见"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("答复评价")
        verbose_name_plural = _("答复评价")
        ordering = ["-id"]

    def __str__(self) -> str:
        return "有帮助" if self.helpful else "没帮助"
