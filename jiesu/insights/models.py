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
