"""Keeping the lead summaries current through an import.

When the summaries matched the leads before the import and the import only adds leads,
the new leads are summarised from the rows as they are written, then added to the stored
summaries: no second pass over the file or the leads. An import that updates leads (or
finds the summaries already out of date) rebuilds them from all leads at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from typing import TYPE_CHECKING, Any

from . import summaries
from .lead_chunks import Chunk
from .lead_rows import LeadRowReader
from .stages import mql_stage

if TYPE_CHECKING:
    from ..workbook import Workbook
    from .summariser import Summariser


class ImportSummary:
    """The summaries' side of one import: `add` for each chunk of leads read (before it is
    written), `rebuild` when the leads written are not just those (an existing lead
    changed, a row was refused by the writer), `finish` at the end."""

    def __init__(self, workbook: Workbook, rows: LeadRowReader) -> None:
        self.conn = workbook.db.conn
        self.rows = rows
        self.stage_ids = [int(s.id) for s in rows.funnel.stages]
        self.position = {stage_id: i for i, stage_id in enumerate(self.stage_ids)}
        self.mql = mql_stage(workbook)
        self.summariser: Summariser | None = None
        self.current = summaries.is_current(self.conn, self.mql)
        if self.current:
            from .summariser import Summariser  # numpy, loaded only when an import runs

            self.summariser = Summariser(self.stage_ids, self.mql)
        self.column = {name: i for i, name in enumerate(rows.columns)}

    def rebuild(self) -> None:
        """The leads written are not just the rows added up: rebuild from all leads."""
        self.summariser = None

    def take_over(self, summariser: Summariser | None) -> None:
        """The same summaries, added up by the helper process that read the file."""
        if self.summariser is not None:
            self.summariser = summariser

    def add(self, chunk: Chunk) -> None:
        """New leads as read: their values column by column (in the reader's column
        order) and their explicit stage dates as (row index, stage id, date)."""
        if self.summariser is None or not len(chunk):
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
        self.summariser.add(summaries.LeadColumns(
            source=source, created=created, stage_dates=stage_dates,
            first_touch=column("first_touch_at"), disposition=column("disposition"),
            amount=column("amount"), won=column("won_at"), lost=column("lost_at")))

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
        if self.summariser is not None:
            self.summariser.load(self.conn)
            self.summariser.write(self.conn, summaries.signature(self.conn, self.mql))
        else:
            summaries.rebuild(self.conn, self.stage_ids, self.mql)
