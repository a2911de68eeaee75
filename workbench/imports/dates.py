"""Reading dates as CRM exports write them: ISO, US (month first), European (day first,
dots) and British (day first, slashes), with or without a time of day.

Every date is checked (30 February is refused, not rolled over) and stored as
"YYYY-MM-DDTHH:MM:SS". Exports repeat the same days and times endlessly, so each day and
each time of day is checked once and remembered: a million rows cost a few dictionary
lookups each instead of a million calendar checks. A whole column of ISO dates as most
CRMs write them ("2026-03-14 09:30:00") is cheaper still, all at C speed (`column`): its
shape checked as one grid of bytes, the days and times checked by numpy reading them as
seconds (kept for the summaries, which need them), and the text rewritten by one replace.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

DATE_FORMATS: dict[str, str] = {
    "iso": "yyyy-mm-dd, optionally with a time (2026-03-14 09:30)",
    "us": "m/d/yyyy, month first, optionally with a time (3/14/2026 9:30 AM)",
    "eu": "d.m.yyyy, day first, optionally with a time (14.3.2026 09:30)",
    "uk": "d/m/yyyy, day first, optionally with a time (14/3/2026 09:30)",
}
_CACHE_LIMIT = 200_000
NO_DATE = (1 << 63) - 1  # as seconds: "no date", later than any date
_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]  # in "YYYY-MM-DD HH:MM:SS"
_DASHES, _COLONS = [4, 7], [13, 16]


class StoredDates(list[str | None]):
    """A column of dates in stored form that also holds them as numpy's seconds since
    1970 (`seconds`, `NO_DATE` for an empty cell), as they were worked out when the column
    was checked."""

    seconds: NDArray[np.int64]


class DateReader:
    """Turns the text of one date format into "YYYY-MM-DDTHH:MM:SS".

    Call it with a cell's text (or a `datetime`/`date` from a spreadsheet); it raises
    `ValueError` whose message says what was expected. `optional` and `required` are the
    fast versions for whole columns: a known day and time of day cost two lookups.
    """

    def __init__(self, date_format: str) -> None:
        if date_format not in DATE_FORMATS:
            raise ValueError(f"unknown date format {date_format!r}")
        self.date_format = date_format
        self.expected = f"expected a date as {DATE_FORMATS[date_format]}"
        # Keys are the text exactly as `optional` slices it: the day, and what follows
        # it (" 09:30", "T09:30:00" for ISO; "9:30 AM" after the space otherwise).
        self._days: dict[str, str] = {}
        self._clocks: dict[str, str] = {}
        self._day: Callable[[str], date] = _DAY_PARSERS[date_format]
        self.optional, self.required = self._fast_readers()

    def __call__(self, value: object) -> str:
        if isinstance(value, datetime):
            if value.tzinfo is not None:
                value = value.astimezone(UTC).replace(tzinfo=None)
            return value.strftime("%Y-%m-%dT%H:%M:%S")
        if isinstance(value, date):
            return value.isoformat() + "T00:00:00"
        text = str(value).strip()
        day_text, rest = self._split(text)
        day = self._days.get(day_text)
        if day is None:
            day = self._remember(self._days, day_text, self._check_day(day_text))
        if not rest:
            return day + "T00:00:00"
        clock = self._clocks.get(rest)
        if clock is None:
            if self.date_format == "iso" and _has_zone(rest):
                return self._zoned(text)
            clock = self._remember(self._clocks, rest, self._check_time(rest))
        return day + clock

    def column(self, values: Sequence[object], required: bool) -> list[str | None]:
        """A whole column of cells read at once: "" or None for an empty cell of an
        optional column. Raises `ValueError` for any cell it cannot read, without saying
        which: the caller then reads the rows one by one to name it."""
        if self.date_format == "iso":
            fast = _iso_column(values, required)
            if fast is not None:
                return fast
        if required:
            return list(map(self.required, values))
        required_one = self.required
        return [required_one(value) if value else "" for value in values]

    def _split(self, text: str) -> tuple[str, str]:
        if self.date_format == "iso":
            return text[:10], text[10:]
        day, _, rest = text.partition(" ")
        return day, rest

    def _fast_readers(self) -> tuple[Callable[[object], str | None], Callable[[object], str]]:
        days, clocks, careful = self._days, self._clocks, self.__call__
        iso = self.date_format == "iso"

        def required(text: object) -> str:
            if type(text) is str:
                if iso:
                    day, rest = days.get(text[:10]), text[10:]
                else:
                    head, _, rest = text.partition(" ")
                    day = days.get(head)
                if day is not None:
                    if not rest:
                        return day + "T00:00:00"
                    clock = clocks.get(rest)
                    if clock is not None:
                        return day + clock
            return careful(text)

        def optional(text: object) -> str | None:
            return required(text) if text else None

        return optional, required

    def _check_day(self, text: str) -> str:
        try:
            return self._day(text).isoformat()
        except _NotInCalendar:
            other = self._other_format(text)
            if other:
                raise ValueError(f"is no day as {DATE_FORMATS[self.date_format].split(',')[0]}"
                                 f"{other}") from None
            raise ValueError("is not a day in the calendar (that month has fewer days, or "
                             "there is no such month)") from None
        except (ValueError, IndexError):
            raise ValueError(self.expected + self._other_format(text)) from None

    def _other_format(self, text: str) -> str:
        """", but reads as d.m.yyyy: …" when another format reads the day: the file's
        dates change format part-way (or the format chosen is the wrong one)."""
        for name, parse in _DAY_PARSERS.items():
            if name == self.date_format:
                continue
            try:
                parse(text)
            except (ValueError, IndexError):
                continue
            return (f"; it reads as {DATE_FORMATS[name].split(',')[0]} (choose that date "
                    "format, or check whether the file's dates change format part-way)")
        return ""

    def _check_time(self, text: str) -> str:
        if self.date_format == "iso" and text[:1] not in (" ", "T"):
            raise ValueError(self.expected)
        try:
            return "T" + _clock(text.strip().lstrip("T"))
        except (ValueError, IndexError):
            raise ValueError(self.expected) from None

    def _zoned(self, text: str) -> str:
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(self.expected) from None
        return self(moment)

    @staticmethod
    def _remember(cache: dict[str, str], key: str, value: str) -> str:
        if len(cache) < _CACHE_LIMIT:
            cache[key] = value
        return value


def _iso_column(values: Sequence[object], required: bool) -> list[str | None] | None:
    """The column in stored form if every cell is an ISO date with seconds or empty ("",
    and none when `required`); None when any is not, to be read cell by cell."""
    import numpy as np  # loaded on the first import, not when the app starts

    try:
        text = "\n".join(values)  # type: ignore[arg-type]  # a non-text cell: TypeError
    except TypeError:
        return None
    if not _iso_shaped(values):  # type: ignore[arg-type]
        return None
    try:
        stamps = np.array(values, dtype="datetime64[s]")  # "" reads as NaT
    except ValueError:
        return None  # 30 February, 25 o'clock, …: the careful reader says which
    stored = text.replace(" ", "T").split("\n")
    if len(stored) != len(values):
        return None  # a line break inside a cell
    if required and "" in stored:
        return None
    column = StoredDates(stored)
    column.seconds = np.where(np.isnat(stamps), NO_DATE, stamps.view(np.int64))
    return column


def _iso_shaped(values: Sequence[str]) -> bool:
    """Whether every cell is empty or "YYYY-MM-DD HH:MM:SS" ("T" between, year not 0000):
    the shape of most exports, checked as a grid of bytes (the filled cells joined are 19
    bytes each). numpy then refuses a month, day, hour … out of range. (Year 0 is numpy's
    but not Python's: left to the careful reader.)"""
    import numpy as np

    if not set(map(len, values)) <= {0, 19}:
        return False
    try:
        raw = "".join(values).encode("ascii")
    except UnicodeEncodeError:
        return False
    grid = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 19)
    separator = grid[:, 10]
    return bool(((grid[:, _DIGITS] - 48) <= 9).all()  # uint8: anything below "0" wraps
                and (grid[:, _DASHES] == 45).all() and (grid[:, _COLONS] == 58).all()
                and ((separator == 32) | (separator == 84)).all()
                and not (grid[:, :4] == 48).all(axis=1).any())


