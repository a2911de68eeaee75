"""`SlaScreen`: the SLA area. A version picker with its status, the editor of the chosen
version beside a live preview of its PDF, and the agreement's actions: new version or
amendment, compare versions, verify a PDF (with the roots the user trusts, and the
workbook's own root certificate to export), export the PDF, sign off.

Every edit runs through `AppContext.perform`; the screen redraws from the `changed`
signal. A signed (or superseded) version is shown read-only.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from ui.shell.flow import flow_row
from ui.shell.screen_sheets import style_screen
from workbench import identities
from workbench.changes import Changes
from workbench.errors import ValidationError
from workbench.model import SlaStatus, SlaVersion, SlaVersionId

from . import actions, theme
from .agreement import Finding, can_export, can_sign, readiness
from .editor import SlaEditor, VersionState
from .preview import PdfPreview

REDRAW_AREAS = ("sla", "funnel", "scoring", "plan", "data", "properties")


def version_label(version: SlaVersion) -> str:
    kind = "Amendment" if version.amends_id else "Version"
    return f"{kind} {version.number} — {version.status.value.title()}"


class SlaScreen(QWidget):
    """The SLA screen for the context's workbook."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("SlaScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        style_screen(self, by_window=context.window_styles_screens)
        self.version_id: SlaVersionId | None = None
        self.state: VersionState | None = None
        self.findings: list[Finding] = []
        self._previewed: object = None
        self._stale = False
        self._notice_timer = QTimer(self, singleShot=True, interval=10_000)
        self.editor = SlaEditor(context)
        self.preview = PdfPreview()
        self._build()
        self._connect()
        self.reload()

    # -- building -------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.setSpacing(10)
        layout.addWidget(self._header())
        self.banner = self._signed_banner()
        layout.addWidget(self.banner)
        self.notice = QLabel(objectName="bad", wordWrap=True)
        self.notice.hide()
        layout.addWidget(self.notice)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._body())
        self.pages.addWidget(self._empty_state())
        layout.addWidget(self.pages, 1)

    def _header(self) -> QWidget:
        title = QLabel("SLA", objectName="screenTitle")
        self.version_combo = QComboBox(minimumWidth=150, toolTip="Choose a version")
        self.version_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.version_combo.setMinimumContentsLength(20)
        self.version_combo.setAccessibleName("SLA version")
        self.status_badge = QLabel()
        self.status_badge.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.new_button = QToolButton(text="New version",
                                      toolButtonStyle=Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.new_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.new_version_action = QAction("New version", self)
        self.amendment_action = QAction("Amendment to the latest version", self)
        menu = QMenu(self.new_button)
        menu.addActions([self.new_version_action, self.amendment_action])
        self.new_button.setMenu(menu)
        self.new_button.setDefaultAction(self.new_version_action)
        self.compare_button = QPushButton("Compare…")
        self.verify_button = self._verify_menu_button()
        self.export_button = QPushButton("Export PDF…")
        self.sign_button = QPushButton("Sign off…", objectName="primary")
        # The buttons wrap onto a second line in a narrow window (a projector), in view.
        return flow_row(title, self.version_combo, self.status_badge,
                        right=(self.new_button, self.compare_button, self.verify_button,
                               self.export_button, self.sign_button))

    def _verify_menu_button(self) -> QToolButton:
        """"Verify a PDF…", with what verifying trusts in its menu: the imported roots, and
        this workbook's root certificate to hand to others."""
        button = QToolButton(text="Verify a PDF…",
                             toolButtonStyle=Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.verify_action = QAction("Verify a PDF…", self)
        self.verify_action.setIconText("Verify a PDF…")  # Qt drops the "…" on the button
        self.trusted_roots_action = QAction("Trusted roots…", self)
        self.export_root_action = QAction("Export root certificate…", self)
        menu = QMenu(button)
        menu.setToolTipsVisible(True)  # says why Export root certificate… is unavailable
        menu.addAction(self.verify_action)
        menu.addSeparator()
        menu.addActions([self.trusted_roots_action, self.export_root_action])
        button.setMenu(menu)
        button.setDefaultAction(self.verify_action)
        return button

    def _signed_banner(self) -> QFrame:
        frame = QFrame()
        row = QHBoxLayout(frame)
        row.setContentsMargins(0, 0, 0, 0)
        self.banner_text = QLabel(objectName="banner", wordWrap=True)
        self.banner_new = QPushButton("New version")
        self.banner_amend = QPushButton("Amendment")
        row.addWidget(self.banner_text, 1)
        row.addWidget(self.banner_new)
        row.addWidget(self.banner_amend)
        frame.hide()
        return frame

    def _body(self) -> QWidget:
        preview_card = QFrame(objectName="card")
        column = QVBoxLayout(preview_card)
        column.setContentsMargins(12, 10, 12, 12)
        heading = QHBoxLayout()
        heading.addWidget(QLabel("Preview", objectName="cardTitle"))
        self.preview_note = QLabel(objectName="muted")
        heading.addWidget(self.preview_note, 1, Qt.AlignmentFlag.AlignRight)
        column.addLayout(heading)
        column.addWidget(self.preview, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.editor)
        self.splitter.addWidget(preview_card)
        self.editor.setMinimumWidth(280)
        preview_card.setMinimumWidth(170)
        self.splitter.setStretchFactor(0, 11)
        self.splitter.setStretchFactor(1, 9)
        self.splitter.setSizes([1100, 900])
        return self.splitter

    def _empty_state(self) -> QWidget:
        page = QWidget()
        frame = QFrame(objectName="card")
        frame.setFixedWidth(520)
        column = QVBoxLayout(frame)
        column.setContentsMargins(32, 28, 32, 28)
        column.addWidget(QLabel("No agreement yet", objectName="screenTitle"))
        explained = QLabel(
            "Start the SLA: its essential terms are drafted from the funnel, the scoring "
            "model and the committed plan, ready for both teams to edit and sign.",
            objectName="muted", wordWrap=True)
        column.addWidget(explained)
        self.start_button = QPushButton("Start the SLA", objectName="primary")
        column.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignLeft)
        # Centred between stretches in a row of its own: a column that centres it by
        # alignment asks its height for the column's whole width, one line short of what
        # its wrapped sentence needs at the card's own width, and cuts the sentence off.
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(frame)
        centred.addStretch(1)
        outer = QVBoxLayout(page)
        outer.addStretch(1)
        outer.addLayout(centred)
        outer.addStretch(2)
        return page

    def _connect(self) -> None:
        self.context.changed.connect(self._on_changed)
        self.context.workbook_replaced.connect(self.reload)
        self.version_combo.activated.connect(self._version_chosen)
        self.new_version_action.triggered.connect(self.new_version)
        self.amendment_action.triggered.connect(self.new_amendment)
        self.banner_new.clicked.connect(self.new_version)
        self.banner_amend.clicked.connect(self.new_amendment)
        self.start_button.clicked.connect(self.new_version)
        self.compare_button.clicked.connect(self.compare_versions)
        self.verify_action.triggered.connect(self._verify_clicked)
        self.trusted_roots_action.triggered.connect(self.manage_trusted_roots)
        self.export_root_action.triggered.connect(self._export_root_clicked)
        self.export_button.clicked.connect(self._export_clicked)
        self.sign_button.clicked.connect(self.sign_off)
        self.editor.create_identity_requested.connect(self.create_identity)
        self.editor.import_identity_requested.connect(self.import_identity)
        self._notice_timer.timeout.connect(self.notice.hide)

    # -- drawing --------------------------------------------------------------------------
    def reload(self) -> None:
        """Draw everything again (another workbook was opened)."""
        self.version_id, self._previewed = None, None
        self.refresh()

    def refresh(self) -> None:
        """Read the chosen version from the workbook and show it."""
        workbook = self.context.workbook
        self._show_root_state()
        versions = workbook.sla.versions() if workbook is not None else []
        if not versions:
            self.version_id, self.state = None, None
            self.pages.setCurrentIndex(1)
            self._fill_combo([])
            self.status_badge.hide()
            self.banner.hide()
            for button in (self.compare_button, self.export_button, self.sign_button,
                           self.new_button):
                button.setEnabled(False)
            return
        self.pages.setCurrentIndex(0)
        if self.version_id not in [v.id for v in versions]:
            self.version_id = versions[-1].id
        self._fill_combo(versions)
        self.state = actions.read_state(workbook, self.version_id)
        self.editor.show_version(self.state)
        self.findings = readiness(self.state.document, self.state.signatories,
                                  self.state.identities) if self.state.document else []
        self.editor.readiness.show_findings(
            self.findings, unagreed=bool(self.state.document and self.state.document.unagreed))
        self.editor.readiness.setVisible(not self.state.read_only)
        self._show_status(self.state.version, versions)
        self._refresh_preview()

    def _show_root_state(self) -> None:
        """Export root certificate… only when the workbook has a signing authority."""
        workbook = self.context.workbook
        has_root = workbook is not None and identities.authority(workbook) is not None
        self.export_root_action.setEnabled(has_root)
        self.export_root_action.setToolTip(
            "Save this workbook's root certificate, for others to verify its signed PDFs"
            if has_root else "This workbook has no signing authority yet: it is created "
            "with the first signing identity (Create identity on a signatory).")

    def _fill_combo(self, versions: list[SlaVersion]) -> None:
        self.version_combo.blockSignals(True)
        self.version_combo.clear()
        for version in versions:
            self.version_combo.addItem(version_label(version), version.id)
        self.version_combo.setCurrentIndex(self.version_combo.findData(self.version_id))
        self.version_combo.blockSignals(False)

    def _show_status(self, version: SlaVersion, versions: list[SlaVersion]) -> None:
        status = version.status.value
        self.status_badge.setText(status.title())
        self.status_badge.setStyleSheet(theme.status_badge_style(status))
        self.status_badge.show()
        draft = version.status is SlaStatus.DRAFT
        self.banner.setVisible(not draft)
        if version.status is SlaStatus.SIGNED:
            self.banner_text.setText(f"Signed on {(version.signed_at or '')[:10]} — start a "
                                     "new version to change it.")
        elif version.status is SlaStatus.SUPERSEDED:
            newer = next((v.number for v in versions if v.status is SlaStatus.SIGNED), None)
            self.banner_text.setText(f"Superseded{f' by version {newer}' if newer else ''} — "
                                     "kept as it was signed, read-only.")
        self.new_button.setEnabled(True)
        self.compare_button.setEnabled(len(versions) > 1)
        self.export_button.setEnabled(not draft or can_export(self.findings))
        self.sign_button.setEnabled(draft and can_sign(self.findings))
        tip = "" if draft and can_sign(self.findings) else (
            "Signed already." if not draft else
            "Settle what the check lists first: " + "; ".join(
                f.text for f in self.findings if f.level == "missing"))
        self.sign_button.setToolTip(tip)

    def _refresh_preview(self) -> None:
        state = self.state
        if state is None:
            return
        if state.read_only:
            key: object = ("signed", state.version.id)
            if key != self._previewed:
                shown = self._show_signed_pdf(state.version.id)
                self.preview_note.setText("The signed PDF, byte for byte" if shown else
                                          "The signed PDF is not shown")
        else:
            key = state.document
            if state.document is None:
                self.preview.show_message("The agreement cannot be laid out yet.")
            elif key != self._previewed:
                self.preview.show_document(state.document)
            self.preview_note.setText("Draft · updates as you edit")
        self._previewed = key

    def _show_signed_pdf(self, version_id: SlaVersionId) -> bool:
        """Show the stored signed PDF, or say why not (altered since signing); False when
        it is not shown."""
        try:
            signed = self.context.workbook.sla.signed_pdf(version_id)
        except ValidationError as error:
            self.preview.show_message(error.message)
            return False
        if signed is not None:
            self.preview.show_pdf(signed)
        return signed is not None

    def _on_changed(self, changes: Changes, initiator: object) -> None:
        if not any(getattr(changes, area) for area in REDRAW_AREAS):
            return
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True  # redrawn when shown again, not behind the user's back

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.refresh()

    def _version_chosen(self, index: int) -> None:
        self.select_version(self.version_combo.itemData(index))

    def select_version(self, version_id: SlaVersionId) -> None:
        """Show another version."""
        self.version_id = version_id
        self.refresh()

    def show_notice(self, text: str, *, good: bool = False) -> None:
        """A message above the editor for a while (red unless `good`)."""
        self.notice.setObjectName("ok" if good else "bad")
        self.notice.style().unpolish(self.notice)
        self.notice.style().polish(self.notice)
        self.notice.setText(text)
        self.notice.show()
        self._notice_timer.start()

    # -- actions (see actions.py) ---------------------------------------------------------
    def new_version(self) -> None:
        self._start_version(amendment=False)

    def new_amendment(self) -> None:
        self._start_version(amendment=True)

    def _start_version(self, *, amendment: bool) -> None:
        result = self.context.perform(self.context.workbook.sla.new_version,
                                      amendment=amendment, initiator=self)
        if result:
            self.select_version(result[1])

    def compare_versions(self) -> None:
        actions.compare_versions(self)

    def verify_a_pdf(self, path: Path | None = None) -> None:
        """Verify a PDF (asking which unless `path` is given)."""
        actions.verify_a_pdf(self, path)

    def _verify_clicked(self) -> None:
        self.verify_a_pdf()

    def manage_trusted_roots(self) -> None:
        """The roots the user trusts beyond this workbook's authority."""
        actions.manage_trusted_roots(self)

    def export_root(self, path: Path | None = None) -> None:
        """Save this workbook's root certificate (asking where unless `path` is given)."""
        actions.export_root(self, path)

    def _export_root_clicked(self) -> None:
        self.export_root()

    def export_pdf(self, path: Path | None = None) -> None:
        """Export the shown version (asking where unless `path` is given)."""
        actions.export_pdf(self, path)

    def _export_clicked(self) -> None:
        self.export_pdf()

    def sign_off(self) -> None:
        actions.sign_off(self)

    def create_identity(self, signatory_id: int) -> None:
        actions.create_identity(self, signatory_id)

    def import_identity(self, signatory_id: int) -> None:
        actions.import_identity(self, signatory_id)

    def refusal(self, error: ValidationError) -> None:
        self.show_notice(error.message)
