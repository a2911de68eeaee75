"""The sign-off dialog: the signers sign a draft SLA one after another on this computer.

Each reviews the PDF (left), ticks consent to this version, may draw a signature, enters
their password and signs; a wrong password, a signer out of turn or a missing tick is
explained here and nothing is signed. After the last signer, the PDF gets one PAdES
signature per signer on the worker thread (a busy bar shows meanwhile), the sign-off is
recorded in the workbook, and the signed PDF is saved where the user says.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

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
from workbench.model import SlaVersionId

from . import theme
from .identity_dialogs import keys_dir
from .preview import PdfPreview
from .signatories import identity_for
from .signature_pad import SignaturePad
from .workers import run_job


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
        self.signed_pdf: bytes | None = None
        self.saved_path: Path | None = None
        self._closed = self._busy = False
        self.preview = PdfPreview()
        self._build()
        self.preview.show_document(self.session.document)
        self._show_progress()
        self.consent.setFocus()

    # -- building -------------------------------------------------------------------------
    def _build(self) -> None:
        review = QFrame(objectName="card")
        column = QVBoxLayout(review)
        column.setContentsMargins(12, 10, 12, 12)
        column.addWidget(QLabel("Review the agreement", objectName="cardTitle"))
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
                                "agreed order.", objectName="muted", wordWrap=True))
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
        clear = QPushButton("Clear drawing")
        clear.clicked.connect(self.pad.clear)
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("The signer's password")
        self.password.returnPressed.connect(self.sign_current)
        self.sign_button = QPushButton("Sign", objectName="primary")
        self.sign_button.clicked.connect(self.sign_current)
        for caption, widget in (("", self.turn), ("Signer", self.who),
                                ("Signing identity", self.identity), ("", self.consent),
                                ("Signature (optional)", self.pad), ("", clear),
                                ("Password", self.password), ("", self.sign_button)):
            if caption:
                form.addWidget(QLabel(caption, objectName="caption"))
            align = Qt.AlignmentFlag.AlignLeft if isinstance(widget, QPushButton) else \
                Qt.AlignmentFlag(0)
            form.addWidget(widget, 0, align)
        return box

    def _done_form(self) -> QWidget:
        box = QWidget()
        form = QVBoxLayout(box)
        form.setContentsMargins(0, 10, 0, 0)
        self.done_title = QLabel("Everyone has signed.", objectName="termTitle")
        self.busy_label = QLabel("Signing the PDF…", objectName="muted")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.open_when_done = QCheckBox("Open the PDF when it is saved", checked=True)
        self.save_button = QPushButton("Save the signed PDF…", objectName="primary")
        self.save_button.clicked.connect(self._save_clicked)
        self.retry_button = QPushButton("Sign the PDF again")
        self.retry_button.clicked.connect(self.start_signing)
        self.saved = QLabel(objectName="ok", wordWrap=True)
        for widget in (self.done_title, self.busy_label, self.busy, self.open_when_done,
                       self.save_button, self.retry_button, self.saved):
            align = Qt.AlignmentFlag.AlignLeft if isinstance(widget, QPushButton) else \
                Qt.AlignmentFlag(0)
            form.addWidget(widget, 0, align)
        self.save_button.hide()
        self.retry_button.hide()
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
        signed = self.signed_ids()
        for signatory in self.session.signatories:
            if signatory.id in signed:
                state, style = "✓ signed", "ok"
            elif upcoming is not None and signatory.id == upcoming.id:
                state, style = "→ signs now", "warn"
            else:
                state, style = "waiting", "muted"
            row = QLabel(f"{signatory.position + 1}. {signatory.name} — "
                         f"{signatory.title or signatory.team.title()} · {state}",
                         objectName=style, wordWrap=True)
            self.order_list.addWidget(row)
        if upcoming is None:
            self.signer_box.hide()
            return
        self.turn.setText(f"{upcoming.name}'s turn ({upcoming.title or upcoming.team})")
        self.who.blockSignals(True)
        self.who.clear()
        for signatory in self.session.signatories:
            if signatory.id not in signed:
                self.who.addItem(f"{signatory.position + 1}. {signatory.name}", signatory.id)
        self.who.blockSignals(False)
        self._who_changed()

    def signed_ids(self) -> list[int]:
        """The signatories who have signed in this session so far, in order."""
        upcoming = self.session.next_signatory
        count = len(self.session.signatories) if upcoming is None else \
            self.session.signatories.index(upcoming)
        return [s.id for s in self.session.signatories[:count]]

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
        """The chosen signer signs: their turn, their consent, their password."""
        signatory_id, sha = self.who.currentData(), self.identity.currentData()
        if sha is None:
            self.show_message("There is no signing identity to sign with: close this dialog "
                              "and create or import one for the signer.")
            return
        try:
            self.session.sign(signatory_id, sha, self.password.text(),
                              consent=self.consent.isChecked(), image_png=self.pad.png_bytes())
        except ValidationError as error:
            self.show_message(error.message)
            self.password.selectAll()
            return
        self.show_message("")
        self.password.clear()
        self.consent.setChecked(False)
        self.pad.clear()
        self._show_progress()
        if self.session.next_signatory is None:
            self.start_signing()

    def start_signing(self) -> None:
        """Sign the PDF for everyone, off the GUI thread."""
        root = identities.authority(self.context.workbook)
        self.done_box.show()
        self.retry_button.hide()
        self.busy.show()
        self.busy_label.show()
        self.close_button.setEnabled(False)
        self._busy = True
        run_job(partial(self.session.signed_pdf, root.certificate if root else None),
                self._pdf_signed, self._signing_failed)

    @property
    def is_busy(self) -> bool:
        """True while the PDF is being signed on the worker thread."""
        return self._busy

    def _pdf_signed(self, pdf: bytes) -> None:
        self._stop_busy()
        if self._closed:
            return  # the dialog was closed meanwhile: nothing is recorded
        if self.context.perform(self.session.record, pdf, initiator=self) is None:
            self.show_message("The sign-off could not be recorded in the workbook.")
            return
        self.signed_pdf = pdf
        self.done_title.setText(f"Everyone has signed version {self.version}.")
        self.save_button.show()
        self.preview.updated.connect(self._show_signature_page)
        self.preview.show_pdf(pdf)  # the review now shows the signatures
        self.save_signed()

    def _show_signature_page(self, pages: int) -> None:
        self.preview.updated.disconnect(self._show_signature_page)
        self.preview.go_to_page(pages - 2)  # the signature page, before the completion page

    def _signing_failed(self, error: Exception) -> None:
        self._stop_busy()
        message = error.message if isinstance(error, ValidationError) else str(error)
        self.show_message(f"The PDF could not be signed ({message}). Nothing was recorded.")
        self.retry_button.show()

    def _stop_busy(self) -> None:
        self._busy = False
        self.busy.hide()
        self.busy_label.hide()
        self.close_button.setEnabled(True)

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

    def done(self, result: int) -> None:  # noqa: D102 - Qt's name
        if self.is_busy:
            return  # not while the PDF is being signed
        self._closed = True
        super().done(result)
