"""API tokens in the admin: listed and revoked here; created with `jiesu token create` (the secret is shown once)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest

from jiesu.api.models import ApiToken
from jiesu.api.tokens import revoke_token


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["prefix", "user__username", "name"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="吊销所选令牌")
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        active = list(queryset.filter(revoked_at__isnull=True).values_list("prefix", flat=True))
        for prefix in active:
            revoke_token(prefix, actor=request.user)
        self.message_user(request, f"已吊销 {len(active)} 个令牌。", messages.SUCCESS)
