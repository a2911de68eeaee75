"""The hours of the monthly summaries, kept in a temporary file until they are written.

Every lead that reaches a stage and goes on adds an hour figure (and so does every first
touch): ten million leads make some sixty megabytes of them, and the summaries store each
month's sorted. Held in memory, they would make the import's memory grow with the file;
kept here, a group of hours (a month, stage, source and kind) is in memory only while it
is sorted and written.
"""

from __future__ import annotations

import os
import tempfile
import weakref
from array import array
from collections import defaultdict
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

PREFIX = "aw-import-hours-"
Group = tuple[int, str, int]  # (stage id, kind, packed month and source)
Floats = NDArray[np.float64]


class HourSpill:
    """Pieces of hours by group, appended to a temporary file made when the first comes;
    the file goes with this object. Its name carries the importing process: files of
    importers killed midway are removed by the next one.

    Where each group's pieces are is kept as flat pairs of integers (offset, count), 16
    bytes a piece: ten million leads make some sixty thousand pieces, which as tuples in
    lists took 8 MB. A group's pieces are in the order they were written, which is the
    order of their offsets in the file (it is only ever appended to)."""

    def __init__(self) -> None:
        self.path: str | None = None
        self.pieces: defaultdict[Group, array[int]] = defaultdict(lambda: array("q"))
        self._end = 0

    def add(self, pieces: dict[Group, list[Floats]]) -> None:
        """Append pieces of hours (several groups at once: the file is opened once)."""
        if not pieces:
            return
        if self.path is None:
            _remove_orphans()
            handle, self.path = tempfile.mkstemp(prefix=f"{PREFIX}{os.getpid()}-",
                                                 suffix=".f8")
            os.close(handle)
            weakref.finalize(self, _remove, self.path)
        with open(self.path, "ab") as file:
            for group, arrays in pieces.items():
                for hours in arrays:
                    if len(hours):
                        file.write(hours.astype("<f8").tobytes())
                        self.pieces[group].extend((self._end, len(hours)))
                        self._end += len(hours) * 8

    def groups(self) -> list[Group]:
        return [group for group, pieces in self.pieces.items() if pieces]

    def read(self, group: Group) -> Floats:
        """Every hour of a group, in no order (empty when it has none)."""
        pieces = self.pieces.get(group)
        if not pieces or self.path is None:
            return np.empty(0, np.float64)
        with open(self.path, "rb") as file:
            parts = [np.fromfile(file, dtype="<f8", count=count, offset=start - file.tell())
                     for start, count in zip(pieces[::2], pieces[1::2], strict=True)]
        return np.concatenate(parts).astype(np.float64)

    def replace(self, group: Group, hours: Floats) -> None:
        """A group's hours from now on: `hours` (its old pieces are left unread)."""
        self.pieces[group] = array("q")
        self.add({group: [hours]})


def _remove_orphans() -> None:
    """Remove the files of importers that no longer run (killed midway)."""
    from ..files import alive

    for path in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        owner = path.name[len(PREFIX):].split("-", 1)[0]
        if owner.isdigit() and not alive(int(owner)):
            _remove(str(path))


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass  # already gone
