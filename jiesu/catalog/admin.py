"""Admin for channels, categories, the dispatch catalog and time limits.

Every save goes through the services: a rule or limit edited here becomes a new version with its event; old
versions are read-only and shown on the form; nothing can be deleted (retire instead). The form first runs the
service inside a savepoint that is rolled back, so a refusal shows as a form error instead of a server error.
"""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.forms.models import construct_instance
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from jiesu.catalog import queries, services, taxonomy
from jiesu.catalog.models import Category, Channel, DispatchRule, TimeLimit
from jiesu.core.errors import DomainError

HISTORY_HEADINGS = (gettext_noop("版本"), gettext_noop("时间"), gettext_noop("修改人"), gettext_noop("内容"),
                    gettext_noop("原因"))


class _DryRun(Exception):
    pass


def _add_domain_errors(form: forms.BaseForm, exc: DomainError) -> None:
    if not exc.field_errors:
        form.add_error(None, str(exc.message))
    for field, messages in exc.field_errors.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def _try(form: forms.BaseForm, apply: Any) -> None:
    """Run ``apply()`` and roll it back, turning a refusal into form errors."""
    try:
        with transaction.atomic():
            apply()
            raise _DryRun
    except _DryRun:
        pass
    except DomainError as exc:
        _add_domain_errors(form, exc)


class _VersionedForm(forms.ModelForm):
    actor: Any = None
    reason = forms.CharField(label="变更原因", max_length=500, required=False, widget=forms.TextInput(
        attrs={"size": 60}), help_text="修改或停用时必填，记入变更记录。")
    retire = forms.BooleanField(label="停用", required=False,
                                help_text="勾选后生成一个失效的新版本（失效日期默认为昨天，或用上面修改后的失效日期）；其他修改不会保存。")

    service_fields: tuple[str, ...] = ()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            _try(self, self.apply)
        return cleaned

    def create_row(self, data: dict[str, Any], reason: str) -> Any:
        raise NotImplementedError

    def change_row(self, data: dict[str, Any], reason: str) -> Any:
        raise NotImplementedError

    def retire_row(self, reason: str, valid_to: Any) -> Any:
        raise NotImplementedError

    def _data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.service_fields}

    def apply(self) -> Any:
        reason = self.cleaned_data.get("reason", "")
        if self.instance.pk is None:
            return self.create_row(self._data(), reason)
        if self.cleaned_data.get("retire"):
            valid_to = self.cleaned_data.get("valid_to") if "valid_to" in self.changed_data else None
            return self.retire_row(reason, valid_to)
        return self.change_row(self._data(), reason)


class DispatchRuleForm(_VersionedForm):
    service_fields = ("category", "region", "lead_unit", "co_units", "priority", "legal_basis", "source",
                      "valid_from", "valid_to")

    class Meta:
        model = DispatchRule
        fields = ["category", "region", "lead_unit", "co_units", "priority", "legal_basis", "source",
                  "valid_from", "valid_to"]

    def create_row(self, data: dict[str, Any], reason: str) -> DispatchRule:
        return services.create_rule(self.actor, **data, reason=reason)

    def change_row(self, data: dict[str, Any], reason: str) -> DispatchRule:
        return services.change_rule(self.actor, self.instance, reason=reason, **data)

    def retire_row(self, reason: str, valid_to: Any) -> DispatchRule:
        return services.retire_rule(self.actor, self.instance, reason=reason, valid_to=valid_to)


class TimeLimitForm(_VersionedForm):
    service_fields = ("clock", "kind", "category", "urgency", "amount", "unit", "warning_share", "valid_from",
                      "valid_to")

    class Meta:
        model = TimeLimit
        fields = ["clock", "kind", "category", "urgency", "amount", "unit", "warning_share", "valid_from",
                  "valid_to"]

    def create_row(self, data: dict[str, Any], reason: str) -> TimeLimit:
        return services.create_limit(self.actor, **data, reason=reason)

    def change_row(self, data: dict[str, Any], reason: str) -> TimeLimit:
        return services.change_limit(self.actor, self.instance, reason=reason, **data)

    def retire_row(self, reason: str, valid_to: Any) -> TimeLimit:
        return services.retire_limit(self.actor, self.instance, reason=reason, valid_to=valid_to)


