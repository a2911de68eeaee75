"""The one palette shared by the screens and the PDFs, as hex strings.

Colours are chosen to stay distinguishable on a washed-out projector and for the common
colour-vision deficiencies (marketing blue vs sales orange, shared teal).
"""

from __future__ import annotations

OWNER = {
    "marketing": "#2F6FDE",
    "sales": "#E07B24",
    "shared": "#2A9D8F",
    None: "#9AA3AF",  # no owner yet
}
OWNER_LABEL = {"marketing": "Marketing", "sales": "Sales", "shared": "Shared", None: "No owner"}

AGREEMENT = {"agreed": "#2E7D32", "open": "#9AA3AF", "disputed": "#C62828"}

INK = "#1F2933"          # body text
MUTED = "#616E7C"        # secondary text
RULE = "#D9DEE4"         # lines and grid
PAPER = "#FFFFFF"
CANVAS = "#F4F6F8"       # window background behind cards
ACCENT = "#3B4CCA"       # selection, focus, links
GOOD = "#2E7D32"
WARN = "#B7791F"
BAD = "#C62828"
PLAN = "#9AA3AF"         # plan bars beside actual bars
ACTUAL = "#3B4CCA"

SERIES = ("#2F6FDE", "#E07B24", "#2A9D8F", "#8E44AD", "#C0392B", "#7F8C8D", "#D4AC0D",
          "#16A085", "#34495E", "#E84393")


def series(index: int) -> str:
    """The colour of the index-th data series (sources, quarters), cycling."""
    return SERIES[index % len(SERIES)]


def colour(role: str) -> str:
    """The hex colour of a role named in chart data (workbench/chartdata.py), so the screens
    and the PDFs resolve it alike: "plan", "actual", "good", "warn", "bad", "ink", "muted",
    "rule", "accent", "series:3", "owner:sales" (an unknown role is muted grey)."""
    fixed = {"plan": PLAN, "actual": ACTUAL, "good": GOOD, "warn": WARN, "bad": BAD,
             "ink": INK, "muted": MUTED, "rule": RULE, "accent": ACCENT}
    if role in fixed:
        return fixed[role]
    kind, _, detail = role.partition(":")
    if kind == "series" and detail.isdigit():
        return series(int(detail))
    if kind == "owner":
        return OWNER.get(detail or None, OWNER[None])
    return MUTED
