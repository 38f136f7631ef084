"""The intake screen's form: the cascading pickers (region, category) and turning a submission into the
inputs of ``services.accept`` and of the action the operator chose. Presentation and parsing only, no rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from jiesu.catalog.models import Category, Kind, Urgency
from jiesu.catalog.queries import active_channels
from jiesu.core import clock
from jiesu.core.permissions import Role
from jiesu.org.models import Region
from jiesu.tickets.numbering import example_number
from jiesu.tickets.states import EmergencyLine, RejectReason
from jiesu.web.action_forms import data_from_post

ACCEPT_TEXT_FIELDS = ("title", "content", "kind", "channel", "category", "region", "address", "urgency",
                      "requester_name", "requester_phone")
ACCEPT_FLAGS = ("is_anonymous", "is_whistleblower")

# What the operator does with the call once it is registered; "" registers only.
DISPOSITIONS = {
    "handover": (_("转派单"), _("登记后交派单员派单")),
    "dispatch": (_("直接派单"), _("登记后立即派给承办单位")),
    "answer": (_("直接答复"), _("咨询当场答复并办结")),
    "merge": (_("并单"), _("并入一张在办工单")),
    "reject": (_("不予受理"), _("告知诉求人其他途径")),
    "": (_("仅登记"), _("只登记，稍后处理")),
}
KIND_KEYS = {"consultation": "1", "help": "2", "complaint": "3", "report": "4", "suggestion": "5", "praise": "6"}


@dataclass(frozen=True)
class Tree:
    name: str
    model: Any
    levels: tuple[int, ...]
    labels: tuple[Any, ...]


TREES = {
    "region": Tree("region", Region, (Region.Level.DISTRICT, Region.Level.STREET, Region.Level.COMMUNITY),
                   (_("区县"), _("街道乡镇"), _("社区村"))),
    "category": Tree("category", Category, (1, 2, 3), (_("一级分类"), _("二级分类"), _("三级分类"))),
}


@dataclass
class PickerLevel:
    field: str
    label: str
    options: list[tuple[str, str]]
    selected: str = ""


@dataclass
class Picker:
    name: str
    levels: list[PickerLevel]
    value: str = ""
    chain: list[str] = field(default_factory=list)
    manual: bool = False
    search: str = ""  # what the operator typed to find it
    search_others: int = 0
    search_missed: bool = False


def _chain(tree: Tree, code: str) -> list[Any]:
    """From the first picker level down to the node with ``code`` (empty when unknown)."""
    node = tree.model.objects.filter(code=code, is_active=True).select_related("parent").first() if code else None
    chain: list[Any] = []
    while node is not None and node.level >= tree.levels[0]:
        chain.insert(0, node)
        node = node.parent
    return chain if chain and chain[0].level == tree.levels[0] else []


def _options(tree: Tree, level: int, parent: Any) -> list[tuple[str, str]]:
    rows = tree.model.objects.filter(is_active=True, level=level)
    rows = rows.filter(parent=parent) if parent is not None else rows
    order = ("sort", "code") if tree.model is Category else ("code",)
    return list(rows.order_by(*order).values_list("code", "name"))


def picker(tree_name: str, code: str = "", *, manual: bool = False) -> Picker:
    tree = TREES[tree_name]
    chain = _chain(tree, code)
    levels = []
    for depth, (level, label) in enumerate(zip(tree.levels, tree.labels, strict=True)):
        parent = chain[depth - 1] if 0 < depth <= len(chain) else None
        options = _options(tree, level, parent) if depth == 0 or parent is not None else []
        selected = chain[depth].code if depth < len(chain) else ""
        levels.append(PickerLevel(f"{tree.name}_{depth + 1}", label, options, selected))
    return Picker(tree.name, levels, chain[-1].code if chain else "", [n.name for n in chain], manual)


def picked_code(tree_name: str, data: QueryDict, changed: str = "") -> str:
    """The deepest level chosen in a submitted picker, not below the level that just changed."""
    code = ""
    for depth in range(len(TREES[tree_name].levels)):
        name = f"{tree_name}_{depth + 1}"
        value = data.get(name, "").strip()
        if not value:
            break
        code = value
        if name == changed:
            break
    return code


def category_paths() -> list[tuple[str, str]]:
    """(code, "城乡建设 / 供热 / 暖气不热") of every active category, for finding one by typing."""
    from jiesu.web.action_forms import category_code_choices

    return category_code_choices()


def find_category(text: str) -> tuple[str, int]:
    """(code, how many other categories also match) for a typed path or a word of a category's name.

    An exact path wins; otherwise the most specific category whose own name contains the text."""
    wanted = "".join(text.split())
    if not wanted:
        return "", 0
    paths = [(code, "".join(label.split())) for code, label in category_paths()]
    exact = [code for code, label in paths if label == wanted]
    if exact:
        return exact[0], 0
    found = [(label.count("/"), code) for code, label in paths if wanted in label.rsplit("/", 1)[-1]]
    found.sort(key=lambda pair: -pair[0])
    return (found[0][1], len(found) - 1) if found else ("", 0)


# ---- the submission -------------------------------------------------------------------------------------------

def accept_data(post: QueryDict) -> dict[str, Any]:
    data: dict[str, Any] = {name: post.get(name, "").strip() for name in ACCEPT_TEXT_FIELDS}
    data.update({name: post.get(name) in {"on", "1", "true"} for name in ACCEPT_FLAGS})
    for optional in ("category", "region"):
        if not data[optional]:
            data[optional] = None
    data["channel"] = data["channel"] or "phone"
    data["urgency"] = data["urgency"] or Urgency.NORMAL
    return data


def action_data(action: str, post: QueryDict) -> dict[str, Any]:
    """The fields of ``action`` (named ``action-field`` on the page) as the dict its schema validates."""
    prefix = f"{action}-"
    own = QueryDict(mutable=True)
    for key in post:
        if key.startswith(prefix):
            own.setlist(key[len(prefix):], post.getlist(key))
    data = data_from_post(action, own)
    if action == "dispatch" and post.get("category"):
        data["category"] = post.get("category")
    return data


def page_errors(action: str, field_errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """An action's field errors under the names the page uses (``reject-route``); shared fields keep theirs."""
    shared = {"category", "region"}
    return {(name if name in shared or name == "__all__" else f"{action}-{name}"): [str(m) for m in messages]
            for name, messages in field_errors.items()}


def dispositions_for(user: Any) -> list[tuple[str, str, str]]:
    """(value, label, hint) of what this user may do with a new ticket, the usual choice first."""
    roles = user.roles() if hasattr(user, "roles") else set()
    wanted = []
    if Role.DISPATCHER in roles:
        wanted.append("dispatch")
    if Role.OPERATOR in roles:
        wanted.append("handover")
    wanted += ["answer", "merge", "reject", ""]
    if wanted[0] == "answer":  # neither role (e.g. a superuser): registering only is the safe default
        wanted = ["", "answer", "merge", "reject"]
    return [(key, str(DISPOSITIONS[key][0]), str(DISPOSITIONS[key][1])) for key in wanted]


def choices() -> dict[str, Any]:
    return {
        "kinds": [(value, label, KIND_KEYS.get(value, "")) for value, label in Kind.choices],
        "urgencies": Urgency.choices,
        "channels": [(c.code, c.name) for c in active_channels()],
        "reject_reasons": RejectReason.choices,
        "emergency_lines": EmergencyLine.choices,
        "example_number": example_number(clock.now()),
    }
