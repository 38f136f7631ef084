"""QR codes for printed documents (the ticket's link to the citizens' query page), through segno (pure Python,
no dependencies): SVG for the HTML print layout, PNG for PDFs."""

from __future__ import annotations

import io

import segno


def qr_svg(text: str, *, scale: int = 4, title: str = "") -> str:
    """An inline ``<svg>`` element (no XML declaration, no styles: allowed under the strict CSP)."""
    code = segno.make(text, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True, title=title or None,
              svgclass="qr", lineclass=None, nl=False)
    return out.getvalue().decode("utf-8")


def qr_png(text: str, *, scale: int = 8) -> bytes:
    code = segno.make(text, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=2)
    return out.getvalue()
