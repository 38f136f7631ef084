from django.contrib import admin

from jiesu.insights.models import HotIssue, HotIssueWarning


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


@admin.register(HotIssueWarning)
class HotIssueWarningAdmin(admin.ModelAdmin):
    list_display = ("day", "description", "recent", "expected", "basis", "area")
    list_filter = ("basis", "area")
    ordering = ("-raised_at",)
    search_fields = ("description", "place")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # raised by jiesu hot update / rebuild only

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
