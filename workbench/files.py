"""Writing a file so that a reader never sees half of it, and nobody else can steer it.

Every file the app writes whole (key files, PDFs, CSV exports, workbook copies) is written
under a fresh temporary name beside its target, created with `O_CREAT | O_EXCL |
O_NOFOLLOW` (`tempfile.mkstemp`), so a symbolic link planted at a guessable name is never
followed; then it is synced and renamed over the target. A private file (a key) has mode
0600 from its first byte; any other file gets the usual mode the user's umask allows.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def replacing(path: Path, *, private: bool = False) -> Iterator[tuple[int, Path]]:
    """Yield an open descriptor and the path of a new temporary file beside `path`; when
    the block ends normally the file is synced and renamed onto `path`, otherwise removed.

    Raises `OSError` (the temporary file removed) when the folder cannot be written.
    """
    path = Path(path)
    sweep_stale(path)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".partial",
                                    dir=path.parent or Path("."))
    temporary, is_open = Path(name), True
    try:
        if not private:
            os.fchmod(handle, 0o666 & ~_umask())
        yield handle, temporary
        os.fsync(handle)
        is_open = False
        os.close(handle)
        os.replace(temporary, path)
    except BaseException:
        if is_open:
            with contextlib.suppress(OSError):
                os.close(handle)
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def sweep_stale(path: Path) -> None:
    """Remove the temporary files a process that was killed while writing `path` left
    beside it (`.NAME.PID.XXXX.partial`, and the journal SQLite kept for it). Only those
    whose process has ended on this computer: another writer's are left alone."""
    prefix = f".{path.name}."
    with contextlib.suppress(OSError):
        for candidate in (path.parent or Path(".")).iterdir():
            name = candidate.name
            if not (name.startswith(prefix) and name.endswith(".partial")):
                continue
            pid = name[len(prefix):].split(".", 1)[0]
            if pid.isdigit() and not alive(int(pid)):
                with contextlib.suppress(OSError):
                    candidate.unlink()
                remove_sidecars(candidate)


def alive(pid: int) -> bool:
    """Whether process `pid` is running on this computer."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_atomic(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write `data` to `path` through a temporary file (see the module's note).

    Raises `OSError`; on failure `path` is as it was and no temporary file remains.
    """
    with replacing(Path(path), private=private) as (handle, _):
        view = memoryview(data)
        while view:
            written = os.write(handle, view)
            view = view[written:]


def remove_sidecars(database: Path) -> None:
    """Remove SQLite's journal files beside `database` (`-journal`, `-wal`, `-shm`)."""
    for suffix in ("-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(f"{database}{suffix}").unlink()
