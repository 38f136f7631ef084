"""Demo step (before the demo's tickets): notification contacts for a few units, so the history's dispatches,
warnings and supervision orders reach them. `demo_outbox` (the last step) gives the messages their states.
"""

from __future__ import annotations

from typing import Any

from jiesu.notify.models import UnitContact

# unit code, contact name, mobile, e-mail (reserved example domain: nothing is ever delivered there)
CONTACTS = [
    ("heating", "供热公司客服值班室（演示）", "13900000101", "duty@heating.siping.example"),
    ("urban", "城管执法局指挥中心（演示）", "13900000102", "zhihui@urban.siping.example"),
    ("tiexi", "铁西区分中心值班员（演示）", "13900000103", ""),
    ("water", "供水公司调度室（演示）", "", "diaodu@water.siping.example"),
]


def _contacts(ctx: Any) -> int:
    for code, name, mobile, email in CONTACTS:
        UnitContact.objects.update_or_create(unit=ctx.unit(code), name=name,
                                             defaults={"mobile": mobile, "email": email, "is_demo": True})
    return len(CONTACTS)


def load(ctx: Any) -> None:
    ctx.progress(f"单位通知联系人 {_contacts(ctx)} 个")
