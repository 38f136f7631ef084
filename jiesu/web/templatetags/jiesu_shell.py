"""Template tags for the page shell: ``{% load jiesu_shell %}{% shell_nav as nav %}``."""

from __future__ import annotations

from typing import Any

from django import template

from jiesu.web.navigation import navigation_for

register = template.Library()


@register.simple_tag(takes_context=True)
def shell_nav(context: Any) -> list[Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return []
    return navigation_for(user, request.path)


@register.simple_tag(takes_context=True)
def shell_user(context: Any) -> dict[str, Any]:
    """The signed-in user's name, first unit and roles, for the top bar."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    memberships = user.active_memberships()
    roles: list[str] = []
    for m in memberships:
        label = str(m.get_role_display())
        if label not in roles:
            roles.append(label)
    unit = memberships[0].unit if memberships else None
    return {"name": str(user), "unit": (unit.short_name or unit.name) if unit else "", "roles": roles}
