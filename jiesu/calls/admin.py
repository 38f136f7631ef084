"""Admin: call records are read-only (they are the call centre's, imported once)."""

from __future__ import annotations

from django.contrib import admin

from jiesu.calls.models import Call
from jiesu.tickets.admin import ReadOnlyAdmin


@admin.register(Call)
class CallAdmin(ReadOnlyAdmin):
    list_display = ("call_id", "source", "line", "offered_at", "answered_at", "wait_ms", "seat", "survey", "ticket")
    list_filter = ("source", "line", "survey")
    search_fields = ("call_id", "seat", "queue")
    date_hierarchy = "offered_at"
    # the caller's number is personal data: not shown here
    fields = ("source", "call_id", "line", "offered_at", "answered_at", "ended_at", "wait_ms", "seat", "queue",
              "survey", "ticket", "imported_at")
    readonly_fields = fields
