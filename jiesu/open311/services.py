"""Open311 services (the categories a client may file) and filing a request: it becomes a ticket through
`tickets.services.accept`, on the channel ``JIESU_OPEN311_CHANNEL`` (default ``api``), in one transaction with
its `Open311Request` row."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.html import strip_tags

from jiesu.catalog.models import Category, Kind
from jiesu.core import clock
from jiesu.core.errors import DomainError
from jiesu.open311.models import Open311Request
from jiesu.tickets import services as tickets
from jiesu.tickets.models import Ticket

KIND_ATTRIBUTE = "kind"
DEFAULT_KIND = Kind.HELP
MAX_DESCRIPTION = 4000
MAX_MEDIA_URL = 500  # Open311Request.media_url
# what accept's field errors mean in Open311's words
FIELD_NAMES = {"requester_phone": "phone", "requester_name": "first_name/last_name", "content": "description",
               "address": "address_string", "category": "service_code", "kind": "attribute[kind]"}


class Open311Error(Exception):
    def __init__(self, status: int, descriptions: list[str]):
        self.status, self.descriptions = status, descriptions
        super().__init__("; ".join(descriptions))


def _leaves() -> Any:
    return (Category.objects.filter(is_active=True, children__isnull=True).select_related("parent__parent")
            .order_by("path", "code"))


def _top(category: Category) -> Category:
    while category.parent is not None:
        category = category.parent
    return category


def _path_name(category: Category) -> str:
    names = []
    node: Category | None = category
    while node is not None:
        names.append(node.name)
        node = node.parent
    return " › ".join(reversed(names))


def service_list() -> list[dict[str, Any]]:
    return [{"service_code": c.code, "service_name": c.name, "description": _path_name(c), "metadata": True,
             "type": "realtime", "keywords": "", "group": _top(c).name} for c in _leaves()]


def service(code: str) -> Category:
    category = _leaves().filter(code=code).first()
    if category is None:
        raise Open311Error(404, [f"service_code {code} not found"])
    return category


def definition(code: str) -> dict[str, Any]:
    category = service(code)
    values = [{"key": k.value, "name": str(k.label)} for k in Kind if k != Kind.CONSULTATION]
    return {"service_code": category.code, "attributes": [{
        "variable": True, "code": KIND_ATTRIBUTE, "datatype": "singlevaluelist", "required": False,
        "datatype_description": "", "order": 1, "description": "诉求类型（默认：求助）", "values": values}]}


@dataclass(frozen=True)
class Filing:
    category: Category
    kind: str
    lat: Decimal | None
    long: Decimal | None
    address: str
    description: str


def _coordinate(raw: str, name: str, limit: int) -> Decimal | None:
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise Open311Error(400, [f"{name} is not a number"]) from exc
    if not value.is_finite() or abs(value) > limit:
        raise Open311Error(400, [f"{name} is out of range"])
    return value.quantize(Decimal("0.000001"))


def _read(form: Any) -> Filing:
    code = (form.get("service_code") or "").strip()
    if not code:
        raise Open311Error(400, ["service_code is required"])
    category = service(code)
    lat, long = _coordinate(form.get("lat", ""), "lat", 90), _coordinate(form.get("long", ""), "long", 180)
    address = strip_tags(form.get("address_string") or form.get("address_id") or "").strip()
    if (lat is None or long is None) and not address:
        raise Open311Error(400, ["a location is required: lat and long, address_string or address_id"])
    description = strip_tags(form.get("description") or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise Open311Error(400, [f"description is longer than {MAX_DESCRIPTION} characters"])
    kind = (form.get(f"attribute[{KIND_ATTRIBUTE}]") or DEFAULT_KIND).strip()
    if kind not in Kind.values or kind == Kind.CONSULTATION:
        raise Open311Error(400, [f"attribute[{KIND_ATTRIBUTE}] {kind} is not one of the listed values"])
    return Filing(category, kind, lat, long, address[:200], description)


def _ticket_data(f: Filing, form: Any) -> dict[str, Any]:
    place = f.address or f"{f.lat}, {f.long}"
    name = " ".join(p for p in ((form.get("last_name") or "").strip(), (form.get("first_name") or "").strip()) if p)
    return {"title": f"{f.category.name}：{place}"[:200], "content": f.description or f.category.name,
            "kind": f.kind, "channel": getattr(settings, "JIESU_OPEN311_CHANNEL", "api"),
            "category": f.category.code, "address": place[:200], "requester_name": name[:60],
            "requester_phone": (form.get("phone") or "").strip()[:40]}


def file_request(actor: Any, form: Any) -> Ticket:
    """A POSTed request as a ticket; bad input raises Open311Error and creates nothing."""
    filing, media_url = _read(form), _media_url(form)
    try:
        with transaction.atomic():
            ticket = tickets.accept(actor, _ticket_data(filing, form))
            Open311Request.objects.create(
                ticket=ticket, service_code=filing.category.code, lat=filing.lat, long=filing.long,
                address_string=filing.address, device_id=(form.get("device_id") or "")[:100],
                account_id=(form.get("account_id") or "")[:100], media_url=media_url,
                filed_by=actor, filed_at=clock.now())
    except DomainError as exc:
        status = 403 if exc.status in (401, 403) else 400
        details = [f"{FIELD_NAMES.get(k, k)}: {'；'.join(str(m) for m in v)}" for k, v in exc.field_errors.items()]
        raise Open311Error(status, details or [str(exc.message)]) from exc
    return ticket


def _media_url(form: Any) -> str:
    url = (form.get("media_url") or "").strip()
    if url and not url.startswith(("https://", "http://")):
        raise Open311Error(400, ["media_url must be an http(s) address"])
    if len(url) > MAX_MEDIA_URL:  # cut, the link would lead nowhere
        raise Open311Error(400, [f"media_url is longer than {MAX_MEDIA_URL} characters"])
    return url
