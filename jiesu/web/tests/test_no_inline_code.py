"""The Content-Security-Policy allows no inline code: every template (and every bit of HTML built in Python) is
scanned for inline <script> code, <style> blocks, on…= handlers, style= attributes, javascript: URLs and htmx
features that need eval, so that nobody brings them back. The policy itself is checked on real responses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import jiesu
from jiesu.core.middleware import content_security_policy

ROOT = Path(jiesu.__file__).parent
TAG = re.compile(r"<([a-zA-Z][\w-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
FORBIDDEN_ATTRIBUTE = re.compile(r"(?:^|\s)(on[a-z]+|style|hx-on[:\w-]*)\s*=", re.I)
HX_TRIGGER = re.compile(r"hx-trigger\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


def problems_in(html: str) -> list[str]:
    found: list[str] = []
    for attributes, body in SCRIPT.findall(html):
        is_data = re.search(r"type\s*=\s*[\"']application/(ld\+)?json[\"']", attributes)
        if body.strip() and not is_data:
            found.append(f"inline <script>: {body.strip()[:60]!r}")
    if re.search(r"<style\b", html, re.I):
        found.append("a <style> block")
    for _name, attributes in TAG.findall(html):
        for match in FORBIDDEN_ATTRIBUTE.finditer(attributes):
            found.append(f"attribute {match.group(1)}=")
        if re.search(r"javascript:", attributes, re.I):
            found.append("a javascript: URL")
    for match in HX_TRIGGER.finditer(html):
        # an event filter (keyup[key=='Enter']) is evaluated as JavaScript; a selector (from:input[name=q]) is not
        events = [part.split()[0] for part in (match.group(1) or match.group(2)).split(",") if part.split()]
        found += [f"an htmx trigger filter {event}" for event in events if "[" in event]
    return found


def templates() -> list[Path]:
    return sorted(p for p in ROOT.rglob("templates/**/*.html") if "tests" not in p.parts)


def python_sources() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts)


def test_the_scanner_finds_each_kind_of_inline_code():
    bad = ('<select onchange="this.form.submit()"><p style="color:red"><script>alert(1)</script>'
           '<style>p{}</style><a href="javascript:history.back()"><b hx-on:click="x()">'
           '<input hx-trigger="keyup[key==\'Enter\']">')
    assert len(problems_in(bad)) == 7
    good = ('<script src="/static/a.js" defer></script><script type="application/json" id="d">{"a": 1}</script>'
            '<select data-autosubmit><p class="one" data-once="1"><input hx-trigger="blur changed, lookup">')
    assert problems_in(good) == []


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_inline_code(path):
    assert problems_in(path.read_text(encoding="utf-8")) == []


def test_there_are_templates_to_scan():
    assert len(templates()) > 30


@pytest.mark.parametrize("path", python_sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_html_built_in_python_has_inline_code(path):
    source = path.read_text(encoding="utf-8")
    for literal in re.findall(r"(?:format_html|mark_safe)\(\s*(f?[\"'].*?[\"'])", source, re.S):
        assert problems_in(literal) == [], f"{path}: {literal[:80]}"


def test_the_policy_allows_no_inline_code_and_no_other_host():
    policy = content_security_policy()
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy and "http" not in policy
    assert "frame-ancestors 'self'" in policy and "object-src 'none'" in policy


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/login/", "/api/v1/health", "/admin/login/", "/ask/", "/api/v1/docs"])
def test_every_response_carries_the_policy(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == content_security_policy()


@pytest.mark.django_db
def test_the_widget_other_sites_frame_may_be_framed(client):
    response = client.get("/ask/widget/")
    assert response.status_code == 200
    assert "frame-ancestors" not in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
