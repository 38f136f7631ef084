"""Admin for evaluation: the scoring scheme is edited here (each save through the service, so it is in the event
log); stored monthly rankings are read-only (they never move once a month is closed)."""

from __future__ import annotations

from copy import copy
from typing import Any

from django import forms
from django.contrib import admin
from django.forms.models import construct_instance
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jiesu.core.errors import DomainError
from jiesu.evaluation import services
from jiesu.evaluation.models import Ranking, RankingEntry, Scheme
from jiesu.tickets.admin import ReadOnlyAdmin


class SchemeForm(forms.ModelForm):
    reason = forms.CharField(label=_("变更说明"), required=False, max_length=500,
                             help_text=_("可选，记入操作日志。"), widget=forms.TextInput(attrs={"size": 60}))

    class Meta:
        model = Scheme
        fields = [*services.SCHEME_FIELDS]

    def clean(self) -> dict[str, Any]:
        """The service's rules on the scheme as entered, said on the form instead of a 500 on saving."""
        data = super().clean() or {}
        if not self.errors:
            try:
                services.check_scheme(construct_instance(self, copy(self.instance), fields=services.SCHEME_FIELDS))
            except DomainError as exc:
                raise forms.ValidationError(str(exc.message)) from exc
        return data


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    form = SchemeForm
    list_display = ("name", "valid_from", "weight_response", "weight_resolution", "weight_satisfaction",
                    "minimum_assignments", "list_size")
    fields = [*services.SCHEME_FIELDS, "reason"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Scheme, form: Any, change: bool) -> None:
        services.save_scheme(request.user, obj, reason=form.cleaned_data.get("reason", ""))


class EntryInline(admin.TabularInline):
    model = RankingEntry
    fields = ("group", "rank", "unit", "score", "list", "previous_rank")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Ranking)
class RankingAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "scheme", "computed_at", "computed_by")
    readonly_fields = ("month", "scheme", "computed_at", "computed_by")
    inlines = [EntryInline]
