from django.contrib import admin

from jiesu.channels.models import Board


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "unit", "is_active", "sort")
    list_editable = ("is_active", "sort")
    search_fields = ("name", "code")
