"""Demo step: 四平市's regions, units and demo accounts, from the CSV files in jiesu/demo/data/."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import make_password

from jiesu.core.permissions import Role
from jiesu.org.models import Membership, Region, RegionAlias, Unit, User

REGIONS_FILE = "siping_regions.csv"
UNITS_FILE = "siping_units.csv"
ACCOUNTS_FILE = "siping_accounts.csv"


def load(ctx: Any) -> None:
    regions = load_regions(ctx)
    ctx.progress(f"行政区划 {regions} 个（含别名）")
    units = load_units(ctx)
    ctx.progress(f"承办单位 {units} 个")
    accounts = load_accounts(ctx)
    ctx.progress(f"演示账号 {accounts} 个，密码 {ctx.password}")


def load_regions(ctx: Any) -> int:
    rows = ctx.read_csv(REGIONS_FILE)
    wanted: set[tuple[int, str]] = set()
    for row in rows:
        region = ctx.upsert(Region, "code", row["code"], {
            "name": row["name"], "level": int(row["level"]), "is_active": True,
            "parent": ctx.region(row["parent"]) if row["parent"] else None,
        })
        wanted.update((region.pk, alias) for alias in row["aliases"].split("|") if alias)
    _set_aliases(wanted)
    return len(rows)


def _set_aliases(wanted: set[tuple[int, str]]) -> None:
    """The demo regions get exactly the aliases of the data file (aliases added by hand elsewhere stay)."""
    region_ids = {region_id for region_id, _ in wanted}
    existing = {(a.region_id, a.alias): a.pk for a in RegionAlias.objects.filter(region_id__in=region_ids)}
    RegionAlias.objects.bulk_create(
        [RegionAlias(region_id=region_id, alias=alias) for region_id, alias in sorted(wanted - existing.keys())])
    RegionAlias.objects.filter(pk__in=[pk for key, pk in existing.items() if key not in wanted]).delete()


def load_units(ctx: Any) -> int:
    rows = ctx.read_csv(UNITS_FILE)
    for row in rows:
        ctx.upsert(Unit, "code", row["code"], {
            "name": row["name"],
            "short_name": row["short_name"],
            "kind": row["kind"],
            "parent": ctx.unit(row["parent"]) if row["parent"] else None,
            "region": ctx.region(row["region"]) if row["region"] else None,
            "phone": row["phone"],
            "address": row["address"],
            "is_active": True,
            "is_demo": True,
        })
    return len(rows)


def _demo_password_hash(password: str) -> str:
    """One hash for all demo accounts: hashing is slow on purpose, and these accounts share one password."""
    sample = User.objects.filter(is_demo=True).first()
    if sample is not None and sample.check_password(password):
        return sample.password
    return make_password(password)


def load_accounts(ctx: Any) -> int:
    rows = ctx.read_csv(ACCOUNTS_FILE)
    password_hash = _demo_password_hash(ctx.password)
    for row in rows:
        is_admin = row["role"] == Role.ADMIN
        user = ctx.upsert(User, "username", row["username"], {
            "display_name": row["display_name"], "password": password_hash, "is_active": True,
            "is_staff": is_admin, "is_superuser": is_admin, "is_demo": True,
        })
        _grant(user, ctx.unit(row["unit"]), row["role"], row["scope"])
    return len({row["username"] for row in rows})


def _grant(user: User, unit: Unit, role: str, scope: str) -> None:
    membership = Membership.objects.filter(user=user, unit=unit, role=role).first()
    if membership is None:
        Membership.objects.create(user=user, unit=unit, role=role, scope=scope)
    elif membership.scope != scope or not membership.is_active:
        membership.scope, membership.is_active = scope, True
        membership.save(update_fields=["scope", "is_active"])


def demo_accounts() -> list[dict[str, str]]:
    """Demo users with their roles (one row per user, roles joined), for `jiesu demo --list` and the login page."""
    memberships = (
        Membership.objects.filter(user__is_demo=True, is_active=True)
        .select_related("user", "unit")
        .order_by("user__id", "unit__path", "role")
    )
    rows: dict[int, dict[str, str]] = {}
    for m in memberships:
        role, unit = str(m.get_role_display()), m.unit.short_name or m.unit.name
        row = rows.get(m.user_id)
        if row is None:
            rows[m.user_id] = {"username": m.user.username, "name": m.user.display_name, "unit": unit,
                               "role": role, "scope": str(m.get_scope_display())}
        elif role not in row["role"].split(" / "):
            row["role"] += " / " + role
    return list(rows.values())
