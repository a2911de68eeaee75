"""Errors the core raises, each carrying a message a user can act on."""

from __future__ import annotations


class WorkbenchError(Exception):
    """Base for every error the core raises on purpose; `str()` is the user's message.

    They pickle with their attributes whatever their constructor takes, so an error met
    in a helper process (see `imports.chunk_source`) arrives whole."""

    def __reduce__(self) -> tuple[object, ...]:
        return _rebuilt, (type(self), self.args, self.__dict__)


def _rebuilt(cls: type[WorkbenchError], args: tuple[object, ...],
             state: dict[str, object]) -> WorkbenchError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class WorkbookFileError(WorkbenchError):
    """A file cannot be opened as a workbook: not a workbook, damaged, or too new."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class CheckCancelled(WorkbookFileError):
    """The user stopped the check of a file before it was opened: nothing was opened."""


class ValidationError(WorkbenchError):
    """A value the user entered was refused; `field` names the input it belongs to."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(message)


class NothingToUndo(WorkbenchError):
    """Undo or redo was asked for with an empty history."""


class ImmutableError(WorkbenchError):
    """A signed SLA version, or something else that is frozen, was asked to change."""


class StorageError(WorkbenchError):
    """The workbook file could not be written (or read) for a reason outside the app: it
    is busy, read-only, on a full disk, or the disk failed. Nothing was changed."""


# SQLite's result codes, by what the user can do about them.
_BUSY = ("SQLITE_BUSY", "SQLITE_LOCKED")
_FULL = ("SQLITE_FULL",)
_READ_ONLY = ("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH")
_DISK = ("SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_PROTOCOL", "SQLITE_NOLFS")
_DAMAGED = ("SQLITE_CORRUPT", "SQLITE_NOTADB")


def storage_error(error: BaseException, path: object = None) -> StorageError | None:
    """The one message for an sqlite3 error caused by the file or the disk (None for any
    other error, such as a bug in a query, which should surface as it is)."""
    name = str(getattr(error, "sqlite_errorname", "") or "")
    where = f"{path}: " if path else ""
    nothing = "Nothing was changed."
    if name.startswith(_BUSY):
        return StorageError(f"{where}the workbook is busy: another program (or another window) "
                            f"is writing to it. {nothing} Try again in a moment.")
    if name.startswith(_FULL) or "database or disk is full" in str(error):
        return StorageError(f"{where}the disk is full, so the change could not be saved. "
                            f"{nothing} Free some space and try again.")
    if name.startswith(_READ_ONLY) or "readonly" in str(error):
        return StorageError(f"{where}the workbook cannot be written: the file or its folder "
                            f"is read-only. {nothing} Save a copy elsewhere (File → Save "
                            "As…) to go on editing.")
    if name.startswith(_DISK):
        return StorageError(f"{where}the disk could not be read or written ({error}). "
                            f"{nothing}")
    if name.startswith(_DAMAGED):
        return StorageError(f"{where}the workbook file is damaged ({error}). {nothing} "
                            "Restore it from a backup.")
    return None
