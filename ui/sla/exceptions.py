"""Recording why both teams sign although a stage's definition is not agreed: one text per
disputed, unagreed or unwritten definition, printed in the SLA's PDF."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.sla import MAX_EXCEPTION

Unagreed = tuple[tuple[str, str, str, str], ...]  # key, name, what is wrong, exception


class ExceptionsDialog(QDialog):
    """One field per unagreed definition; an emptied field removes that exception."""

    def __init__(self, unagreed: Unagreed, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record exceptions")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel("These definitions are not agreed by both teams. Sign only once they "
                       "are, or say here why both teams sign anyway and when it will be "
                       "settled: the PDF prints each exception beside the definition.",
                       wordWrap=True)
        layout.addWidget(intro)
        self.fields: dict[str, QPlainTextEdit] = {}
        for key, name, problem, exception in unagreed:
            layout.addWidget(QLabel(f"<b>“{_escaped(name)}”</b> {_escaped(problem)}"))
            field = QPlainTextEdit(exception)
            field.setPlaceholderText("Why both teams sign anyway, and by when it is settled")
            field.setTabChangesFocus(True)
            field.setFixedHeight(64)
            layout.addWidget(field)
            self.fields[key] = field
        self.problem = QLabel(objectName="bad", wordWrap=True)
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept_if_short)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def texts(self) -> dict[str, str]:
        return {key: field.toPlainText().strip() for key, field in self.fields.items()}

    def _accept_if_short(self) -> None:
        long = [key for key, text in self.texts().items() if len(text) > MAX_EXCEPTION]
        if long:
            self.problem.setText(f"Keep each exception to {MAX_EXCEPTION:,} characters.")
            self.fields[long[0]].setFocus()
            return
        self.accept()


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def ask_exceptions(parent: QWidget | None, unagreed: Unagreed) -> dict[str, str] | None:
    """The texts the user saved, by stage key; None when cancelled."""
    dialog = ExceptionsDialog(unagreed, parent)
    return dialog.texts() if dialog.exec() == QDialog.DialogCode.Accepted else None
