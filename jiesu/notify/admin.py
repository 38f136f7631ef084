"""Admin: units' notification contacts and message wording are configuration; the outbox is read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jiesu.notify.models import MessageTemplate, OutboxMessage, UnitContact


@admin.register(UnitContact)
class UnitContactAdmin(admin.ModelAdmin):
    list_display = ("unit", "name", "new_tickets", "warnings", "is_active")
    list_filter = ("is_active", "new_tickets", "warnings")
    search_fields = ("unit__name", "name")
    autocomplete_fields = ("unit",)


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ("key", "channel", "provider_template_code", "is_active")
    list_filter = ("channel", "is_active")


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Masked fields only: the full address and a body with codes are never shown."""

    list_display = ("id", "created_at", "template", "channel", "recipient_masked", "status", "attempts", "sent_at")
    list_filter = ("status", "channel", "audience", "template")
    fields = ("created_at", "ticket_id", "unit", "audience", "channel", "template", "recipient_masked", "subject",
              "preview", "status", "attempts", "next_attempt_at", "sent_at", "provider_id", "last_error",
              "cancel_reason")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
