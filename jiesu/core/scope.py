"""The one helper that restricts any queryset to the rows a user may see.

A model that can be restricted defines ``scope_q(unit_ids) -> Q``: the rows belonging to those units.
The user model provides ``scope_for(perm) -> Scope`` (see ``jiesu.org.models.User``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from jiesu.core.errors import NotFound, PermissionDeniedError
from jiesu.core.permissions import CONFIGURATION_PERMS, Perm, Role

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Scope:
    """Where a permission holds: the whole city, or a set of units."""

    city_wide: bool = False
    unit_ids: frozenset[int] = field(default_factory=frozenset)
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def empty(self) -> bool:
        return not self.city_wide and not self.unit_ids

    def covers(self, unit_id: int | None) -> bool:
        return self.city_wide or (unit_id is not None and unit_id in self.unit_ids)


NO_SCOPE = Scope()


def scope_of(user: Any, perm: Perm) -> Scope:
    """Where ``perm`` holds for the user: from the roles they hold in units. Superuser status adds the
    configuration permissions (the admin site) and nothing else: tickets, personal data and the loop's steps go
    through roles (docs/dev/decisions/superuser-acts-through-roles.md)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    if user.is_superuser and perm in CONFIGURATION_PERMS:
        return Scope(city_wide=True)
    return user.scope_for(perm)


def configuration_role(user: Any) -> str:
    """The role a configuration change is recorded in: admin when held, else superuser (never a role not held)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    if Role.ADMIN in user.roles():
        return str(Role.ADMIN)
    return "superuser" if user.is_superuser else ""


def has_perm(user: Any, perm: Perm) -> bool:
    return not scope_of(user, perm).empty


def require_perm(user: Any, perm: Perm) -> Scope:
    scope = scope_of(user, perm)
    if scope.empty:
        raise PermissionDeniedError()
    return scope


def restrict(queryset: QuerySet[M], user: Any, perm: Perm = Perm.TICKET_VIEW) -> QuerySet[M]:
    """The rows of ``queryset`` that ``user`` may see under ``perm``."""
    scope = scope_of(user, perm)
    if scope.city_wide:
        return queryset
    if scope.empty:
        return queryset.none()
    return queryset.filter(queryset.model.scope_q(scope.unit_ids))  # type: ignore[attr-defined]


def get_restricted(queryset: QuerySet[M], user: Any, perm: Perm = Perm.TICKET_VIEW, **lookup: Any) -> M:
    """One row the user may see, or NotFound (never revealing that it exists elsewhere)."""
    try:
        return restrict(queryset, user, perm).get(**lookup)
    except queryset.model.DoesNotExist as exc:  # type: ignore[attr-defined]
        raise NotFound() from exc
