"""Figures as plain data for the API, the CLI and the pages: each figure with its value, numerator and
denominator, and where the items behind each can be listed (the tickets, or the call records of a call figure)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from jiesu.evaluation.queries import FigureTable, FigureValue
from jiesu.evaluation.registry import get

API_TICKETS = "/api/v1/figures/{code}/tickets"
PAGE_TICKETS = "/figures/tickets/"
API_CALLS = "/api/v1/figures/{code}/calls"
PAGE_CALLS = "/figures/calls/"
LISTS = {"tickets": (API_TICKETS, PAGE_TICKETS), "calls": (API_CALLS, PAGE_CALLS)}  # by the figure's source


def scope_params(table: FigureTable) -> dict[str, str]:
    params = {"from": table.period.start.isoformat(), "to": table.period.end.isoformat()}
    if table.scope.unit is not None:
        params["unit"] = table.scope.unit.code
        if table.scope.subunits:
            params["subunits"] = "1"
    return params


def items_link(table: FigureTable, code: str, part: str, *, page: bool = False, group_key: str | None = None,
               city: bool = False) -> str:
    """The list behind a figure's numerator or denominator, filtered as the table (period, unit, group)."""
    api, page_path = LISTS[get(code).source]
    params = scope_params(table)
    if city:
        params = {k: v for k, v in params.items() if k in ("from", "to")}
    if group_key is not None and table.group_by:
        params.update({"group_by": table.group_by, "key": group_key})
    params["part"] = part
    if page:
        return f"{page_path}?{urlencode({'figure': code, **params})}"
    return f"{api.format(code=code)}?{urlencode(params)}"


def listable(figure: Any) -> bool:
    return bool(figure.drill_down) and figure.source in LISTS


def _one(table: FigureTable, v: FigureValue, *, links: bool, group_key: str | None = None,
         city: bool = False) -> dict[str, Any]:
    out = v.as_dict()
    if links and listable(v.figure):
        out["numerator_url"] = items_link(table, v.figure.code, "numerator", group_key=group_key, city=city)
        out["denominator_url"] = items_link(table, v.figure.code, "denominator", group_key=group_key, city=city)
    return out


def definition(figure: Any) -> dict[str, Any]:
    return {"code": figure.code, "label": str(figure.label), "section": figure.section, "kind": figure.kind,
            "description": str(figure.description), "numerator": str(figure.numerator_label),
            "denominator": str(figure.denominator_label), "higher_is_better": figure.higher_is_better,
            "unit_level": figure.unit_level}


def table_dict(table: FigureTable, *, links: bool = True) -> dict[str, Any]:
    return {
        "period": {"from": table.period.start.isoformat(), "to": table.period.end.isoformat()},
        "scope": {"unit": table.scope.unit.code if table.scope.unit else None, "subunits": table.scope.subunits,
                  "units": None if table.scope.units is None else len(table.scope.units)},
        "group_by": table.group_by,
        "definitions": [definition(f) for f in table.figures],
        "figures": {code: _one(table, v, links=links) for code, v in table.total.items()},
        "city": {code: _one(table, v, links=links, city=True) for code, v in table.city.items()},
        "groups": [{"key": g.key, "label": g.label,
                    "figures": {code: _one(table, v, links=links, group_key=g.key) for code, v in g.values.items()}}
                   for g in table.groups],
    }


def entry_dict(entry: Any, *, details: bool = True) -> dict[str, Any]:
    """One unit's line of a ranking; without ``details`` (another unit on the lists) only name, rank, score."""
    out: dict[str, Any] = {"unit": entry.unit_code, "unit_name": entry.unit_name, "group": entry.group,
                           "rank": entry.rank, "score": None if entry.score is None else float(entry.score),
                           "list": entry.list, "previous_rank": entry.previous_rank, "change": entry.change}
    if details:
        out["not_ranked_reason"] = entry.reason
        out["figures"] = {code: {"numerator": num, "denominator": den,
                                 "value": round(num / den, 6) if den and code.endswith("_rate") else
                                 (den if not code.endswith("_rate") else None)}
                          for code, (num, den) in entry.figures.items()}
    return out


def ranking_dict(result: Any, units: frozenset[int] | None = None) -> dict[str, Any]:
    """A month's ranking; ``units`` (a unit's own scope) limits the details to those units, while the red and
    black lists are shown to everyone (they are published in the circular)."""
    from jiesu.evaluation.scoring import BLACK, GROUPS, RED

    scheme = result.scheme
    visible = [e for e in result.entries if units is None or e.unit_id in units]
    return {
        "month": f"{result.period.start:%Y-%m}", "closed": result.stored,
        "computed_at": result.computed_at.isoformat() if result.computed_at else None,
        "previous_closed": result.previous_stored,
        "scheme": {"name": scheme.name, "valid_from": scheme.valid_from.isoformat(),
                   "weights": {"response_rate": float(scheme.weight_response),
                               "resolution_rate": float(scheme.weight_resolution),
                               "satisfaction_rate": float(scheme.weight_satisfaction)},
                   "points": {"overdue": float(scheme.points_overdue), "adjudication_refused":
                              float(scheme.points_refused), "returns_unjustified": float(scheme.points_unjustified),
                              "praise": float(scheme.points_praise), "praise_cap": float(scheme.praise_cap)},
                   "minimum_assignments": scheme.minimum_assignments, "list_size": scheme.list_size},
        "groups": [{"code": g.code, "label": str(g.label),
                    "entries": [entry_dict(e) for e in visible if e.group == g.code],
                    "red": [entry_dict(e, details=False) for e in result.of_group(g.code) if e.list == RED],
                    "black": [entry_dict(e, details=False) for e in result.of_group(g.code) if e.list == BLACK]}
                   for g in GROUPS],
    }
