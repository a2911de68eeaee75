"""Rolling backups: the last few copies of each workbook, kept in the user's own folder.

When the app opens a workbook it takes a copy (`take`) with SQLite's backup API, on a
connection of its own — a consistent snapshot even while the app goes on writing — under
a temporary name, moved into place when whole. The copies of one workbook live in one
folder under the backups root (named after the workbook and a digest of its full path, so
two "Plan.awb" in different folders never share), newest `KEEP` kept. A workbook that has
not changed since its newest copy is not copied again, so opening a big workbook over and
over costs nothing.

`restore` puts a copy back in place of the workbook, after taking a copy of the workbook as
it was: a restore can itself be taken back.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import files, storage
from .errors import StorageError, storage_error

KEEP = 10
INDEX = "backups.json"  # name → what the workbook was when copied, and from where


@dataclass(frozen=True)
class Backup:
    """One copy of a workbook."""

    path: Path
    taken: datetime
    size: int

    @property
    def size_text(self) -> str:
        """The copy's size for people: "2.1 MB"."""
        return _size(self.size)


def folder_for(workbook: Path, root: Path) -> Path:
    """Where the copies of `workbook` are kept under `root`."""
    import hashlib  # (OpenSSL's library: loaded by the copy's worker thread, not at start)

    full = str(Path(workbook).resolve())
    digest = hashlib.sha256(full.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    name = re.sub(r'[\x00-\x1f/\\:*?"<>|]+', "_", Path(workbook).stem).strip(" .")
    name = name or "workbook"
    return root / f"{name[:60]}-{digest}"


def backups(workbook: Path, root: Path) -> list[Backup]:
    """The copies of `workbook`, newest first."""
    folder = folder_for(workbook, root)
    found = []
    for entry, _ in _index(folder).items():
        path = folder / entry
        taken = _taken(entry)
        with contextlib.suppress(OSError):
            if taken is not None:
                found.append(Backup(path, taken, path.stat().st_size))
    return sorted(found, key=lambda backup: _order(backup.path.name), reverse=True)


def take(workbook: Path, root: Path, *, keep: int = KEEP,
         now: datetime | None = None) -> Backup | None:
    """Copy `workbook` into its backups folder and drop all but the newest `keep`; None
    when it has not changed since the newest copy. Raises `StorageError` (nothing left
    half-written) when the copy cannot be made."""
    workbook = Path(workbook)
    folder = folder_for(workbook, root)
    stamp = _stamp(workbook)
    index = _index(folder)
    newest = backups(workbook, root)
    if newest and stamp is not None and index.get(newest[0].path.name, {}).get("stamp") == stamp:
        return None
    taken = (now or datetime.now()).replace(microsecond=0)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = _free_name(folder, taken)
        with files.replacing(target) as (_, partial):
            storage.copy_into(workbook, partial)
        index[target.name] = {"source": str(workbook.resolve()), "stamp": stamp}
        _prune(folder, index, keep)
    except (OSError, sqlite3.Error) as error:
        raise _failed(workbook, error) from None
    return Backup(target, _taken(target.name) or taken, target.stat().st_size)


def restore(backup: Backup, workbook: Path, root: Path, *, keep: int = KEEP) -> Backup | None:
    """Put `backup` in place of `workbook`, which the caller has closed; the workbook as it
    was is copied first (returned; None when it was the same as its newest copy).

    Raises `WorkbookFileError` when the copy is not a workbook this version opens, and
    `StorageError` when it cannot be put in place; either way the workbook is untouched.
    """
    workbook = Path(workbook)
    storage.inspect(backup.path)
    kept = take(workbook, root, keep=keep + 1) if workbook.exists() else None
    try:
        with files.replacing(workbook) as (handle, _):
            with backup.path.open("rb") as original, os.fdopen(os.dup(handle), "wb") as raw:
                while chunk := original.read(1 << 20):
                    raw.write(chunk)
            files.remove_sidecars(workbook)  # its log belongs to the file being replaced
    except OSError as error:
        raise _failed(workbook, error, "put the copy back") from None
    return kept


def _failed(workbook: Path, error: BaseException, doing: str = "back it up") -> StorageError:
    """One message for a copy that could not be made or put back."""
    if isinstance(error, OSError) and error.errno == errno.ENOSPC or \
            isinstance(error, sqlite3.Error) and "disk is full" in str(error):
        reason = "the disk is full"
    elif isinstance(error, OSError):
        reason = error.strerror or str(error)
    else:
        mapped = storage_error(error)
        reason = str(mapped).split(". ")[0] if mapped is not None else str(error)
    return StorageError(f"{workbook.name}: could not {doing} ({reason}). The workbook itself "
                        "was not changed.")


def _stamp(workbook: Path) -> str | None:
    """What the workbook holds, as far as the file system tells: the file's size and
    modification time with its log's size (edits not yet moved into the file)."""
    try:
        status = workbook.stat()
    except OSError:
        return None
    log = Path(f"{workbook}-wal")
    log_size = log.stat().st_size if log.exists() else 0
    return f"{status.st_size}:{status.st_mtime_ns}:{log_size}"


def _index(folder: Path) -> dict[str, dict[str, str | None]]:
    try:
        data = json.loads((folder / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    # A copy whose entry was lost (the index written by an older run) still counts.
    with contextlib.suppress(OSError):
        for path in folder.glob("*.awb"):
            data.setdefault(path.name, {"source": None, "stamp": None})
    return {name: entry for name, entry in data.items()
            if isinstance(entry, dict) and (folder / name).is_file()}


def _prune(folder: Path, index: dict[str, dict[str, str | None]], keep: int) -> None:
    ordered = sorted(index, key=_order, reverse=True)
    for name in ordered[keep:]:
        with contextlib.suppress(OSError):
            (folder / name).unlink()
        del index[name]
    files.write_atomic(folder / INDEX, json.dumps(index, indent=1).encode("utf-8"))


_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{2}\.\d{2}\.\d{2})(?:-(\d+))?\.awb$")


def _taken(name: str) -> datetime | None:
    match = _NAME.match(name)
    # Not strptime: its first use loads and compiles its locale's patterns (13 ms).
    return datetime.fromisoformat(match.group(1).replace(".", ":")) if match else None


def _order(name: str) -> tuple[datetime, int]:
    """Oldest first: by the time in the name, then by its counter (taken the same second)."""
    match = _NAME.match(name)
    return (_taken(name) or datetime.min, int(match.group(2) or 1) if match else 0)


def _free_name(folder: Path, taken: datetime) -> Path:
    base = f"{taken:%Y-%m-%d %H.%M.%S}"
    target, counter = folder / f"{base}.awb", 1
    while target.exists():
        counter += 1
        target = folder / f"{base}-{counter}.awb"
    return target


def _size(size: int) -> str:
    if size < 1024:
        return f"{size:,} bytes"
    scaled = float(size)
    for unit in ("KB", "MB", "GB"):
        scaled /= 1024
        if scaled < 1024 or unit == "GB":
            break
    return f"{scaled:,.1f} {unit}"
