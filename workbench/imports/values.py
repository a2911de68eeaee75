"""Reading numbers as exports write them: "12,500.00", "12.500,00" (decimal comma),
"€ 12 500", "1,200" employees. Each reader raises `ValueError` whose message says what was
expected; text is never evaluated, so "=SUM(A1)" or "+49 30 1234" stay text."""

from __future__ import annotations

import math

_CURRENCY = "€$£¥₣₹ \u00a0\u202f'"
_STRIP = str.maketrans("", "", _CURRENCY)


def _plain(text: str, decimal_comma: bool) -> str:
    """The number's text with currency signs and grouping removed, '.' as the decimal."""
    text = text.translate(_STRIP)
    for code in ("EUR", "USD", "GBP", "CHF"):
        text = text.replace(code, "")
    if decimal_comma:
        return text.replace(".", "").replace(",", ".")
    return text.replace(",", "")


def read_number(value: object, decimal_comma: bool, expected: str) -> float:
    """Any finite number; `expected` is the message when the value is not one."""
    if isinstance(value, bool):
        raise ValueError(expected)
    if isinstance(value, int | float):
        number = float(value)
    else:
        try:
            number = float(_plain(str(value).strip(), decimal_comma))
        except ValueError:
            raise ValueError(expected) from None
    if not math.isfinite(number):
        raise ValueError(expected)
    return number


def read_amount(value: object, decimal_comma: bool) -> float:
    """A money amount: finite and not negative."""
    expected = "expected an amount of money such as 12500 or 12,500.00"
    if decimal_comma:
        expected = "expected an amount of money such as 12500 or 12.500,00"
    number = read_number(value, decimal_comma, expected)
    if number < 0:
        raise ValueError("expected an amount of 0 or more (a negative amount is not a deal)")
    return number


def read_score(value: object, decimal_comma: bool) -> float:
    """A lead score: any finite number (scores may be negative)."""
    return read_number(value, decimal_comma, "expected a number for the score")


def read_count(value: object, decimal_comma: bool, what: str = "a whole number") -> int:
    """A whole number of 0 or more, e.g. employees or attempts ("1,200" is 1200)."""
    number = read_number(value, decimal_comma, f"expected {what}")
    if number < 0 or number != int(number):
        raise ValueError(f"expected {what} (0 or more, no fraction)")
    return int(number)


TRUE_WORDS = frozenset({"true", "yes", "y", "1", "ja", "wahr", "oui", "vrai", "sí", "si",
                        "verdadero", "x", "✓"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "nein", "falsch", "non", "faux", "falso", ""})


def read_flag(value: object) -> bool | None:
    """A yes/no cell in the usual spellings (an empty cell is no); None when it is neither."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = "" if value is None else str(value).strip().casefold()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return None


def read_text(value: object) -> str:
    """A text cell as stored: trimmed, kept as written (formulas are not evaluated)."""
    if isinstance(value, float) and value == int(value):
        return str(int(value))  # a spreadsheet's 1001 for an id, not "1001.0"
    return str(value).strip()


def looks_decimal_comma(samples: list[str]) -> bool:
    """Whether number-like samples use a decimal comma ("1.250,50", "99,5")."""
    comma = point = 0
    for text in samples:
        text = text.translate(_STRIP)
        if not text or not (text[0].isdigit() or text[0] == "-"):
            continue
        head, sep, tail = text.rpartition(",")
        if sep and tail.isdigit() and len(tail) in (1, 2) and head.replace(".", "").lstrip(
            "-"
        ).isdigit():
            comma += 1
        elif "." in text and text.rpartition(".")[2].isdigit() and len(
            text.rpartition(".")[2]
        ) in (1, 2):
            point += 1
    return comma > point
