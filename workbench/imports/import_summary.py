"""Keeping the lead summaries current through an import.

When the summaries matched the leads before the import, the new leads are summarised
from the rows as they are read, then added to the stored summaries: no second pass over
the file or the leads. Leads the import updated are taken out as they were (from the copies
kept for undo) and put back in as they are now, a few thousand at a time while the file is
still being read, so a re-import costs the leads it changed.
When the rows read were not just new leads (the reader could not tell the leads the
workbook has), or the summaries were already out of date, they are rebuilt from all leads
at the end.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from itertools import repeat
from typing import TYPE_CHECKING, Any

from . import summaries
from .lead_chunks import Chunk
from .lead_rows import LeadRowReader
from .stages import mql_stage

if TYPE_CHECKING:
    from ..workbook import Workbook
    from .summariser import Summariser

SUMMARY_ROWS = 20_000
UPDATED_ROWS = 5_000  # updated leads summarised at a time


class ImportSummary:
    """The summaries' side of one import: `add` for each chunk of leads read (before it is
    written), `rebuild` when the leads written are not just those (an existing lead
    changed, a row was refused by the writer), `finish` at the end."""

    def __init__(self, workbook: Workbook, rows: LeadRowReader,
                 updated_from: tuple[str, str] | None = None, batch: int | None = None) -> None:
        self.conn = workbook.db.conn
        # The tables holding updated leads as they were, and their stage dates.
        self.updated_from = updated_from
        self._updated: list[int] = []  # updated leads not yet summarised again
        self._changes: Summariser | None = None  # what the updated leads changed
        self.rows = rows
        self.stage_ids = [int(s.id) for s in rows.funnel.stages]
        self.position = {stage_id: i for i, stage_id in enumerate(self.stage_ids)}
        self.mql = mql_stage(workbook)
        self.summariser: Summariser | None = None
        # Current before this import (its batch, made already, is not yet in the stamp)?
        self.current = summaries.is_current(self.conn, self.mql, without_batch=batch)
        if self.current:
            from .summariser import Summariser  # numpy, loaded only when an import runs

            self.summariser = Summariser(self.stage_ids, self.mql)
        self.column = {name: i for i, name in enumerate(rows.columns)}
        self._pending: list[summaries.LeadColumns] = []  # chunks not yet added up
        self._pending_rows = 0
        # Whether the rows added up are only new leads (the reader leaves out those of
        # leads the workbook has): then leads the import updates change the summaries by
        # what they were and are, and need no rebuild.
        self.new_only = False

    def rebuild(self) -> None:
        """The leads written are not just the rows added up: rebuild from all leads."""
        self.summariser = None
        self._pending.clear()
        self._pending_rows = 0
        self._updated.clear()
        self._changes = None

    def updated(self, lead_ids: list[int]) -> None:
        """Leads the import has just updated (their stage dates included): taken out as
        they were and put in as they are, a batch at a time."""
        if self.summariser is None or self.updated_from is None:
            return
        self._updated.extend(lead_ids)
        if len(self._updated) >= UPDATED_ROWS:
            self._summarise_updated()

    def _summarise_updated(self) -> None:
        from .summariser import Summariser, add_stored

        if not self._updated or self.updated_from is None:
            return
        if self._changes is None:
            self._changes = Summariser(self.stage_ids, self.mql)
        only = list(self._updated)
        self._updated.clear()
        add_stored(self._changes, self.conn, only=only)
        self._changes.sign = -1
        try:
            add_stored(self._changes, self.conn, *self.updated_from, only=only)
        finally:
            self._changes.sign = 1

    def add(self, chunk: Chunk, known: Collection[str] = ()) -> None:
        """New leads as read: their values column by column (in the reader's column
        order) and their explicit stage dates as (row index, stage id, date); rows whose
        lead ID is `known` (leads the workbook has) are left out."""
        if self.summariser is None or not len(chunk):
            return
        if known:
            chunk = chunk.subset([external_id not in known for external_id in chunk.columns[0]])
            if not len(chunk):
                return
        if any(when is None for _, _, when in chunk.dates):
            self.rebuild()  # stages reached at unknown dates: summarised from the workbook
            return
        columns = chunk.columns
        count = len(chunk)

        def column(name: str) -> Any:
            i = self.column.get(name)
            return columns[i] if i is not None else list(repeat(None, count))

        created = columns[1]
        stage_dates: list[Sequence[str | None]] = [[None] * count for _ in self.stage_ids]
        if chunk.stage_columns is not None:
            for stage_id, dates in chunk.stage_columns.items():
                stage_dates[self.position[stage_id]] = dates
        else:
            for index, stage_id, when in chunk.dates:
                stage_dates[self.position[stage_id]][index] = when  # type: ignore[index]
        self._fill(stage_dates, self.rows.fill_entry, created)
        self._fill(stage_dates, self.rows.fill_won, column("won_at"))
        source = column("source") if "source" in self.column else [""] * count
        self._pending.append(summaries.LeadColumns(
            source=source, created=_seconds(created, count),
            stage_dates=[_seconds(c, count) for c in stage_dates],
            first_touch=_seconds(column("first_touch_at"), count),
            disposition=column("disposition"), amount=column("amount"),
            won=_seconds(column("won_at"), count), lost=_seconds(column("lost_at"), count)))
        self._pending_rows += count
        if self._pending_rows >= SUMMARY_ROWS:
            self.flush()

    def flush(self) -> None:
        """Add up the chunks still pending (done every `SUMMARY_ROWS` leads: numpy's cost
        per call is spread over many leads)."""
        if self.summariser is not None and self._pending:
            self.summariser.add(_joined(self._pending))
        self._pending.clear()
        self._pending_rows = 0

    def _fill(self, stage_dates: list[Sequence[str | None]], stage: int | None,
              values: Any) -> None:
        """The implicit dates `LeadWriter` writes: where the row gave no date for the
        stage, the created (or won) date."""
        if stage is None:
            return
        index = self.position[int(stage)]
        given = stage_dates[index]
        if not any(given):
            stage_dates[index] = values  # the usual case: no column for the stage
            return
        stage_dates[index] = [d or v for d, v in zip(given, values, strict=True)]

    def finish(self, changed: bool = True) -> None:
        """Store the summaries for the leads as they now are (as they were, when the
        import `changed` no lead and they were current)."""
        if not changed and self.current:
            return
        self.flush()
        summariser = self.summariser
        if summariser is not None:
            summariser.load(self.conn)
            self._summarise_updated()
            if self._changes is not None:
                summariser.merge(self._changes)
                if not summariser.take_out_removed():  # they did not hold those leads
                    summariser = None
        if summariser is not None:
            summariser.write(self.conn, summaries.signature(self.conn, self.mql))
        else:
            summaries.rebuild(self.conn, self.stage_ids, self.mql)


def _seconds(column: Sequence[Any], count: int) -> Any:
    """A date column as seconds (see `dates.date_seconds`; usually worked out already,
    when the column was checked): what the summaries need, in less memory while the
    chunk waits to be added up."""
    import numpy as np

    from .dates import NO_DATE, date_seconds

    found = date_seconds(column)
    return found if found is not None else np.full(count, NO_DATE, dtype=np.int64)


def _joined(parts: list[summaries.LeadColumns]) -> summaries.LeadColumns:
    """Consecutive batches of leads as one."""
    import numpy as np

    def values(name: str) -> list[Any]:
        joined: list[Any] = []
        for part in parts:
            joined.extend(getattr(part, name))
        return joined

    def dates(name: str) -> Any:
        return np.concatenate([getattr(part, name) for part in parts])

    return summaries.LeadColumns(
        source=values("source"), created=dates("created"), first_touch=dates("first_touch"),
        disposition=values("disposition"), amount=values("amount"), won=dates("won"),
        lost=dates("lost"), stage_dates=[  # seconds, not text (as `summariser` reads both)
            np.concatenate([p.stage_dates[i] for p in parts])  # type: ignore[misc]
            for i in range(len(parts[0].stage_dates))])
