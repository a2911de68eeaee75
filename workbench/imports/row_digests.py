"""Recognising a row that says again what the workbook already has, without reading it.

Every lead an import writes (or finds unchanged) keeps a digest of the export row it came
from: the row's cells as they stand in the file, keyed by everything that decides how the
import read them — the headers, the mapping and its formats, the funnel's stages and their
CRM names, the disposition codes. The same row read the same way gives the same values, so
on the next import a row whose digest matches its lead's is unchanged: it is neither read
nor compared nor written. A row whose digest differs, or a lead without one (imported
before digests, from a spreadsheet, or by another way of reading), is read and compared in
full as before, and its digest stored.

A digest is the 64-bit XXH3 hash of the row, seeded with the key: two different rows of
one lead share one by chance once in 2^64, and the key makes a change of mapping or funnel
a mismatch, never a match. (The row's lead ID is among its cells, so a digest found where
a lead's is expected is that lead's row.) XXH3 is no cryptographic hash, and needs not be:
a digest tells a user's own export from its previous version, and no one gains by forging
one. It works out a million rows' in two fifths of the time SHA-1 took through hashlib (0.43
against 1.07 s, the joining and encoding of the cells included), the most of an unchanged
re-import's reading.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import eq, itemgetter, methodcaller, not_
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xxhash import xxh3_64_digest

if TYPE_CHECKING:
    from ..workbook import Workbook
    from .file_preview import Preview
    from .lead_rows import LeadRowReader

DIGEST_COLUMN = "row_digest"
# Part of every key: a new way of reading rows (a fix to dates, say) or of digesting them
# makes every stored digest a mismatch, so rows are compared in full once more. ("2": XXH3
# in place of SHA-1.)
READING = "2"
_SEPARATOR = "\x1f"


def reading_key(workbook: Workbook, plan: Preview, rows: LeadRowReader,
                attributes: dict[str, str]) -> bytes:
    """The key of this import's digests: what turns a row's cells into a lead's values."""
    conn = workbook.db.conn
    facts = {
        "reading": READING,
        "headers": plan.headers,
        "mapping": plan.mapping.to_json(),
        "formats": [plan.date_format, plan.decimal_comma],
        "attributes": sorted(attributes.items()),
        "stages": conn.execute("SELECT id, position, key, name FROM stages ORDER BY id"
                               ).fetchall(),
        "aliases": conn.execute("SELECT stage_id, crm, alias FROM stage_aliases "
                                "ORDER BY 1, 2, 3").fetchall(),
        "dispositions": conn.execute("SELECT * FROM disposition_codes ORDER BY code"
                                     ).fetchall(),
        "implicit": [rows.fill_entry, rows.fill_won, rows.implicit_entry],
    }
    text = json.dumps(facts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=32).digest()


def digests(key: bytes, cells: list[list[Any]]) -> list[bytes | None]:
    """Each row's digest; None for a row that is not all text (spreadsheet cells)."""
    try:
        joined = list(map(_SEPARATOR.join, cells))
    except TypeError:
        return [None] * len(cells)
    separators = sum(map(len, cells)) - len(cells)
    if "".join(joined).count(_SEPARATOR) != separators:
        joined = list(map(repr, cells))  # a cell holds the separator: spell rows out
    try:
        texts = list(map(str.encode, joined))
    except UnicodeEncodeError:  # a lone surrogate (from a spreadsheet cell?)
        texts = list(map(methodcaller("encode", "utf-8", "surrogatepass"), joined))
    # One C loop, no call with keywords: a million rows in under half a second.
    return list(map(xxh3_64_digest, texts, repeat(_seed_of(key))))


def _seed_of(key: bytes) -> int:
    """The XXH3 seed a key stands for: its first 8 bytes (a key is a 32-byte digest)."""
    return int.from_bytes(key[:8], "little")


_FOLLOW_MISSES = 8  # chunks out of the workbook's order before it stops expecting it


@dataclass
class Unchanged:
    """The rows of a chunk found unchanged by their digests: their lines and leads."""

    lines: list[int] = field(default_factory=list)
    lead_ids: list[int] = field(default_factory=list)


