"""Numbers in words as people write them: "1 lead", "4,300 leads"."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`count` with `noun`, in the plural unless it is one ("1 quarter", "2,000 leads")."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
