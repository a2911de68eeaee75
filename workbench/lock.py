"""Who has a workbook open for editing: a lock file beside it, as office suites keep.

The app and the command line take the lock when they open a workbook to change it
(`.NAME.awb.lock`, written whole under a fresh name and linked into place, so two
openers cannot both win). A second opener finds it held and opens the workbook
read-only, told who holds it (user, computer, since when); a lock whose process has
ended on this computer is stale and taken over. Undo refuses on its own account what
another writer changed since (see `history`), should two ever write at once.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .files import alive


@dataclass(frozen=True)
class Holder:
    """Who holds a workbook's lock."""

    user: str
    host: str
    pid: int
    since: str  # ISO time
    program: str

    def describe(self) -> str:
        when = self.since[:16].replace("T", " ")
        where = "this computer" if self.host == socket.gethostname() else self.host
        return f"{self.user} on {where} ({self.program}, since {when})"


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def holder(path: Path) -> Holder | None:
    """Who holds the lock, or None when nobody does (no lock, or a stale one)."""
    try:
        data = json.loads(lock_path(path).read_text(encoding="utf-8"))
        found = Holder(str(data["user"]), str(data["host"]), int(data["pid"]),
                       str(data["since"]), str(data.get("program", "Alignment Workbench")))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if found.host == socket.gethostname() and not alive(found.pid):
        return None  # its process ended without letting go (killed, a crash)
    return found


def other_holder(path: Path) -> Holder | None:
    """Who holds the lock when it is another process, else None."""
    found = holder(path)
    if found is None or (found.pid == os.getpid() and found.host == socket.gethostname()):
        return None
    return found


def acquire(path: Path, program: str) -> Holder | None:
    """Take the lock; None when taken, else who holds it. A folder where no lock can be
    written (read-only) takes none: the workbook opens read-only there anyway."""
    me = {"user": _user(), "host": socket.gethostname(), "pid": os.getpid(),
          "since": datetime.now().isoformat(timespec="seconds"), "program": program}
    target = lock_path(path)
    for _ in range(2):
        if holder(path) is not None:
            return other_holder(path)  # None: this process has it already (another window)
        with contextlib.suppress(OSError):
            target.unlink(missing_ok=True)  # stale
        fresh = target.with_name(f"{target.name}.{os.getpid()}")
        try:
            fresh.write_text(json.dumps(me), encoding="utf-8")
            os.link(fresh, target)  # fails if another opener linked theirs first
            return None
        except FileExistsError:
            continue
        except OSError:
            return None
        finally:
            with contextlib.suppress(OSError):
                fresh.unlink()
    return holder(path)


def release(path: Path) -> None:
    """Let go of the lock if this process holds it."""
    current = holder(path)
    if current is not None and current.pid == os.getpid() \
            and current.host == socket.gethostname():
        with contextlib.suppress(OSError):
            lock_path(path).unlink()


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "someone"
