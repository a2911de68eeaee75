"""The definitions checker: problems in the funnel a workshop should fix.

Interface (filled in by the funnel-editor work): `check_funnel(workbook)` returns the
problems found, each naming its stage (if any) so the UI can jump to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .model import StageId

if TYPE_CHECKING:
    from .workbook import Workbook


@dataclass(frozen=True)
class Problem:
    """One finding: which rule, which stage (None for the funnel as a whole), the message,
    and the stage field to focus when the user clicks it."""

    rule: str
    stage_id: StageId | None
    message: str
    field: str | None = None


def check_funnel(workbook: Workbook) -> list[Problem]:
    """All problems in the workbook's funnel, in stage order."""
    raise NotImplementedError
