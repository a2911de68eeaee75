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
