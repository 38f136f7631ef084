"""Roles and named permissions. A user holds roles *in a unit*; a role grants permissions over a scope."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OPERATOR = "operator", _("话务员")
    DISPATCHER = "dispatcher", _("派单员")
    HANDLER = "handler", _("承办人")
    SUPERVISOR = "supervisor", _("督办员")
    VISITOR = "visitor", _("回访员")
    ADJUDICATOR = "adjudicator", _("研判员")
    ANALYST = "analyst", _("数据分析员")
    ADMIN = "admin", _("系统管理员")


class Perm(StrEnum):
    """scope:resource:action names, checked through `has_perm` and `restrict`."""

    TICKET_VIEW = "ticket:view"
    TICKET_CREATE = "ticket:create"
    TICKET_EXPORT = "ticket:export"
    PERSONAL_DATA_REVEAL = "personal_data:reveal"
    UNIT_VIEW = "unit:view"
    ORG_MANAGE = "org:manage"
    CALENDAR_MANAGE = "calendar:manage"
    CATALOG_MANAGE = "catalog:manage"
    STATS_VIEW = "stats:view"
    SUPERVISION_ISSUE = "supervision:issue"  # the ladder's unit-level steps (约谈, 问责)
    BOARD_MODERATE = "board:moderate"  # publishing the leader message board's messages
    MODEL_MANAGE = "model:manage"
    KNOWLEDGE_VIEW = "knowledge:view"
    KNOWLEDGE_EDIT = "knowledge:edit"
    KNOWLEDGE_PUBLISH = "knowledge:publish"
    CALLS_IMPORT = "calls:import"  # the call centre's records (a feed's account, or the administrator)
    TASK_CREATE = "task:create"  # the centre's proactive tasks (未诉先办), given to a unit with their tickets


# Configuration (the admin site): what superuser status grants, city-wide, besides the roles a user holds.
CONFIGURATION_PERMS = frozenset({Perm.ORG_MANAGE, Perm.CALENDAR_MANAGE, Perm.CATALOG_MANAGE, Perm.MODEL_MANAGE})

_STAFF_BASE = {Perm.TICKET_VIEW, Perm.UNIT_VIEW, Perm.KNOWLEDGE_VIEW}

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.OPERATOR: frozenset(_STAFF_BASE | {Perm.TICKET_CREATE, Perm.PERSONAL_DATA_REVEAL, Perm.BOARD_MODERATE}),
    Role.DISPATCHER: frozenset(_STAFF_BASE | {Perm.TICKET_CREATE, Perm.PERSONAL_DATA_REVEAL, Perm.TASK_CREATE}),
    Role.HANDLER: frozenset(_STAFF_BASE | {Perm.PERSONAL_DATA_REVEAL, Perm.KNOWLEDGE_EDIT}),
    Role.SUPERVISOR: frozenset(
        _STAFF_BASE | {Perm.PERSONAL_DATA_REVEAL, Perm.STATS_VIEW, Perm.TICKET_EXPORT, Perm.KNOWLEDGE_PUBLISH,
                       Perm.SUPERVISION_ISSUE, Perm.BOARD_MODERATE}
    ),
    Role.VISITOR: frozenset(_STAFF_BASE | {Perm.PERSONAL_DATA_REVEAL}),
    Role.ADJUDICATOR: frozenset(_STAFF_BASE),
    Role.ANALYST: frozenset(_STAFF_BASE | {Perm.STATS_VIEW, Perm.TICKET_EXPORT}),
    Role.ADMIN: frozenset(
        _STAFF_BASE
        | {
            Perm.ORG_MANAGE,
            Perm.CALENDAR_MANAGE,
            Perm.CATALOG_MANAGE,
            Perm.MODEL_MANAGE,
            Perm.STATS_VIEW,
            Perm.KNOWLEDGE_EDIT,
            Perm.KNOWLEDGE_PUBLISH,
            Perm.CALLS_IMPORT,
        }
    ),
}


def permissions_of(role: str) -> frozenset[Perm]:
    return ROLE_PERMISSIONS.get(role, frozenset())
