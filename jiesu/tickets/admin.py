"""Tickets in the admin are read-only: every change goes through the services (the workbench or the API)."""

from __future__ import annotations

from django.contrib import admin

from jiesu.tickets.models import Adjudication, Assignment, Reply, SupervisionOrder, Ticket, Visit


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ("unit", "role", "status", "is_current", "dispatched_at", "sign_due_at", "signed_at", "reply_due_at",
              "replied_at", "sign_overdue_at", "reply_overdue_at")
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "kind", "status", "lead_unit", "created_at", "next_due_at")
    list_filter = ("status", "kind", "urgency", "channel")
    search_fields = ("number", "title")
    date_hierarchy = "created_at"
    exclude = ("requester_name", "requester_phone", "idempotency_key", "query_code")
    inlines = [AssignmentInline]
    list_select_related = ("lead_unit",)


@admin.register(Adjudication)
class AdjudicationAdmin(ReadOnlyAdmin):
    list_display = ("ticket", "assignment", "decided_unit", "requested_at", "decided_at")
    list_select_related = ("ticket", "decided_unit")


@admin.register(SupervisionOrder)
class SupervisionOrderAdmin(ReadOnlyAdmin):
    list_display = ("ticket", "unit", "due_at", "issued_at", "closed_at", "overdue_at")


@admin.register(Reply)
class ReplyAdmin(ReadOnlyAdmin):
    list_display = ("assignment", "created_at", "review_decision")


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ("ticket", "outcome", "resolution", "satisfaction", "created_at")
