"""The shell's dialogs: errors, choosing files, a new workbook from a template (About
and the rest of the Help menu are in `help_*.py`).

The main window calls these through this module (`dialogs.show_error(...)`), so tests
replace one function instead of driving a modal dialog.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.shell.style import style_window

WORKBOOK_FILTER = "Alignment workbooks (*.awb)"
TEMPLATES = (("blank", "Blank — the classic funnel stages, nothing else"),
             ("demo", "Demo company — a realistic example to explore"))
DEMO_COMPANY = "Brightline Logistics Software"


def show_error(parent: QWidget | None, title: str, text: str, detail: str = "") -> None:
    """A modal error message: `text` says what failed, `detail` why and what is unharmed."""
    box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok,
                      parent)
    if parent is None:  # before the main window, or without one: styled on its own
        style_window(box)
    box.setInformativeText(detail)
    box.exec()


def ask_open_path(parent: QWidget | None, folder: Path) -> Path | None:
    """Ask which workbook to open; None when the user cancels."""
    name, _ = QFileDialog.getOpenFileName(parent, "Open workbook", str(folder),
                                          f"{WORKBOOK_FILTER};;All files (*)")
    return Path(name) if name else None


def ask_save_path(parent: QWidget | None, suggested: Path) -> Path | None:
    """Ask where to save a copy of the workbook; None when the user cancels."""
    name, _ = QFileDialog.getSaveFileName(parent, "Save workbook as", str(suggested),
                                          WORKBOOK_FILTER)
    if not name:
        return None
    path = Path(name)
    return path if path.suffix == ".awb" else path.with_name(path.name + ".awb")


@dataclass(frozen=True)
class NewWorkbookRequest:
    """What the New workbook dialog asks for."""

    template: str
    company_name: str
    path: Path


def file_name_for(company: str) -> str:
    """A file name from a company name: characters a file system refuses are dropped."""
    cleaned = "".join(ch for ch in company if ch not in '/\\:*?"<>|').strip(" .")
    return f"{cleaned or 'Workbook'}.awb"


class NewWorkbookDialog(QDialog):
    """Template, company name and where to save; refuses a name that is taken."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New workbook")
        self.setMinimumWidth(560)
        self.folder = folder
        self.template = QComboBox()
        for key, label in TEMPLATES:
            self.template.addItem(label, key)
        self.company = QLineEdit()
        self.company.setPlaceholderText("Your company's name, e.g. Zoë Müller GmbH")
        self.location = QLineEdit()
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        self.problem = QLabel(objectName="ErrorDetail")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")
        self.buttons.accepted.connect(self._accept_if_valid)
        self.buttons.rejected.connect(self.reject)
        self._location_edited = False
        self.template.currentIndexChanged.connect(self._template_changed)
        self.company.textEdited.connect(self._company_edited)
        self.location.textEdited.connect(self._location_was_edited)
        self._lay_out(browse)
        self._company_edited(self.company.text())

    def _lay_out(self, browse: QPushButton) -> None:
        form = QFormLayout()
        form.setSpacing(10)
        form.addRow("Template", self.template)
        form.addRow("Company name", self.company)
        where = QHBoxLayout()
        where.addWidget(self.location, 1)
        where.addWidget(browse)
        form.addRow("Save as", where)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def _template_changed(self) -> None:
        blank = self.template.currentData() == "blank"
        if blank and self.company.text() == DEMO_COMPANY:
            self.company.clear()
        elif not blank and not self.company.text().strip():
            self.company.setText(DEMO_COMPANY)
        self._company_edited(self.company.text())

    def _company_edited(self, text: str) -> None:
        if not self._location_edited:
            self.location.setText(str(self.folder / file_name_for(text)))

    def _location_was_edited(self) -> None:
        self._location_edited = True

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "New workbook", self.location.text(),
                                              WORKBOOK_FILTER)
        if name:
            self._location_edited = True
            self.location.setText(name if name.endswith(".awb") else name + ".awb")

    def problem_text(self) -> str:
        """Why the inputs cannot be used yet, or "" when they can."""
        if not self.company.text().strip():
            return "Enter the company's name."
        if not self.location.text().strip():
            return "Choose where to save the workbook."
        path = self.request().path
        if path.exists():
            return f"{path} already exists. Choose another name or folder."
        return ""

    def _accept_if_valid(self) -> None:
        problem = self.problem_text()
        self.problem.setText(problem)
        if not problem:
            self.accept()

    def request(self) -> NewWorkbookRequest:
        path = Path(self.location.text().strip())
        if path.suffix != ".awb":
            path = path.with_name(path.name + ".awb")
        return NewWorkbookRequest(self.template.currentData(), self.company.text().strip(), path)


def ask_new_workbook(parent: QWidget | None, folder: Path) -> NewWorkbookRequest | None:
    """Run the New workbook dialog; None when the user cancels."""
    dialog = NewWorkbookDialog(folder, parent)
    return dialog.request() if dialog.exec() == QDialog.DialogCode.Accepted else None
