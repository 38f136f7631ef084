from django.contrib import admin

from jiesu.intelligence.models import ModelVersion


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    """Read-only: versions come from `jiesu model train`, activation goes through `jiesu model activate`."""

    list_display = ("version", "task", "is_active", "threshold", "created_at")
    list_filter = ("task", "is_active")
    search_fields = ("version", "path")
    readonly_fields = ("task", "version", "path", "metrics", "data_summary", "threshold", "is_active", "created_at")

    def changelist_view(self, request, extra_context=None):  # type: ignore[no-untyped-def]
        """The page also says whether the sentence encoder runs here, and if not, why (lexical-only)."""
        from jiesu.intelligence.encoder import encoder_status

        return super().changelist_view(request, {**(extra_context or {}), "encoder_status": encoder_status()})

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
