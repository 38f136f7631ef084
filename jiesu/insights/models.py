"""Hot issues kept for the tickets: each group of tickets about one problem at one place, with its members.

Written by ``services.rebuild`` (the period's tickets grouped from scratch) and ``services.update`` (new tickets
join an issue or start one, in the vector space of the last rebuild, kept in ``ProblemSpaceRecord``). A group of
one ticket is kept too, so that the next ticket about it can join; the lists show issues of two requesters or
more. Members hold no personal data: the requester is a hash of the caller's phone key.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProblemSpaceRecord(models.Model):
    """The vocabularies and IDF fitted by the last rebuild (``problem_terms.ProblemSpace``)."""

    created_at = models.DateTimeField(_("重建时间"))
    since = models.DateTimeField(_("起始"))
    until = models.DateTimeField(_("截止"))
    tickets = models.PositiveIntegerField(_("工单数"), default=0)
    space = models.BinaryField(_("词表与权重"))

    class Meta:
        verbose_name = _("热点词表")
        verbose_name_plural = _("热点词表")

    def __str__(self) -> str:
        return f"{self.since:%Y-%m-%d}–{self.until:%Y-%m-%d}"


class HotIssue(models.Model):
    place_key = models.CharField(_("地点键"), max_length=120, blank=True, db_index=True)
    area = models.CharField(_("区县"), max_length=120, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    description = models.CharField(_("描述"), max_length=300, blank=True)
    terms = models.JSONField(_("特征词"), default=list)
    heat = models.FloatField(_("热度"), default=0.0, db_index=True)
    requesters = models.PositiveIntegerField(_("诉求人数"), default=0)
    tickets = models.PositiveIntegerField(_("工单数"), default=0)
    votes = models.PositiveIntegerField(_("点赞数"), default=0)
    first_at = models.DateTimeField(_("首次"))
    last_at = models.DateTimeField(_("最近"), db_index=True)
    vector = models.BinaryField(_("问题向量和"))  # sum of the members' problem vectors (sparse, see store.py)
    word_vector = models.BinaryField(_("词向量和"))  # sum of their word blocks (for the description)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("热点问题")
        verbose_name_plural = _("热点问题")
        indexes = [models.Index(fields=["place_key", "last_at"], name="hotissue_place_last_idx")]

    def __str__(self) -> str:
        return self.description or self.place or str(self.pk)


class HotIssueMember(models.Model):
    issue = models.ForeignKey(HotIssue, on_delete=models.CASCADE, related_name="members", verbose_name=_("热点"))
    ticket = models.OneToOneField("tickets.Ticket", on_delete=models.CASCADE, db_constraint=False,
                                  related_name="hot_issue_member", verbose_name=_("工单"))
    requester = models.CharField(_("诉求人（散列）"), max_length=32)
    created_at = models.DateTimeField(_("受理时间"))

    class Meta:
        verbose_name = _("热点工单")
        verbose_name_plural = _("热点工单")

    def __str__(self) -> str:
        return f"{self.issue_id}: {self.ticket_id}"


class HotIssueWarning(models.Model):
    """An early warning (热点预警): on ``day`` the issue's new requesters of the last days were many more than it
    or the season led to expect (``early_warnings.py``). One per issue and day; the description, place and the
    tickets counted are kept with it, so a rebuild (which renumbers the issues) leaves the warning readable and
    lets the next check find it again by its tickets."""

    class Basis(models.TextChoices):
        HISTORY = "history", _("自身历史")
        SEASON = "season", _("往年同期")

    issue = models.ForeignKey(HotIssue, on_delete=models.SET_NULL, null=True, blank=True, related_name="warnings",
                              verbose_name=_("热点"))
    day = models.DateField(_("预警日期"))
    raised_at = models.DateTimeField(_("预警时间"), db_index=True)
    basis = models.CharField(_("比较基准"), max_length=10, choices=Basis.choices)
    recent = models.PositiveIntegerField(_("近期诉求人数"))
    expected = models.FloatField(_("预期人数"))  # what the basis leads to expect for the same number of days
    heat = models.FloatField(_("热度"))
    description = models.CharField(_("描述"), max_length=300, blank=True)
    area = models.CharField(_("区县"), max_length=120, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    ticket_ids = models.JSONField(_("近期工单"), default=list)

    class Meta:
        verbose_name = _("热点预警")
        verbose_name_plural = _("热点预警")
        constraints = [models.UniqueConstraint(fields=["issue", "day"], name="hotissuewarning_issue_day")]

    def __str__(self) -> str:
        return f"{self.day}: {self.description}"