def known_seconds(column: Sequence[object]) -> NDArray[np.int64] | None:
    """The seconds of a date column when they are worked out already: those a
    `StoredDates` column holds, or the column itself when it is seconds."""
    import numpy as np

    return column if isinstance(column, np.ndarray) else getattr(column, "seconds", None)


def date_seconds(column: Sequence[str | None]) -> NDArray[np.int64] | None:
    """Seconds since 1970 of each stored date ("YYYY-MM-DDTHH:MM:SS"), `NO_DATE` for no
    date; None when the column has no date at all. Uses `known_seconds` when there are."""
    import numpy as np

    known = known_seconds(column)
    if known is not None:
        return known if bool((known != NO_DATE).any()) else None
    if not any(column):
        return None
    texts = [d or "" for d in column] if None in column else column  # "" reads as NaT
    try:
        stamps = np.array(texts, dtype="datetime64[s]")
    except ValueError:  # written by other code in another form: read one by one
        stamps = np.array([_moment(text) for text in texts], dtype="datetime64[s]")
    seconds: NDArray[np.int64] = np.where(np.isnat(stamps), NO_DATE, stamps.view(np.int64))
    return seconds


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text).replace(tzinfo=None) if text else None


def _has_zone(text: str) -> bool:
    return text.endswith("Z") or "+" in text or "-" in text


