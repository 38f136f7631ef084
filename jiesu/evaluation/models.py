"""The figures' facts (items and their daily sums), the scoring scheme, stored monthly rankings, and the
ladder's unit-level steps (约谈, 问责). See docs/dev/figures.md."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

ALL_UNITS = -1  # FactDay.unit_id for the sum over every unit (the city)
NO_UNIT = 0  # Fact.unit_id of an item that belongs to no unit (the centre's own figures)


class Fact(models.Model):
    """One item of one figure: what it adds to the denominator and the numerator (thousandths), on which day."""

    figure = models.CharField(max_length=40)
    source = models.CharField(max_length=20)
    key = models.BigIntegerField()  # the source's key: a ticket id, a call id, a unit step id
    day = models.DateField()
    num_day = models.DateField()  # the day the numerator came true (= day, except for cohort figures)
    unit_id = models.IntegerField(default=NO_UNIT)
    category_id = models.IntegerField(default=0)  # the first-level category
    region_id = models.IntegerField(default=0)  # the district
    channel_id = models.IntegerField(default=0)
    kind = models.CharField(max_length=20, blank=True)
    den = models.SmallIntegerField(default=1)
    num = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["source", "key"], name="fact_source_key_idx"),
                   models.Index(fields=["figure", "day"], name="fact_figure_day_idx")]

    def __str__(self) -> str:
        return f"{self.figure} {self.day} {self.key}"


class FactDay(models.Model):
    """The sums of the facts per day, unit (−1: all) and one dimension ("" for the total)."""

    day = models.DateField()
    dim = models.CharField(max_length=10, blank=True)
    unit_id = models.IntegerField()
    figure = models.CharField(max_length=40)
    num_day = models.DateField()
    key = models.CharField(max_length=32, blank=True)
    den = models.BigIntegerField(default=0)
    num = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "dim", "unit_id", "figure", "num_day", "key"],
                                               name="factday_unique")]

    def __str__(self) -> str:
        return f"{self.figure} {self.day} {self.unit_id} {self.dim}={self.key}"


class FactState(models.Model):
    """How far the facts of one source are up to date."""

    source = models.CharField(max_length=20, primary_key=True)
    last_id = models.BigIntegerField(default=0)
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.source} @ {self.last_id}"


class Scheme(models.Model):
    """How units are scored and ranked; the scheme valid on a month's first day scores that month."""

    name = models.CharField(_("名称"), max_length=60, default="默认考核办法")
    valid_from = models.DateField(_("生效日期"), unique=True, default=date(2000, 1, 1))
    weight_response = models.DecimalField(_("响应率权重"), max_digits=5, decimal_places=2, default=Decimal("10"))
    weight_resolution = models.DecimalField(_("解决率权重"), max_digits=5, decimal_places=2, default=Decimal("45"))
    weight_satisfaction = models.DecimalField(_("满意率权重"), max_digits=5, decimal_places=2, default=Decimal("45"))
    points_overdue = models.DecimalField(_("每件超期扣分"), max_digits=5, decimal_places=2, default=Decimal("0.5"))
    points_refused = models.DecimalField(_("每次推诿认定扣分"), max_digits=5, decimal_places=2, default=Decimal("2"))
    points_unjustified = models.DecimalField(_("每次退单不成立扣分"), max_digits=5, decimal_places=2,
                                             default=Decimal("1"))
    points_praise = models.DecimalField(_("每件表扬加分"), max_digits=5, decimal_places=2, default=Decimal("0.5"))
    praise_cap = models.DecimalField(_("表扬加分上限"), max_digits=5, decimal_places=2, default=Decimal("5"))
    minimum_assignments = models.PositiveSmallIntegerField(_("参与排名的最少派单量"), default=3,
                                                           validators=[MinValueValidator(1)])
    list_size = models.PositiveSmallIntegerField(_("红榜/黑榜单位数"), default=3, validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("考核办法")
        verbose_name_plural = _("考核办法")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{self.name}（{self.valid_from} 起）"


class Ranking(models.Model):
    """A month's ranking as published; later months compare against it."""

    month = models.DateField(_("月份"), unique=True)  # the first day of the month
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    computed_at = models.DateTimeField(_("生成时间"))
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")

    class Meta:
        verbose_name = _("月度排名")
        verbose_name_plural = _("月度排名")
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class RankingEntry(models.Model):
    ranking = models.ForeignKey(Ranking, on_delete=models.CASCADE, related_name="entries")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    group = models.CharField(max_length=20)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)  # None: not ranked (too few items)
    score = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    figures = models.JSONField(default=dict)  # code → [numerator, denominator]
    list = models.CharField(max_length=5, blank=True)  # "red", "black" or ""
    previous_rank = models.PositiveSmallIntegerField(null=True, blank=True)  # last month's, as read when closed

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ranking", "unit", "group"], name="ranking_entry_unique")]
        ordering = ["group", "rank"]

    def __str__(self) -> str:
        return f"{self.ranking} {self.unit} #{self.rank}"


class UnitStep(models.Model):
    """A ladder step on a unit: 约谈 (interview) or 问责 (accountability), with its document and deadline."""

    class Level(models.TextChoices):
        INTERVIEW = "interview", _("约谈")
        ACCOUNTABILITY = "accountability", _("问责")

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("承办单位"))
    level = models.CharField(_("层级"), max_length=20, choices=Level.choices)
    reason = models.TextField(_("事由"))
    document = models.TextField(_("文书内容"), help_text=_("约谈通知与记录，或问责建议"))
    # no database constraint: tickets are partitioned by month on PostgreSQL (core.partitions)
    tickets = models.ManyToManyField("tickets.Ticket", blank=True, related_name="+", db_constraint=False,
                                     verbose_name=_("相关工单"))
    due_at = models.DateTimeField(_("整改期限"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("下达时间"))
    closed_at = models.DateTimeField(_("整改完成时间"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    outcome = models.TextField(_("整改情况"), blank=True)

    class Meta:
        verbose_name = _("单位督办（约谈、问责）")
        verbose_name_plural = _("单位督办（约谈、问责）")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.unit}"

    @classmethod
    def scope_q(cls, unit_ids: frozenset[int]) -> Q:
        return Q(unit_id__in=unit_ids)
