"""Admin for the knowledge base: articles and answer records are read-only here (articles change through the
review workflow on the /kb/ pages); benefit standards — the amounts 政策找人 compares with — are edited here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jiesu.knowledge.models import AnswerLog, Article, ArticleVersion, BenefitStandard, Feedback


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VersionInline(admin.TabularInline):
    model = ArticleVersion
    fields = ("number", "status", "title", "valid_from", "valid_to", "author", "reviewer", "published_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(_ReadOnly):
    list_display = ("__str__", "kind", "unit", "status", "hits", "external_key")
    list_filter = ("kind", "status", "unit")
    search_fields = ("external_key", "versions__title")
    inlines = [VersionInline]


@admin.register(BenefitStandard)
class BenefitStandardAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "region", "amount", "valid_from", "valid_to", "source")
    list_filter = ("code",)
    search_fields = ("code", "name")


@admin.register(AnswerLog)
class AnswerLogAdmin(_ReadOnly):
    list_display = ("created_at", "channel", "question", "article", "confidence", "answered", "handed_over")
    list_filter = ("channel", "answered", "handed_over")


@admin.register(Feedback)
class FeedbackAdmin(_ReadOnly):
    list_display = ("created_at", "article", "helpful", "comment")
    list_filter = ("helpful",)
