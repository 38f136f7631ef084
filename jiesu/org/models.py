"""Units (承办单位) as a tree, users and their roles in units, and regions (行政区划) with aliases."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiesu.core.permissions import Perm, Role, permissions_of
from jiesu.core.scope import Scope


class Region(models.Model):
    class Level(models.IntegerChoices):
        PROVINCE = 1, _("省")
        CITY = 2, _("市")
        DISTRICT = 3, _("区县")
        STREET = 4, _("街道乡镇")
        COMMUNITY = 5, _("社区村")

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("上级"))
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Region]:
        chain: list[Region] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    @property
    def full_name(self) -> str:
        parts = [r.name for r in reversed(self.ancestors()) if r.level >= self.Level.CITY]
        return "".join([*parts, self.name])


class RegionAlias(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("区划"))
    alias = models.CharField(_("别名"), max_length=60, db_index=True)

    class Meta:
        verbose_name = _("区划别名")
        verbose_name_plural = _("区划别名")
        constraints = [models.UniqueConstraint(fields=["region", "alias"], name="region_alias_unique")]

    def __str__(self) -> str:
        return self.alias


PATH_DIGITS = 7  # ids are zero-padded in ``Unit.path`` so that ordering by path keeps siblings in id order


class Unit(models.Model):
    class Kind(models.TextChoices):
        CENTRE = "centre", _("热线中心")
        SUBCENTRE = "subcentre", _("分中心")
        DEPARTMENT = "department", _("职能部门")
        STREET = "street", _("街道乡镇")
        COMMUNITY = "community", _("社区村")
        UTILITY = "utility", _("公共服务企业")
        OTHER = "other", _("其他")

    code = models.CharField(_("单位代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=120)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("上级单位"))
    path = models.CharField(_("路径"), max_length=255, db_index=True, editable=False, default="")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="units",
                               verbose_name=_("所在区划"))
    is_active = models.BooleanField(_("启用"), default=True)
    contact_person = models.CharField(_("联系人"), max_length=40, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False, editable=False)

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().save(*args, **kwargs)
        new_path = f"{self.parent.path if self.parent else '/'}{self.pk:0{PATH_DIGITS}d}/"
        if new_path != self.path:
            old_path = self.path
            self.path = new_path
            Unit.objects.filter(pk=self.pk).update(path=new_path)
            if old_path:
                for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    child.save()

    def descendants_and_self(self) -> models.QuerySet[Unit]:
        return Unit.objects.filter(path__startswith=self.path)

    @classmethod
    def scope_q(cls, unit_ids: frozenset[int]) -> Q:
        return Q(pk__in=unit_ids)


class User(AbstractUser):
    display_name = models.CharField(_("姓名"), max_length=40, blank=True)
    phone = models.CharField(_("电话"), max_length=40, blank=True)
    is_demo = models.BooleanField(_("演示账号"), default=False, editable=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    def active_memberships(self) -> list[Membership]:
        cache = getattr(self, "_memberships_cache", None)
        if cache is None:
            cache = list(self.memberships.filter(is_active=True, unit__is_active=True).select_related("unit"))
            self._memberships_cache = cache
        return cache

    def roles(self) -> set[str]:
        return {m.role for m in self.active_memberships()}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles() & set(roles))

    def primary_unit(self, role: str | None = None) -> Unit | None:
        for m in self.active_memberships():
            if role is None or m.role == role:
                return m.unit
        return None

    def scope_for(self, perm: Perm) -> Scope:
        """Where ``perm`` holds for this user, from the union of their memberships."""
        cache: dict[Perm, Scope] = self.__dict__.setdefault("_scope_cache", {})
        if perm not in cache:
            cache[perm] = _scope_from_memberships(self.active_memberships(), perm)
        return cache[perm]

    def scope_for_role(self, role: str) -> Scope:
        memberships = [m for m in self.active_memberships() if m.role == role]
        return _scope_from_memberships(memberships, None)


def _scope_from_memberships(memberships: list[Membership], perm: Perm | None) -> Scope:
    unit_ids: set[int] = set()
    roles: set[str] = set()
    for m in memberships:
        if perm is not None and perm not in permissions_of(m.role):
            continue
        roles.add(m.role)
        if m.scope == Membership.ScopeKind.CITY:
            return Scope(city_wide=True, roles=frozenset(roles))
        if m.scope == Membership.ScopeKind.SUBTREE:
            unit_ids.update(m.unit.descendants_and_self().filter(is_active=True).values_list("pk", flat=True))
        else:
            unit_ids.add(m.unit_id)
    return Scope(unit_ids=frozenset(unit_ids), roles=frozenset(roles))


class Membership(models.Model):
    """A user's role in a unit, and how far it reaches."""

    class ScopeKind(models.TextChoices):
        UNIT = "unit", _("本单位")
        SUBTREE = "subtree", _("本单位及下级单位")
        CITY = "city", _("全市")

    # PROTECT: a role someone held is part of the record of who did what; deactivate instead of deleting.
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("用户"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("单位"))
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    scope = models.CharField(_("范围"), max_length=10, choices=ScopeKind.choices, default=ScopeKind.UNIT)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("岗位角色")
        verbose_name_plural = _("岗位角色")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"


class SignInAudit(models.Model):
    """Every sign-in: success, failure, refusal while locked out, and API token failures (jiesu.org.signin).
    Never a password or a token's secret: a token is named by its public prefix only."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("登录成功")
        FAILURE = "failure", _("登录失败")
        LOCKED = "locked", _("锁定期内拒绝")
        TOKEN_FAILURE = "token_failure", _("接口令牌无效")
        TOKEN_LOCKED = "token_locked", _("令牌尝试过多被拒绝")

    class Channel(models.TextChoices):
        WEB = "web", _("工作台")
        ADMIN = "admin", _("管理后台")
        API = "api", _("接口")

    at = models.DateTimeField(_("时间"), db_index=True)
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices)
    channel = models.CharField(_("入口"), max_length=8, choices=Channel.choices)
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("用户"))
    ip = models.GenericIPAddressField(_("网络地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=200, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("登录记录")
        verbose_name_plural = _("登录记录")
        indexes = [models.Index(fields=["username", "at"], name="signin_user_at_idx"),
                   models.Index(fields=["ip", "at"], name="signin_ip_at_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.outcome}"
