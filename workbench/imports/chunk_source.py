"""Where an import's checked chunks come from: read in this process, or, for a big file
on Linux, by a helper process that reads and checks them while this process writes the
previous ones.

Reading a CSV and checking its values is pure Python work; writing them is mostly
SQLite's. One process does them one after the other; with the helper they run side by
side on two cores. The helper is a `fork` of this process, so it starts at once with the
reader and the mapping as they are here, and it never writes the workbook (on a re-import
it reads it, through a read-only connection of its own, to set aside the rows whose lead
is unchanged: see `row_digests`): it sends each checked chunk (marshalled) down a pipe
wide enough for a few chunks, so neither side waits on the other for long, and at the end
the stage names it did not know. The importing process adds each chunk up into the
summaries as it arrives: reading is the longer half, and the writer would otherwise wait
for it (a million leads imported a tenth faster).
"""

from __future__ import annotations

import gc
import marshal
import multiprocessing
import os
import pickle
import signal
import sys
import traceback
from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import WorkbenchError
from .lead_chunks import Chunk, read_chunk
from .reader import TableReader
from .row_digests import DigestFilter, Unchanged

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from .file_preview import Preview
    from .lead_rows import LeadRowReader

CHUNK_ROWS = 2000
# A file this big is read by a helper process (where `fork` exists). Smaller ones (under
# ≈ 130,000 leads) are read here: they import in a second or two either way.
HELPER_BYTES = 20_000_000
_PIPE_BYTES = 1 << 20
_CHUNK = b"c"  # a chunk's message starts so; pickle's never do (they start b"\x80")


@dataclass(frozen=True)
class Read:
    """One checked chunk, and how far the file has been read (`done` of `total`);
    `known` holds the lead IDs among its rows that the workbook has (left out of the
    summaries' new leads)."""

    chunk: Chunk
    done: int
    total: int
    known: frozenset[str] = frozenset()


def can_use_helper() -> bool:
    """Whether this platform can fork a helper safely (Linux; macOS's frameworks are not
    fork-safe, Windows has no fork)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def read_here(plan: Preview, rows: LeadRowReader, digests: DigestFilter
              ) -> Generator[Read, None, None]:
    """Chunks read and checked in this process; rows `digests` finds unchanged are set
    aside unread."""
    with TableReader(plan.path, plan.format, plan.mapping.sheet) as reader:
        for lines, cells in reader.chunks(CHUNK_ROWS):
            unchanged, lines, cells, found = digests.split(lines, cells)
            chunk = read_chunk(rows, lines, cells, found)
            chunk.unchanged = unchanged
            yield Read(chunk, reader.done, reader.total, frozenset(digests.found))


_PR_SET_PDEATHSIG = 1  # prctl(2): the signal this process gets when its parent dies


class HelperFailed(WorkbenchError):
    """The helper process stopped without saying why (killed, out of memory, …)."""


def read_in_helper(plan: Preview, rows: LeadRowReader, digests: DigestFilter
                   ) -> Generator[Read, None, None]:
    """The same chunks as `read_here`, read by a forked helper process. At the end the
    helper's unknown stage names are taken over. Closing the iterator early (an error in
    the writer, Cancel) stops the helper."""
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    _widen(sending)
    helper = context.Process(target=_help, args=(plan, rows, digests, sending, os.getpid()),
                             name="import reader", daemon=True)
    # What this process holds at the fork (the app's windows among it) must never be
    # collected, and so never finalised, in the helper: only its own objects are.
    gc.freeze()
    try:
        helper.start()
    finally:
        gc.unfreeze()
    sending.close()
    try:
        while True:
            try:
                message = receiving.recv_bytes()
            except EOFError:
                raise HelperFailed("The import stopped: the process reading the file ended "
                                   "unexpectedly (out of memory?). Nothing was imported."
                                   ) from None
            body: list[Any]
            kind, *body = (("chunk", _read_from(message)) if message[:1] == _CHUNK
                           else pickle.loads(message))
            if kind == "chunk":
                yield body[0]
            elif kind == "end":
                unknown, tallies = body
                rows.unknown_stages.update(unknown)
                rows.tallies.update(tallies)
                return
            else:
                raise body[0]
    finally:
        if helper.is_alive():
            helper.kill()
        helper.join()
        receiving.close()


def _widen(connection: Connection) -> None:
    """Let the pipe hold a few chunks (1 MB, Linux's limit for anyone), so the helper can
    read on while the writer is busy."""
    try:
        import fcntl

        fcntl.fcntl(connection.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), _PIPE_BYTES)
    except (ImportError, OSError):
        pass  # the usual 64 KB: slower, not wrong


def _die_with(parent: int) -> None:
    """Have the kernel kill this helper when the importing process dies (a SIGKILL mid-
    import leaves no reader holding the CSV, the workbook and its journal); and if it died
    before that was asked, go now."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the pipe's end stops the helper at its next chunk
    if os.getppid() != parent:
        os._exit(1)


def _help(plan: Preview, rows: LeadRowReader, digests: DigestFilter, sending: Connection,
          parent: int) -> None:
    """The helper: read and check every chunk, and send each on. Its garbage collector is
    off: the helper makes a million rows' worth of lists and no cycles, and ends with the
    import (a tenth less time)."""
    gc.disable()
    _die_with(parent)
    try:
        digests.open_here()
        for read in read_here(plan, rows, digests):
            sending.send_bytes(_message(read))
        sending.send_bytes(pickle.dumps(("end", rows.unknown_stages, rows.tallies),
                                        pickle.HIGHEST_PROTOCOL))
    except BaseException as error:  # noqa: BLE001 - everything goes back to the importer
        sending.send_bytes(_error_message(error))
    finally:
        digests.close()
        sending.close()


def _error_message(error: BaseException) -> bytes:
    try:
        return pickle.dumps(("error", error))
    except Exception:  # noqa: BLE001 - an error that cannot be pickled: send its text
        text = "".join(traceback.format_exception_only(type(error), error)).strip()
        return pickle.dumps(("error", RuntimeError(f"reading the file failed: {text}")))


def _message(read: Read) -> bytes:
    """A chunk as plain lists and tuples in `marshal` form: about half the time of pickle
    on both sides. (Its refused rows, if any, are pickled inside it.)"""
    chunk = read.chunk
    lines = chunk.lines
    spans = (lines.start, lines.stop) if isinstance(lines, range) else list(lines)
    stage_columns = (None if chunk.stage_columns is None else
                     {stage: list(c) for stage, c in chunk.stage_columns.items()})
    refused = pickle.dumps(chunk.refused, pickle.HIGHEST_PROTOCOL) if chunk.refused else b""
    try:
        unchanged = chunk.unchanged
        return _CHUNK + marshal.dumps((spans, [list(c) for c in chunk.columns], chunk.dates,
                                       stage_columns, refused, read.done, read.total,
                                       unchanged.lines, unchanged.lead_ids, read.known))
    except ValueError:  # a value marshal does not know (from a spreadsheet cell?): pickle it
        return pickle.dumps(("chunk", read), pickle.HIGHEST_PROTOCOL)


def _read_from(message: bytes) -> Read:
    (spans, columns, dates, stage_columns, refused, done, total, unchanged_lines,
     unchanged_ids, known) = marshal.loads(message[1:])
    lines = range(*spans) if isinstance(spans, tuple) else spans
    chunk = Chunk(lines, columns, dates, pickle.loads(refused) if refused else [],
                  stage_columns, Unchanged(unchanged_lines, unchanged_ids))
    return Read(chunk, done, total, known)