class DigestFilter:
    """Sets aside the rows whose digest is their lead's, before they are read.

    Built where the import starts; it looks digests up through `conn`, or, in a helper
    process (see `chunk_source`), through a read-only connection of its own to the file
    at `path`, which sees the workbook as it was before the import began. With neither,
    it only works out the digests."""

    def __init__(self, key: bytes, rows: LeadRowReader, conn: sqlite3.Connection | None,
                 path: Path | None) -> None:
        self.key = key
        self.id_index = rows.id_index
        self.width = rows.width
        self.generated = rows.generated
        self._made_id = rows.made_id
        self._created = rows.created_index
        self._identity = rows.identity
        self._conn = conn
        self._path = path
        self._after = 0  # the last lead found
        self._misses = 0
        self.found: set[str] = set()  # the IDs of the last chunk's leads the workbook has

    @property
    def looks_up(self) -> bool:
        """Whether it tells the leads the workbook has (else it only works out digests)."""
        return self._conn is not None or self._path is not None

    def open_here(self) -> None:
        """In a helper process: a connection of its own, holding one snapshot throughout."""
        if self._path is None:
            return
        uri = self._path.resolve().as_uri() + "?mode=ro"
        self._conn = sqlite3.connect(uri, uri=True)
        self._conn.execute("BEGIN")

    def close(self) -> None:
        if self._path is not None and self._conn is not None:
            self._conn.close()
            self._conn = None

    def split(self, lines: Sequence[int], cells: list[list[Any]]
              ) -> tuple[Unchanged, Sequence[int], list[list[Any]], list[bytes | None]]:
        """The chunk's unchanged rows, and the others with their digests, in file order;
        `found` is then the set of the others' IDs that name leads the workbook has."""
        found = digests(self.key, cells)
        self.found = set()
        if self._conn is None or found[:1] == [None]:
            return Unchanged(), lines, cells, found
        lead_ids, same = self._following(found)
        if same is not None and all(same):
            return Unchanged(list(lines), lead_ids), [], [], []
        ids = self._ids(cells)
        if ids is None:
            return Unchanged(), lines, cells, found
        if same is None:  # not in the workbook's order: each looked up by its ID
            lead_ids, stored = self._stored(ids)
            same = list(map(eq, found, stored))
            self.found = set(compress(ids, lead_ids)).difference(compress(ids, same))
        else:  # the rows that differ: changed leads, or new ones
            self.found = self._known([i for i, kept in zip(ids, same, strict=True) if not kept])
        assert len(same) == len(lines) == len(lead_ids) == len(found)  # compress would cut
        changed = list(map(not_, same))  # each list made by one C loop, not row by row
        return (Unchanged(list(compress(lines, same)), list(compress(lead_ids, same))),
                list(compress(lines, changed)), list(compress(cells, changed)),
                list(compress(found, changed)))

    def _ids(self, cells: list[list[Any]]) -> list[str] | None:
        """The rows' lead IDs as the import reads them, or None when a chunk is unusual
        (a short row, an ID missing or repeated): then it is read in full."""
        if not cells or min(map(len, cells)) < self.width:
            return None
        try:
            if self.generated:
                ids = [self._made_id(row[self._created], [row[i] for i in self._identity])
                       for row in cells]
            else:
                ids = list(map(str.strip, map(itemgetter(self.id_index), cells)))
        except (AttributeError, TypeError):
            return None
        if not all(ids) or len(set(ids)) != len(ids):
            return None
        return ids

    def _following(self, found: list[bytes | None]
                   ) -> tuple[list[int], list[bool] | None]:
        """The leads after the last one found, one per row, and whether each row is its
        lead's, unchanged: an export usually lists its leads in the order the last import
        added them. (A row whose digest is the lead's is that lead's row, wherever it
        stands.) None when too few are: the rows are not in the workbook's order."""
        assert self._conn is not None
        if self._misses >= _FOLLOW_MISSES:
            return [], None
        rows = self._conn.execute(
            f"SELECT id, {DIGEST_COLUMN} FROM main.leads WHERE id > ? ORDER BY id LIMIT ?",
            (self._after, len(found))).fetchall()
        same = list(map(eq, found, [r[1] for r in rows]))
        if len(rows) < len(found) or sum(same) * 2 < len(found):
            self._misses += 1
            return [], None
        self._misses = 0
        self._after = rows[-1][0]
        return [r[0] for r in rows], same

    def _stored(self, ids: list[str]) -> tuple[list[int], list[bytes | None]]:
        """The lead id and stored digest of each ID (0 and None for a new lead)."""
        assert self._conn is not None
        found = {external_id: (lead_id, digest) for external_id, lead_id, digest in
                 self._conn.execute(f"SELECT external_id, id, {DIGEST_COLUMN} FROM main.leads "
                                    f"WHERE external_id IN ({','.join('?' * len(ids))})", ids)}
        pairs = [found.get(external_id, (0, None)) for external_id in ids]
        if found:
            self._after = max(lead_id for lead_id, _ in found.values())
        return [p[0] for p in pairs], [p[1] for p in pairs]

    def _known(self, ids: list[str]) -> set[str]:
        """Those of `ids` that name leads the workbook has."""
        assert self._conn is not None
        return {external_id for external_id, in self._conn.execute(
            f"SELECT external_id FROM main.leads WHERE external_id IN "
            f"({','.join('?' * len(ids))})", ids)}
