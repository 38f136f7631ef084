"""The left navigation: which pages a user's roles open. Adding a page is one NavItem in NAV_ITEMS."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from jiesu.core.permissions import Perm, Role
from jiesu.core.scope import has_perm, scope_of
from jiesu.web.desks import DESKS


@dataclass(frozen=True)
class NavItem:
    label: Any
    target: str  # a URL name ("web:home") or a path ("/api/v1/docs")
    section: Any
    visible: Callable[[Any], bool]
    icon: str = "•"


def _everyone(user: Any) -> bool:
    return True


def _staff(user: Any) -> bool:
    return bool(user.is_staff)


def _admins(user: Any) -> bool:
    return has_perm(user, Perm.ORG_MANAGE)


def _perm(perm: Perm) -> Callable[[Any], bool]:
    return lambda user: has_perm(user, perm)


def _kb_editors(user: Any) -> bool:
    return has_perm(user, Perm.KNOWLEDGE_EDIT) or has_perm(user, Perm.KNOWLEDGE_PUBLISH)


def _desk_item(slug: str) -> NavItem:
    desk = DESKS[slug]
    return NavItem(desk.title, f"/desk/{slug}/", _("工作台"), desk.allows, desk.icon)


def _operators(user: Any) -> bool:
    return has_perm(user, Perm.TICKET_CREATE)


def _unit_staff(user: Any) -> bool:
    """Staff of a unit (not the centre): their own unit's figures page."""
    scope = scope_of(user, Perm.TICKET_VIEW)
    return not scope.city_wide and not scope.empty


NAV_ITEMS: list[NavItem] = [
    NavItem(_("首页"), "web:home", _("工作台"), _everyone, "⌂"),
    NavItem(_("受理"), "web:intake", _("工作台"), _operators, "✎"),
    *[_desk_item(slug) for slug in ("dispatch", "unit", "supervision", "followup", "adjudication", "overview")],
    NavItem(_("督办五步"), "web:ladder", _("工作台"), _perm(Perm.SUPERVISION_ISSUE), "⚑"),
    NavItem(_("留言审核"), "board:moderation", _("工作台"), _perm(Perm.BOARD_MODERATE), "✉"),
    NavItem(_("统计分析"), "evaluation:dashboard", _("考核评价"), _perm(Perm.STATS_VIEW), "▲"),
    NavItem(_("本单位指标"), "evaluation:own_unit", _("考核评价"), _unit_staff, "◎"),
    NavItem(_("热点问题"), "insights:list", _("考核评价"), _perm(Perm.STATS_VIEW), "◆"),
    NavItem(_("知识库"), "knowledge:search", _("知识库"), _perm(Perm.KNOWLEDGE_VIEW), "☰"),
    NavItem(_("审核与过期提醒"), "knowledge:review", _("知识库"), _kb_editors, "✓"),
    NavItem(_("政策找人"), "knowledge:benefits", _("知识库"), _perm(Perm.KNOWLEDGE_VIEW), "☺"),
    NavItem(_("知识库统计"), "knowledge:figures", _("知识库"), _perm(Perm.STATS_VIEW), "▤"),
    NavItem(_("市民问答页"), "knowledge_public:ask", _("知识库"), _perm(Perm.KNOWLEDGE_VIEW), "?"),
    NavItem(_("管理后台"), "admin:index", _("系统管理"), _staff, "⚙"),
    NavItem(_("接口文档"), "/api/v1/docs", _("系统管理"), _admins, "⇄"),
]


@dataclass(frozen=True)
class NavLink:
    label: Any
    url: str
    icon: str
    current: bool


def navigation_for(user: Any, current_path: str) -> list[tuple[Any, list[NavLink]]]:
    """[(section, [links])] for the pages ``user`` may open, in NAV_ITEMS order. One link is current: the one
    whose address is the longest prefix of ``current_path`` (/kb/review/ marks 审核, not also 知识库 /kb/)."""
    visible = [(item, url) for item in NAV_ITEMS if item.visible(user) and (url := _url(item.target)) is not None]
    current = _current_url([url for _, url in visible], current_path)
    sections: dict[str, tuple[Any, list[NavLink]]] = {}
    for item, url in visible:
        sections.setdefault(str(item.section), (item.section, []))[1].append(
            NavLink(item.label, url, item.icon, url == current))
    return list(sections.values())


def _current_url(urls: list[str], path: str) -> str | None:
    matching = [url for url in urls if path == url or (url != "/" and path.startswith(url))]
    return max(matching, key=len, default=None)


def _url(target: str) -> str | None:
    if target.startswith("/"):
        return target
    try:
        return reverse(target)
    except NoReverseMatch:
        return None


# The page a role lands on after signing in (others: the home page with their role cards).
LANDING: dict[str, str] = {Role.ANALYST: "evaluation:dashboard"}


def landing_url(user: Any) -> str | None:
    roles = user.roles()
    for role, target in LANDING.items():
        if role in roles and (url := _url(target)) is not None:
            return url
    return None
