"""Trained model versions: which artefact serves each task, with its data summary and metrics."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ModelVersion(models.Model):
    class Task(models.TextChoices):
        TOPIC = "topic", _("留言主题分类")
        UNIT = "unit", _("承办单位推荐")
        CATEGORY = "category", _("业务类别分类")

    task = models.CharField(_("任务"), max_length=20, choices=Task.choices)
    version = models.CharField(_("版本"), max_length=64, unique=True)
    path = models.CharField(_("模型目录"), max_length=500)
    metrics = models.JSONField(_("评估指标"), default=dict, blank=True)
    data_summary = models.JSONField(_("训练数据摘要"), default=dict, blank=True)
    threshold = models.FloatField(_("拒答阈值"), default=0.0)
    is_active = models.BooleanField(_("启用中"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("模型版本")
        verbose_name_plural = _("模型版本")
        ordering = ["task", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["task"], condition=Q(is_active=True), name="one_active_model_per_task"),
        ]

    def __str__(self) -> str:
        return self.version


from jiesu.intelligence.signature_models import DuplicateKey, TicketSignature  # noqa: E402,F401
