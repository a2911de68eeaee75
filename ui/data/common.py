"""What the Data screens share: their look (the Plan screen's, plus the lazy tables and the
progress bar), cards, and the questions they ask the user (files, names, confirmations),
each a module-level function so tests can answer them without a modal box."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QWidget,
)

from ui.context import AppContext
from ui.data.theme import style_sheet as style_sheet  # the Data dialogs call common.style_sheet
from ui.shell.blocks import card as card  # the Data screens call these as common.card, …
from ui.shell.blocks import note as note
from workbench.changes import Changes
from workbench.errors import ValidationError, WorkbenchError

EXPORT_FILTER = "CSV files (*.csv *.txt *.tsv);;Excel workbooks (*.xlsx);;All files (*)"
DASH = "—"


def caption_combo(minimum_width: int = 140, widest: int = 240) -> QComboBox:
    """A filter's combo box: as wide as its longest choice, within bounds, so a source
    named in 200 characters is cut short in the box (whole in its list), not the row's
    other boxes; the choice shown is its tooltip."""
    combo = QComboBox()
    combo.setMinimumWidth(minimum_width)
    combo.setMaximumWidth(max(minimum_width, widest))
    combo.currentTextChanged.connect(combo.setToolTip)
    return combo


def select_data(combo: QComboBox, data: Any) -> None:
    """Select the item holding `data` (the first item when none does), without signals."""
    index = combo.findData(data)
    combo.blockSignals(True)
    combo.setCurrentIndex(index if index >= 0 else 0)
    combo.blockSignals(False)


# -- questions to the user (tests replace these) ----------------------------------------------
def ask_import_path(parent: QWidget | None, caption: str, folder: Path | None) -> Path | None:
    """Which file to import; None when cancelled."""
    name, _ = QFileDialog.getOpenFileName(parent, caption, str(folder or ""), EXPORT_FILTER)
    return Path(name) if name else None


def ask_csv_path(parent: QWidget | None, caption: str, suggested: Path) -> Path | None:
    """Where to save a CSV file; None when cancelled."""
    name, _ = QFileDialog.getSaveFileName(parent, caption, str(suggested), "CSV files (*.csv)")
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".csv" else path.with_name(path.name + ".csv")


def ask_name(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """A name typed by the user; None when cancelled."""
    value, ok = QInputDialog.getText(parent, title, label, text=text)
    return value if ok else None


def confirm(parent: QWidget | None, title: str, text: str, action: str) -> bool:
    """Whether the user goes ahead with `action` (the button's text)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    go = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is go


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


# -- running a step that may be refused ---------------------------------------------------------
def run_step(context: AppContext, mutation: Callable[..., Any], *args: Any,
             initiator: object = None) -> tuple[Any, WorkbenchError | None]:
    """Run a core mutation as `AppContext.perform` does (broadcast its `Changes`, say so on
    the status bar), but hand a refusal back to the caller, which shows it in place:
    (result, None) on success, (None, error) when refused; nothing changed then."""
    try:
        result = mutation(*args)
    except ValidationError as error:
        context.refused.emit(error, initiator)
        return None, error
    except WorkbenchError as error:
        return None, error
    changes = result[0] if isinstance(result, tuple) else result
    if isinstance(changes, Changes) and not changes.empty:
        context.changed.emit(changes, initiator)
        context.status.emit(f"{changes.step} — saved", 2500)
    return result, None
