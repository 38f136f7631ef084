"""The admin pages for units, users with their roles, and regions with aliases (all in Chinese).

Nothing with history is deleted here: units and users that anything refers to are deactivated instead.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from jiesu.org.models import Membership, Region, RegionAlias, SignInAudit, Unit, User
from jiesu.org.queries import has_history
from jiesu.org.services import save_with_event, set_active

KEEP_HISTORY = _("“%(name)s”已有历史记录（岗位、工单或操作记录），不能删除；请取消勾选“%(field)s”将其停用。")


class NoDeleteRelatedMixin:
    """No "delete" icon next to a unit or region chosen in a form: deleting goes through its own page."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        field = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        if field is not None and hasattr(field.widget, "can_delete_related"):
            field.widget.can_delete_related = False
        return field


class KeepHistoryMixin(NoDeleteRelatedMixin):
    """Deletion only for rows nothing refers to; bulk deletion is replaced by deactivation."""

    history_ignore: tuple[str, ...] = ()
    active_field = "is_active"

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[no-untyped-def]
        allowed = super().has_delete_permission(request, obj)  # type: ignore[misc]
        return allowed and (obj is None or not has_history(obj, ignore=self.history_ignore))

    def delete_view(self, request, object_id, extra_context=None):  # type: ignore[no-untyped-def]
        obj = self.get_object(request, object_id)  # type: ignore[attr-defined]
        if obj is not None and has_history(obj, ignore=self.history_ignore):
            field = self.model._meta.get_field(self.active_field).verbose_name  # type: ignore[attr-defined]
            self.message_user(request, KEEP_HISTORY % {"name": obj, "field": field},  # type: ignore[attr-defined]
                              messages.ERROR)
            return HttpResponseRedirect("../change/")
        return super().delete_view(request, object_id, extra_context)  # type: ignore[misc]

    def get_actions(self, request):  # type: ignore[no-untyped-def]
        actions = super().get_actions(request)  # type: ignore[misc]
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("停用所选"))
    def deactivate(self, request, queryset):  # type: ignore[no-untyped-def]
        count = set_active(actor=request.user, objects=queryset, active=False)
        self.message_user(request, _("已停用 %(count)d 条。") % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("启用所选"))
    def activate(self, request, queryset):  # type: ignore[no-untyped-def]
        count = set_active(actor=request.user, objects=queryset, active=True)
        self.message_user(request, _("已启用 %(count)d 条。") % {"count": count}, messages.SUCCESS)

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        save_with_event(actor=request.user, obj=obj, changed=list(form.changed_data), created=not change)

    def save_formset(self, request, form, formset, change):  # type: ignore[no-untyped-def]
        formset.save(commit=False)
        for obj in formset.new_objects:
            save_with_event(actor=request.user, obj=obj, changed=list(formset.form.base_fields), created=True)
        for obj, changed in formset.changed_objects:
            save_with_event(actor=request.user, obj=obj, changed=list(changed), created=False)
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


class MembershipInline(NoDeleteRelatedMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]
    fields = ["unit", "role", "scope", "is_active"]
    can_delete = False
    verbose_name = _("岗位角色")
    verbose_name_plural = _("岗位角色（取消“有效”即收回，不删除）")


@admin.register(Unit)
class UnitAdmin(KeepHistoryMixin, admin.ModelAdmin):
    list_display = ["tree_name", "code", "kind", "region", "phone_text", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "short_name"]
    autocomplete_fields = ["parent", "region"]
    ordering = ["path"]
    list_per_page = 100
    actions = ["deactivate", "activate"]
    fieldsets = [
        (None, {"fields": ["code", "name", "short_name", "kind", "parent", "region", "is_active"]}),
        (_("联系方式"), {"fields": ["contact_person", "phone", "address"]}),
        (_("来源"), {"fields": ["is_demo"]}),
    ]
    readonly_fields = ["is_demo"]

    class Media:
        css = {"all": ["org/admin.css"]}

    @admin.display(description=_("名称（按层级）"), ordering="path")
    def tree_name(self, obj: Unit) -> str:
        depth = max(obj.path.count("/") - 2, 0)
        return format_html('<span class="unit-tree-name unit-depth-{}">{}{}</span>', min(depth, 6),
                           "└ " if depth else "", obj.name)

    @admin.display(description=_("联系电话"))
    def phone_text(self, obj: Unit) -> str:
        return format_html('<span class="nowrap">{}</span>', obj.phone)


class JiesuUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "display_name")


class JiesuUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(KeepHistoryMixin, DjangoUserAdmin):
    form = JiesuUserChangeForm
    add_form = JiesuUserCreationForm
    inlines = [MembershipInline]
    list_display = ["username", "display_name", "units", "roles_text", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "memberships__role", "is_demo"]
    search_fields = ["username", "display_name", "phone", "memberships__unit__name"]
    actions = ["deactivate", "activate"]
    readonly_fields = ["is_demo", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("个人信息"), {"fields": ["display_name", "phone", "email"]}),
        (_("权限"), {"fields": ["is_active", "is_staff", "is_superuser"],
                     "description": _("角色与可见范围在下方“岗位角色”中设置；管理后台只对“职员状态”的用户开放。")}),
        (_("记录"), {"fields": ["last_login", "date_joined", "is_demo"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["username", "display_name", "password1", "password2"]})]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).prefetch_related("memberships__unit")

    @admin.display(description=_("单位"))
    def units(self, obj: User) -> str:
        return "、".join(sorted({m.unit.short_name or m.unit.name for m in obj.memberships.all() if m.is_active}))

    @admin.display(description=_("角色"))
    def roles_text(self, obj: User) -> str:
        return "、".join(sorted({str(m.get_role_display()) for m in obj.memberships.all() if m.is_active}))


class RegionAliasInline(admin.TabularInline):
    model = RegionAlias
    extra = 1


@admin.register(Region)
class RegionAdmin(KeepHistoryMixin, admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "alias_list", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["code", "name", "aliases__alias"]
    autocomplete_fields = ["parent"]
    inlines = [RegionAliasInline]
    history_ignore = ("aliases",)
    actions = ["deactivate", "activate"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).select_related("parent").prefetch_related("aliases")

    @admin.display(description=_("别名"))
    def alias_list(self, obj: Region) -> str:
        return "、".join(a.alias for a in obj.aliases.all())


@admin.register(SignInAudit)
class SignInAuditAdmin(admin.ModelAdmin):
    """Read-only: the record of sign-ins is evidence, nobody edits or deletes it here."""

    list_display = ("at", "outcome", "channel", "username", "user", "ip", "request_id")
    list_filter = ("outcome", "channel", "at")
    search_fields = ("username", "ip")
    date_hierarchy = "at"
    list_select_related = ("user",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
