"""Changes to users and their roles. Each runs in one transaction and writes one event."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from jiesu.core.errors import ValidationFailed
from jiesu.core.events import record_event
from jiesu.core.permissions import Role
from jiesu.core.scope import configuration_role
from jiesu.org.models import Membership, Unit, User


def _check_new_user(username: str, unit_code: str, role: str, scope: str) -> Unit:
    errors: dict[str, list[str]] = {}
    if not username or User.objects.filter(username=username).exists():
        errors["username"] = [f"用户名“{username}”已存在或为空。"]
    unit = Unit.objects.filter(code=unit_code).first()
    if unit is None or not unit.is_active:
        errors["unit"] = [f"找不到启用的单位“{unit_code}”。"]
    if role not in Role.values:
        errors["role"] = [f"未知角色“{role}”，可选：{'、'.join(Role.values)}。"]
    if scope not in Membership.ScopeKind.values:
        errors["scope"] = [f"未知范围“{scope}”，可选：{'、'.join(Membership.ScopeKind.values)}。"]
    if errors:
        raise ValidationFailed("无法创建用户：" + "；".join(m for ms in errors.values() for m in ms),
                               field_errors=errors)
    assert unit is not None
    return unit


def create_user(
    *,
    actor: Any,
    username: str,
    unit_code: str,
    role: str,
    password: str,
    scope: str = Membership.ScopeKind.UNIT,
    display_name: str = "",
) -> User:
    """A new user holding ``role`` in the unit ``unit_code``. Admins may also use the admin site."""
    unit = _check_new_user(username, unit_code, role, scope)
    try:
        validate_password(password)
    except ValidationError as exc:
        raise ValidationFailed("密码不符合要求：" + " ".join(exc.messages),
                               field_errors={"password": list(exc.messages)}) from exc
    is_admin = role == Role.ADMIN
    with transaction.atomic():
        user = User(username=username, display_name=display_name, is_staff=is_admin, is_superuser=is_admin)
        user.set_password(password)
        user.save()
        Membership.objects.create(user=user, unit=unit, role=role, scope=scope)
        record_event(
            subject_type="user", subject_id=user.pk, action="created", actor=actor,
            actor_role=configuration_role(actor),
            after={"username": username, "display_name": display_name, "unit": unit.code, "role": role,
                   "scope": scope},
        )
    return user


def _snapshot(obj: Any, names: list[str]) -> dict[str, Any]:
    """The named model fields as plain JSON values (never the password hash)."""
    snapshot: dict[str, Any] = {}
    concrete = {f.name: f for f in obj._meta.concrete_fields}
    for name in names:
        field = concrete.get(name)
        if field is None or name == "password":
            continue
        value = getattr(obj, field.attname)
        snapshot[name] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
    return snapshot


def save_with_event(*, actor: Any, obj: Any, changed: list[str], created: bool) -> Any:
    """Save a unit, user, role or region edited in the admin, and record what changed."""
    with transaction.atomic():
        obj.save()
        record_event(
            subject_type=obj._meta.model_name, subject_id=obj.pk, action="created" if created else "changed",
            actor=actor, actor_role=configuration_role(actor), after=_snapshot(obj, changed),
        )
    return obj


def set_active(*, actor: Any, objects: Any, active: bool) -> int:
    """Activate or deactivate units, users or regions (instead of deleting them); one event each."""
    count = 0
    with transaction.atomic():
        for obj in objects:
            if obj.is_active == active:
                continue
            obj.is_active = active
            obj.save(update_fields=["is_active"])
            record_event(
                subject_type=obj._meta.model_name, subject_id=obj.pk,
                action="activated" if active else "deactivated", actor=actor,
                actor_role=configuration_role(actor),
                before={"is_active": not active}, after={"is_active": active},
            )
            count += 1
    return count


def system_account(username: str, display_name: str, role: str) -> User | None:
    """A system account acting in the hotline centre with one role (the answer bot registering hand-overs, the
    citizens' self-service rating): no password, so nobody signs in as it; None when there is no centre."""
    from jiesu.org.queries import hotline_centre

    centre = hotline_centre()
    if centre is None:
        return None
    with transaction.atomic():
        user, created = User.objects.get_or_create(username=username, defaults={"display_name": display_name})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, unit=centre, role=role,
                                         defaults={"scope": Membership.ScopeKind.CITY})
    return User.objects.get(pk=user.pk)
