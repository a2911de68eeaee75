"""The sign-off dialog: the signers sign a draft SLA one after another on this computer.

Each reviews the PDF (left), ticks consent to this version, may draw a signature, enters
their password and signs. Their turn, consent and identity are checked here (reading the
workbook); then their key is unlocked and their PAdES signature applied on the worker
thread, with a busy bar, and the preview shows the PDF as signed so far. A wrong password,
a signer out of turn or a missing tick is explained and signs nothing: it is still that
signer's turn. After the last signer the sign-off is recorded in the workbook and the
signed PDF saved where the user says; closing half-way records nothing.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from workbench import identities
from workbench.errors import ValidationError
from workbench.model import Signatory, SlaVersionId

from . import questions, theme
from .identity_dialogs import keys_dir
from .preview import PdfPreview
from .signatories import identity_for
from .signature_pad import SignaturePad
from .workers import run_job

if TYPE_CHECKING:
    from reports.signing import PendingSignature

NOTHING_RECORDED = ("Each signature is applied to the PDF when its signer signs; the "
                    "workbook records the sign-off only once everyone has signed.")


def _aligned(layout: QVBoxLayout, widget: QWidget) -> None:
    """Buttons keep their own width; everything else fills the column."""
    align = Qt.AlignmentFlag.AlignLeft if isinstance(widget, QPushButton) else \
        Qt.AlignmentFlag(0)
    layout.addWidget(widget, 0, align)


class SignOffDialog(QDialog):
    """Signers in signing order; the current one signs here. Raises `ValidationError`
    (before showing) when the version cannot be signed yet."""

    def __init__(self, context: AppContext, version_id: SlaVersionId,
                 parent: QWidget | None = None) -> None:
        from reports.signing import SignOff

        self.session = SignOff(context.workbook, version_id, keys_dir(context))
        super().__init__(parent)
        self.context = context
        self.setObjectName("SlaDialog")
        self.setStyleSheet(theme.style_sheet("SlaDialog"))
        self.version = self.session.document.version
        self.setWindowTitle(f"Sign version {self.version} of the SLA")
        self.known = identities.identities(context.workbook)
        self.signed_pdf: bytes | None = None  # once recorded
        self.saved_path: Path | None = None
        self.signed_at: dict[int, str] = {}  # signatory id -> local time they signed
        self._pending: PendingSignature | None = None
        self._busy = self._to_signatures = False
        self._refusal = ""
        self.preview = PdfPreview()
        self.preview.updated.connect(self._show_signature_page)
        self._build()
        self.preview.show_document(self.session.document)
        self._show_progress()
        self.consent.setFocus()

    # -- building -------------------------------------------------------------------------
    def _build(self) -> None:
        review = QFrame(objectName="card")
        column = QVBoxLayout(review)
        column.setContentsMargins(12, 10, 12, 12)
        heading = QHBoxLayout()
        heading.addWidget(QLabel("Review the agreement", objectName="cardTitle"))
        self.preview_note = QLabel("The draft, before anyone signs", objectName="muted")
        heading.addWidget(self.preview_note, 1, Qt.AlignmentFlag.AlignRight)
        column.addLayout(heading)
        column.addWidget(self.preview, 1)
        panel = QScrollArea(widgetResizable=True)
        panel.setWidget(self._panel())
        panel.setMinimumWidth(430)
        panel.setMaximumWidth(620)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(review)
        splitter.addWidget(panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        footer = QHBoxLayout()
        footer.addStretch(1)
        footer.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.addWidget(splitter, 1)
        layout.addLayout(footer)
        screen = self.screen().availableGeometry() if self.screen() else None
        width, height = (1240, 760) if screen is None else (
            min(1400, int(screen.width() * 0.92)), min(900, int(screen.height() * 0.92)))
        self.resize(width, height)

    def _panel(self) -> QWidget:
        card = QFrame(objectName="card")
        layout = QVBoxLayout(card)
        layout.setContentsMargins(18, 14, 18, 16)
        layout.setSpacing(8)
        layout.addWidget(QLabel(f"Sign version {self.version}", objectName="cardTitle"))
        layout.addWidget(QLabel("Signers sign one after another on this computer, in the "
                                "agreed order. " + NOTHING_RECORDED, objectName="muted",
                                wordWrap=True))
        self.order_list = QVBoxLayout()
        self.order_list.setSpacing(4)
        layout.addLayout(self.order_list)
        self.signer_box = self._signer_form()
        layout.addWidget(self.signer_box)
        self.done_box = self._done_form()
        layout.addWidget(self.done_box)
        self.message = QLabel(objectName="message", wordWrap=True)
        self.message.hide()
        layout.addWidget(self.message)
        layout.addStretch(1)
        return card

    def _signer_form(self) -> QWidget:
        box = QWidget()
        form = QVBoxLayout(box)
        form.setContentsMargins(0, 10, 0, 0)
        form.setSpacing(6)
        self.turn = QLabel(objectName="termTitle", wordWrap=True)
        self.who = QComboBox(toolTip="Who is signing now")
        self.who.currentIndexChanged.connect(self._who_changed)
        self.identity = QComboBox(toolTip="The certificate this signer signs with")
        self.consent = QCheckBox(f"I agree to version {self.version} of this SLA")
        self.pad = SignaturePad()
        self.clear_button = QPushButton("Clear drawing")
        self.clear_button.clicked.connect(self.pad.clear)
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("The signer's password")
        self.password.returnPressed.connect(self.sign_current)
        self.sign_button = QPushButton("Sign", objectName="primary")
        self.sign_button.clicked.connect(self.sign_current)
        self.busy_label = QLabel(objectName="muted", wordWrap=True)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        for caption, widget in (("", self.turn), ("Signer", self.who),
                                ("Signing identity", self.identity), ("", self.consent),
                                ("Signature (optional)", self.pad), ("", self.clear_button),
                                ("Password", self.password), ("", self.sign_button),
                                ("", self.busy_label), ("", self.busy)):
            if caption:
                form.addWidget(QLabel(caption, objectName="caption"))
            _aligned(form, widget)
        self.busy_label.hide()
        self.busy.hide()
        return box

    def _done_form(self) -> QWidget:
        box = QWidget()
        form = QVBoxLayout(box)
        form.setContentsMargins(0, 10, 0, 0)
        self.done_title = QLabel("Everyone has signed.", objectName="termTitle")
        self.open_when_done = QCheckBox("Open the PDF when it is saved", checked=True)
        self.save_button = QPushButton("Save the signed PDF…", objectName="primary")
        self.save_button.clicked.connect(self._save_clicked)
        self.record_button = QPushButton("Record the sign-off again")
        self.record_button.clicked.connect(self.record)
        self.saved = QLabel(objectName="ok", wordWrap=True)
        for widget in (self.done_title, self.open_when_done, self.save_button,
                       self.record_button, self.saved):
            _aligned(form, widget)
        self.save_button.hide()
        self.record_button.hide()
        self.saved.hide()
        box.hide()
        return box

    # -- progress -------------------------------------------------------------------------
    def _show_progress(self) -> None:
        while self.order_list.count():
            item = self.order_list.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()
                item.widget().deleteLater()
        upcoming = self.session.next_signatory
        for signatory in self.session.signatories:
            text, style = self._state(signatory, upcoming)
            self.order_list.addWidget(QLabel(
                f"{signatory.position + 1}. {signatory.name} — "
                f"{signatory.title or signatory.team.title()} · {text}",
                objectName=style, wordWrap=True))
        if upcoming is None:
            self.signer_box.hide()
            return
        self.turn.setText(f"{upcoming.name}'s turn ({upcoming.title or upcoming.team})")
        self.who.blockSignals(True)
        self.who.clear()
        for signatory in self.session.signatories:
            if signatory.id not in self.signed_at:
                self.who.addItem(f"{signatory.position + 1}. {signatory.name}", signatory.id)
        self.who.blockSignals(False)
        self._who_changed()

    def _state(self, signatory: Signatory, upcoming: Signatory | None) -> tuple[str, str]:
        """What the order list says of a signatory, and its style."""
        if signatory.id in self.signed_at:
            return f"✓ signed at {self.signed_at[signatory.id]}", "ok"
        if upcoming is not None and signatory.id == upcoming.id:
            return "→ signs now", "warn"
        return "waiting", "muted"

    def signed_ids(self) -> list[int]:
        """The signatories who have signed in this session so far, in order."""
        return [s.id for s in self.session.signatories if s.id in self.signed_at]

    def _who_changed(self) -> None:
        signatory = next((s for s in self.session.signatories
                          if s.id == self.who.currentData()), None)
        self.identity.clear()
        signers = [i for i in self.known if i.kind == "signer"]
        for identity in signers:
            self.identity.addItem(f"{identity.subject} · expires {identity.not_after[:10]}",
                                  identity.sha256)
        match = identity_for(signatory, self.known) if signatory else None
        if match is not None:
            self.identity.setCurrentIndex(self.identity.findData(match.sha256))
        if not signers:
            self.identity.addItem("No signing identity in this workbook", None)

    def show_message(self, text: str, *, good: bool = False) -> None:
        self.message.setObjectName("ok" if good else "message")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # -- signing --------------------------------------------------------------------------
    def sign_current(self) -> None:
        """The chosen signer signs: their turn, consent and identity are checked here, then
        their key is unlocked and their signature applied on the worker thread."""
        if self._busy:
            return
        sha = self.identity.currentData()
        if sha is None:
            self.show_message("There is no signing identity to sign with: close this dialog "
                              "and create or import one for the signer.")
            return
        try:
            pending = self.session.prepare(
                self.who.currentData(), sha, self.password.text(),
                consent=self.consent.isChecked(), image_png=self.pad.png_bytes())
        except ValidationError as error:
            self.show_message(error.message)
            return
        self.show_message("")
        self._pending = pending
        self._set_busy(True, f"Signing the PDF for {pending.signatory.name}…")
        run_job(partial(self.session.apply, pending), self._signed, self._sign_failed)

    @property
    def is_busy(self) -> bool:
        """True while a signature is being applied on the worker thread."""
        return self._busy

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        for widget in (self.who, self.identity, self.consent, self.pad, self.clear_button,
                       self.password, self.sign_button, self.close_button):
            widget.setEnabled(not busy)
        self.busy_label.setText(text)
        self.busy_label.setVisible(busy)
        self.busy.setVisible(busy)

    def _signed(self, pdf: bytes) -> None:
        self._set_busy(False)
        pending, self._pending = self._pending, None
        if pending is not None:
            self.signed_at[pending.signatory.id] = datetime.now().strftime("%H:%M:%S")
        self.password.clear()
        self.consent.setChecked(False)
        self.pad.clear()
        self._show_progress()
        count, total = len(self.signed_at), len(self.session.signatories)
        self.preview_note.setText(f"As signed so far: {count} of {total} signatures")
        self._to_signatures = True
        self.preview.show_pdf(pdf)
        if self.session.next_signatory is None:
            self.record()
        else:
            self.consent.setFocus()

    def _show_signature_page(self, pages: int) -> None:
        if self._to_signatures:
            self._to_signatures = False
            self.preview.go_to_page(pages - 2)  # the signatures, before the completion page

    def _sign_failed(self, error: Exception) -> None:
        self._set_busy(False)
        self._pending = None
        self.show_message(error.message if isinstance(error, ValidationError)
                          else f"The PDF could not be signed ({error}).")
        self.password.selectAll()
        self.password.setFocus()

    # -- after the last signer ------------------------------------------------------------
    def record(self) -> None:
        """Record the completed sign-off in the workbook, then save the signed PDF."""
        pdf = self.session.signed_pdf
        if pdf is None or self.signed_pdf is not None:
            return
        self.done_box.show()
        self._refusal = ""
        self.context.refused.connect(self._refused)
        try:
            done = self.context.perform(self.session.record, pdf, initiator=self)
        finally:
            self.context.refused.disconnect(self._refused)
        if done is None:
            self.show_message("Everyone has signed, but the sign-off could not be recorded "
                              f"in the workbook{': ' + self._refusal if self._refusal else '.'}")
            self.record_button.show()
            return
        self.record_button.hide()
        self.signed_pdf = pdf
        self.done_title.setText(f"Everyone has signed version {self.version}.")
        self.save_button.show()
        self.save_signed()

    def _refused(self, error: ValidationError, initiator: object) -> None:
        if initiator is self:
            self._refusal = error.message

    def _save_clicked(self) -> None:
        self.save_signed()

    def save_signed(self, path: Path | None = None) -> Path | None:
        """Save the signed PDF (asking where unless `path` is given), via a temporary file."""
        from reports.signing import write_atomic

        if self.signed_pdf is None:
            return None
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Save the signed SLA", self._suggested_path(), "PDF files (*.pdf)")
            if not chosen:
                self.show_message("Not saved yet. The signed PDF is kept in the workbook: "
                                  "save it now, or later with Export PDF…")
                return None
            path = Path(chosen)
        try:
            write_atomic(path, self.signed_pdf)
        except ValidationError as error:
            self.show_message(error.message)
            return None
        self.saved_path = path
        self.show_message("")
        self.saved.setText(f"Saved {path}")
        self.saved.show()
        self.close_button.setText("Done")
        if self.open_when_done.isChecked():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path

    def _suggested_path(self) -> str:
        workbook = self.context.workbook
        folder = workbook.path.parent if workbook.path else Path.home()
        company = self.session.document.company or "SLA"
        return str(folder / f"{company} SLA v{self.version} signed.pdf")

    # -- closing --------------------------------------------------------------------------
    def done(self, result: int) -> None:  # noqa: D102 - Qt's name
        if self.is_busy:
            return  # not while a signature is being applied
        if self.signed_at and self.signed_pdf is None and not self._discard_confirmed():
            return
        super().done(result)

    def _discard_confirmed(self) -> bool:
        """Ask before closing a sign-off that some signatories have signed: nothing of it is
        recorded."""
        signed = [s.name for s in self.session.signatories if s.id in self.signed_at]
        waiting = [s.name for s in self.session.signatories if s.id not in self.signed_at]
        return questions.confirm_discard(self, signed, waiting)
