"""The domain apps speak English when the user switches: errors, ticket states and actions, and every catalogue entry.

Django merges all apps' catalogues into one, the first app in INSTALLED_APPS winning for a msgid several share;
so a msgid must have one English wording everywhere, or a page would show another app's wording than its own.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils.translation import override

from jiesu.catalog.models import Clock, Kind, Urgency
from jiesu.catalog.queries import LimitMissing
from jiesu.core import errors
from jiesu.core.permissions import Role
from jiesu.tickets import lifecycle
from jiesu.tickets.states import Action, AssignmentStatus, ClosingType, State

JIESU = Path(__file__).resolve().parents[2]
DOMAIN_APPS = ["core", "tickets", "org", "catalog", "worktime", "intelligence", "notify", "api", "evaluation"]
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")

ERRORS = [errors.DomainError, errors.ValidationFailed, errors.PermissionDeniedError, errors.NotFound,
          errors.Conflict, errors.StaleVersion, errors.ActionNotAllowed, errors.CalendarMissing, LimitMissing]


def po_path(app: str) -> Path:
    return JIESU / app / "locale" / "en" / "LC_MESSAGES" / "django.po"


def parse_po(path: Path) -> list[dict[str, Any]]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (a list: one per plural form), flags."""
    entries: list[dict[str, Any]] = []
    entry: dict[str, Any] | None = None
    key: str | int = ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line or line.startswith("#~"):
            if entry is not None:
                entries.append(entry)
            entry = None
            continue
        if entry is None:
            entry = {"msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": {}, "flags": set()}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(key, int):
                entry["msgstr"][key] += value
            else:
                entry[key] += value
        else:
            word, value = line.split(" ", 1)
            plural = re.fullmatch(r"msgstr\[(\d+)\]", word)
            key = int(plural.group(1)) if plural else 0 if word == "msgstr" else word
            if isinstance(key, int):
                entry["msgstr"][key] = ast.literal_eval(value)
            else:
                entry[key] = ast.literal_eval(value)
    return [e for e in entries if e["msgid"]]  # the header has an empty msgid


def placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}", text))


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: e.__name__)
def test_domain_errors_are_english_in_english_and_chinese_by_default(error: type[errors.DomainError]):
    with override(settings.LANGUAGE_CODE):
        assert CJK.search(error().as_dict()["message"])
    with override("en"):
        message = error().as_dict()["message"]
    assert message and message[0].isupper() and not CJK.search(message), message


def test_not_found_reads_in_english():
    with override("en"):
        body = errors.NotFound().as_dict()
    assert body == {"code": "not_found", "message": "The record was not found, or you are not allowed to see it."}


def test_ticket_states_and_lifecycle_actions_are_english():
    with override("en"):
        labels = {
            **{f"state {s.value}": str(s.label) for s in State},
            **{f"assignment status {s.value}": str(s.label) for s in AssignmentStatus},
            **{f"action {a.value}": str(a.label) for a in Action},
            **{f"closing {c.value}": str(c.label) for c in ClosingType},
            **{f"transition {t.action.value}": str(t.action.label) for t in lifecycle.TABLE},
            **{f"kind {k.value}": str(k.label) for k in Kind},
            **{f"urgency {u.value}": str(u.label) for u in Urgency},
            **{f"clock {c.value}": str(c.label) for c in Clock},
            **{f"role {r.value}": str(r.label) for r in Role},
        }
        assert str(State.ASSIGNED.label) == "To sign for"  # the wording the English pages already used
        assert str(lifecycle.transition_for("request_return").action.label) == "Request return"
    chinese = {name: label for name, label in labels.items() if CJK.search(label)}
    assert not chinese
    with override(settings.LANGUAGE_CODE):
        assert str(State.ASSIGNED.label) == "待签收"  # Chinese stays the default


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_every_catalogue_entry_is_translated(app: str):
    path = po_path(app)
    entries = parse_po(path)
    assert entries, path
    for e in entries:
        where = f"{app}: {e['msgid']!r}"
        assert "fuzzy" not in e["flags"], where
        forms = [e["msgstr"][i] for i in sorted(e["msgstr"])]
        assert forms and all(f.strip() for f in forms), f"untranslated: {where}"
        assert len(forms) == (2 if e["msgid_plural"] else 1), where
        for form in forms:
            assert not CJK.search(form), f"Chinese left in the English of {where}: {form!r}"
            if "python-format" in e["flags"] or "python-brace-format" in e["flags"]:
                assert placeholders(form) == placeholders(e["msgid"]), where
    header = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "#, fuzzy" not in header and '"Language: en\\n"' in header


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_the_compiled_catalogue_matches_the_po_file(app: str):
    """The committed .mo is compiled from the committed .po (run compilemessages after editing a .po)."""
    with open(po_path(app).with_suffix(".mo"), "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for e in parse_po(po_path(app)):
        key = e["msgid"] if e["msgctxt"] is None else f"{e['msgctxt']}\x04{e['msgid']}"
        if e["msgid_plural"]:
            assert compiled.ngettext(key, e["msgid_plural"], 1) == e["msgstr"][0], (app, key)
        else:
            assert compiled.gettext(key) == e["msgstr"][0], (app, key)


def test_a_msgid_shared_by_several_catalogues_has_one_english_wording():
    """Each domain msgid reads as in the web and knowledge catalogues (and in the other domain apps)."""
    seen: dict[tuple[str | None, str], dict[str, str]] = {}
    for app in [*DOMAIN_APPS, "knowledge", "web"]:
        for e in parse_po(po_path(app)):
            seen.setdefault((e["msgctxt"], e["msgid"]), {})[app] = e["msgstr"][0]
    differing = {key: by_app for key, by_app in seen.items()
                 if len(set(by_app.values())) > 1 and set(by_app) & set(DOMAIN_APPS)}
    assert not differing


@pytest.mark.django_db
def test_the_admin_titles_follow_the_language(admin_client):
    assert "接诉 · 12345 热线管理后台" in admin_client.get("/admin/").content.decode()
    admin_client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    html = admin_client.get("/admin/").content.decode()
    assert "Jiesu · 12345 hotline administration" in html and "热线管理后台" not in html
