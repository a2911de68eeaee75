"""User text into reportlab Paragraph markup, safely.

Every piece of user text (stage names, clauses, signer names) goes through `markup`
before it meets a Paragraph: `&`, `<` and `>` are escaped so `<b`, `<img src=…>` or
`&amp;` print literally, line breaks are kept, and characters the body font lacks are
set in the CJK fallback font.
"""

from __future__ import annotations

from xml.sax.saxutils import escape as _xml_escape

from .fonts import covered, fallback_font


def markup(text: object) -> str:
    """Paragraph markup that prints `text` exactly as typed."""
    value = "" if text is None else str(text)
    if all(covered(c) for c in value):
        return _escape(value)
    font = fallback_font()
    if font is None:
        return _escape(value)
    parts: list[str] = []
    run, run_covered = "", True
    for char in value:
        here = covered(char) or char.isspace()
        if here != run_covered and run:
            parts.append(_wrap(run, run_covered, font))
            run = ""
        run, run_covered = run + char, here
    if run:
        parts.append(_wrap(run, run_covered, font))
    return "".join(parts)


def _wrap(run: str, is_covered: bool, font: str) -> str:
    return _escape(run) if is_covered else f'<font name="{font}">{_escape(run)}</font>'


def _escape(value: str) -> str:
    return _xml_escape(value).replace("\r\n", "\n").replace("\n", "<br/>")


def needs_fallback(text: str) -> bool:
    """Whether `text` has characters only the CJK fallback font can print."""
    return not all(covered(c) for c in text)