class CurrentFilter(admin.SimpleListFilter):
    title = _("版本")
    parameter_name = "versions"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("all", _("全部版本（含历史）")), ("history", _("仅历史版本"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "all":
            return queryset
        return queryset.filter(is_current=self.value() != "history")


class _VersionedAdmin(admin.ModelAdmin):
    key_field = ""
    readonly_fields = ("version", "is_current", "created_by", "created_at", "change_reason", "versions")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        new = form.apply()
        for field in new._meta.concrete_fields:
            setattr(obj, field.attname, getattr(new, field.attname))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The service has saved the many-to-many fields of the new version already."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and not obj.is_current:
            return False  # superseded versions are history
        return super().has_change_permission(request, obj)

    @admin.display(description=_("版本记录"))
    def versions(self, obj: Any) -> str:
        if obj is None or obj.pk is None:
            return "—"
        history = queries.rule_history if self.key_field == "rule_key" else queries.limit_history
        rows = format_html_join("", "<tr><td>v{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", (
            (row.version, row.created_at.strftime("%Y-%m-%d %H:%M"), row.created_by or gettext("系统"), str(row),
             row.change_reason) for row in history(getattr(obj, self.key_field))))
        headings = format_html_join("", "<th>{}</th>", ((gettext(h),) for h in HISTORY_HEADINGS))
        return format_html("<table><tr>{}</tr>{}</table>", headings, rows)


@admin.register(DispatchRule)
class DispatchRuleAdmin(_VersionedAdmin):
    form = DispatchRuleForm
    key_field = "rule_key"
    list_display = ("category", "region", "lead_unit", "priority", "source", "valid_from", "valid_to", "version",
                    "is_current")
    list_filter = (CurrentFilter, "lead_unit", "category__level")
    search_fields = ("rule_key", "category__name", "region__name", "lead_unit__name", "legal_basis", "source")
    autocomplete_fields = ("category", "region", "lead_unit", "co_units")
    list_select_related = ("category", "region", "lead_unit")


@admin.register(TimeLimit)
class TimeLimitAdmin(_VersionedAdmin):
    form = TimeLimitForm
    key_field = "limit_key"
    list_display = ("clock", "kind", "category", "urgency", "amount", "unit", "warning_share", "valid_from",
                    "valid_to", "version", "is_current")
    list_filter = (CurrentFilter, "clock", "kind", "urgency", "unit")
    search_fields = ("limit_key", "category__name", "change_reason")
    autocomplete_fields = ("category",)
    list_select_related = ("category",)


class _ServiceSavedAdmin(admin.ModelAdmin):
    """Saves through a taxonomy service (with its event); checks it in the form first; never deletes."""

    save_service: Any = None

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        save = type(self).save_service

        def clean(this: forms.ModelForm) -> dict[str, Any]:
            cleaned = forms.ModelForm.clean(this) or {}
            if not this.errors:  # the instance gets the form's values only later: try them on a copy
                candidate = construct_instance(this, copy.copy(this.instance))
                _try(this, lambda: save(request.user, candidate))
            return cleaned

        return type(form.__name__, (form,), {"clean": clean})

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        type(self).save_service(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Category)
class CategoryAdmin(_ServiceSavedAdmin):
    save_service = taxonomy.save_category
    list_display = ("indented_name", "code", "level", "is_active", "sort")
    list_filter = ("level", "is_active")
    search_fields = ("code", "name")
    fields = ("code", "name", "parent", "is_active", "sort", "level", "path")
    readonly_fields = ("level", "path")
    autocomplete_fields = ("parent",)
    ordering = ("path",)

    @admin.display(description="分类", ordering="path")
    def indented_name(self, obj: Category) -> str:
        return format_html("{}{}", "\u3000" * 2 * (obj.level - 1), obj.name)


@admin.register(Channel)
class ChannelAdmin(_ServiceSavedAdmin):
    save_service = taxonomy.save_channel
    list_display = ("name", "code", "parent", "is_public", "is_active", "sort")
    list_filter = ("is_public", "is_active")
    search_fields = ("code", "name")