class _NotInCalendar(ValueError):
    """Well-formed, but no such day: 2026-02-30."""


def _calendar(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _NotInCalendar(f"{year}-{month}-{day}") from None


def _iso_day(text: str) -> date:
    if len(text) != 10 or text[4] != "-" or text[7] != "-" or not text.replace("-", "").isdigit():
        raise ValueError(text)
    return _calendar(int(text[:4]), int(text[5:7]), int(text[8:]))


def _parts(text: str, separator: str) -> tuple[int, int, int]:
    first, second, year = text.split(separator)
    if not (first.isdigit() and second.isdigit() and year.isdigit()):
        raise ValueError(text)
    if len(year) == 2:  # exports saved by spreadsheets: 3/14/26 means 2026
        year = "20" + year
    elif len(year) != 4:
        raise ValueError(text)
    return int(first), int(second), int(year)


def _us_day(text: str) -> date:
    month, day, year = _parts(text, "/")
    return _calendar(year, month, day)


def _uk_day(text: str) -> date:
    day, month, year = _parts(text, "/")
    return _calendar(year, month, day)


def _eu_day(text: str) -> date:
    day, month, year = _parts(text, ".")
    return _calendar(year, month, day)


_DAY_PARSERS: dict[str, Callable[[str], date]] = {
    "iso": _iso_day, "us": _us_day, "eu": _eu_day, "uk": _uk_day,
}


def _clock(text: str) -> str:
    """'9:30', '09:30:15', '9:30 PM', '09:30:15.250' → 'HH:MM:SS' (fractions dropped)."""
    upper = text.upper()
    half = None
    if upper.endswith(("AM", "PM")):
        half, upper = upper[-2:], upper[:-2].strip()
    pieces = upper.split(":")
    if len(pieces) not in (2, 3):
        raise ValueError(text)
    hour, minute = int(pieces[0]), int(pieces[1])
    second = int(pieces[2].split(".")[0]) if len(pieces) == 3 else 0
    if half is not None:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if half == "PM" else 0)
    if not (0 <= hour < 24 and 0 <= minute < 60 and 0 <= second < 60):
        raise ValueError(text)
    if len(pieces[1]) != 2:
        raise ValueError(text)
    return f"{hour:02d}:{minute:02d}:{second:02d}"


def guess_date_format(samples: Iterable[str]) -> tuple[str | None, bool]:
    """The date format that reads the most of `samples`, and whether the choice is a guess
    between formats that read them all (e.g. 03/04/2026: March or April?).

    Returns (None, False) when the samples hold no dates. Month-first wins a tie between
    slash formats, as the US exports that use slashes are the common case.
    """
    values = [s.strip() for s in samples if s and s.strip()]
    if not values:
        return None, False
    scores: dict[str, int] = {}
    for name in ("iso", "us", "uk", "eu"):
        reader = DateReader(name)
        scores[name] = sum(1 for v in values if _reads(reader, v))
    best = max(scores.values())
    if best == 0:
        return None, False
    winners = [name for name, score in scores.items() if score == best]
    return winners[0], len(winners) > 1


def _reads(reader: DateReader, value: str) -> bool:
    try:
        reader(value)
    except ValueError:
        return False
    return True


def looks_like_date(text: str) -> bool:
    """Whether a value is worth offering as a date (used to pick date columns)."""
    text = text.strip()
    if not 6 <= len(text) <= 32 or not text[:1].isdigit():
        return False
    return any(_reads(DateReader(name), text) for name in ("iso", "us", "uk", "eu"))
