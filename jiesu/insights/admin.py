from django.contrib import admin

from jiesu.insights.models import HotIssue


@admin.register(HotIssue)
class HotIssueAdmin(admin.ModelAdmin):
    list_display = ("description", "heat", "requesters", "tickets", "first_at", "last_at")
    ordering = ("-heat",)
    search_fields = ("description", "place")
    exclude = ("vector", "word_vector")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # written by jiesu hot rebuild / update only

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
