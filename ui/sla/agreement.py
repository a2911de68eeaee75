"""The agreement's own details (title, effective period, review cadence) and the
required-term check: what is still missing before the SLA can be exported or signed."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from workbench.identities import Identity
from workbench.model import Signatory, SlaVersion
from workbench.sla_terms import SlaDocument, missing_required, unexcused_sentence

from .fields import BoundField, caption, line_edit
from .signatories import identity_for


@dataclass(frozen=True)
class Finding:
    """One line of the check: "ok", "warn" (allowed) or "missing" (blocks `blocks`)."""

    level: str
    text: str
    blocks: str = ""  # "export" (and so signing) or "sign"


def readiness(document: SlaDocument, signatories: list[Signatory],
              known: list[Identity]) -> list[Finding]:
    """What the version still lacks for export and for sign-off, and what is in place."""
    findings = [Finding("missing", e.message, "export") for e in missing_required(document)]
    if not findings and document.commitment is not None:
        follow_up = dict(document.term("follow_up").facts)  # type: ignore[union-attr]
        months = document.commitments or (document.commitment,)
        per_month = (f"{months[0].per_month:,} MQLs per month" if len(months) == 1 else
                     "MQLs per month: " + ", ".join(f"{c.per_month:,} in {c.quarter}"
                                                    for c in months))
        findings.append(Finding(
            "ok", f"Required terms are set: {per_month}; "
                  f"first touch within {follow_up.get('First touch within', '—')}."))
    if document.all_agreed:
        findings.append(Finding("ok", "Every stage's definition is written and agreed by both "
                                      "teams."))
    for _, name, problem, exception in document.unagreed:
        if exception:
            findings.append(Finding("warn", f"“{name}” {problem}: signed with the recorded "
                                            f"exception “{exception}”"))
        else:
            findings.append(Finding("missing", unexcused_sentence(name, problem), "sign"))
    if not document.effective_from:
        findings.append(Finding("warn", "The effective period is not set: the PDF says "
                                        "“Not set”."))
    if not signatories:
        findings.append(Finding("missing", "Name at least one signatory.", "sign"))
    else:
        findings.append(Finding("ok", f"{len(signatories)} signatories, in signing order."))
    matched = {i.sha256 for s in signatories if (i := identity_for(s, known)) is not None}
    spare = [i for i in known if i.kind == "signer" and i.sha256 not in matched]
    for signatory in signatories:
        if signatory.signed_at or identity_for(signatory, known) is not None:
            continue
        if spare:  # e.g. an imported certificate issued under another name
            findings.append(Finding("warn", f"No certificate is in {signatory.name}'s name: "
                                            "they choose one when signing."))
        else:
            findings.append(Finding("missing", f"{signatory.name} has no signing identity "
                                               "yet: create or import one.", "sign"))
    return findings


def can_export(findings: list[Finding]) -> bool:
    return not any(f.level == "missing" and f.blocks == "export" for f in findings)


def can_sign(findings: list[Finding]) -> bool:
    return not any(f.level == "missing" for f in findings)


def card(title: str, *, subtitle: str = "") -> tuple[QFrame, QVBoxLayout]:
    """A white card with a bold title (and a grey line under it)."""
    frame = QFrame(objectName="card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(16, 14, 16, 14)
    layout.setSpacing(6)
    layout.addWidget(QLabel(title, objectName="cardTitle"))
    if subtitle:
        layout.addWidget(QLabel(subtitle, objectName="muted", wordWrap=True))
    return frame, layout


class DetailsCard(QWidget):
    """Title, effective period and review cadence of one version."""

    def __init__(self, context: AppContext, version: SlaVersion,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.version_id = version.id
        details = partial(context.workbook.sla.set_details, version.id)
        self.fields = {
            "title": BoundField(context, line_edit("Title of the agreement"), details, "title"),
            "effective_from": BoundField(context, line_edit("e.g. 2026-10-01"), details,
                                         "effective_from"),
            "effective_to": BoundField(context, line_edit("open-ended when empty"), details,
                                       "effective_to"),
            "review_cadence": BoundField(context, line_edit("e.g. Quarterly SLA review"),
                                         details, "review_cadence"),
        }
        frame, layout = card("Agreement")
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        for row, column, span, name, text in (
                (0, 0, 2, "title", "Title"), (2, 0, 1, "effective_from", "Effective from"),
                (2, 1, 1, "effective_to", "Effective to"),
                (4, 0, 2, "review_cadence", "Review cadence")):
            grid.addWidget(caption(text), row, column, 1, span)
            grid.addWidget(self.fields[name], row + 1, column, 1, span)
            self.fields[name].editor.setAccessibleName(text)
        layout.addLayout(grid)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)

    def load(self, version: SlaVersion, *, read_only: bool) -> None:
        for name, field in self.fields.items():
            field.load(getattr(version, name) or "")
            field.set_read_only(read_only)


class ReadinessCard(QWidget):
    """The required-term check, one line per finding."""

    SYMBOLS = {"ok": "✓", "warn": "!", "missing": "✕"}
    STYLES = {"ok": "ok", "warn": "warn", "missing": "bad"}

    exceptions_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        frame, self._layout = card("Ready to export and sign?")
        self.findings: list[Finding] = []
        self._rows: list[QWidget] = []
        self.exceptions_button = QPushButton("Record exceptions…")
        self.exceptions_button.setToolTip("Say why both teams sign although a definition is "
                                          "not agreed; the PDF prints it")
        self.exceptions_button.clicked.connect(self.exceptions_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.exceptions_button)
        buttons.addStretch(1)
        self._layout.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)

    def show_findings(self, findings: list[Finding], *, unagreed: bool = False) -> None:
        """One line per finding; with `unagreed` definitions, the button to record their
        exceptions."""
        self.findings = findings
        self.exceptions_button.setVisible(unagreed)
        for row in self._rows:
            row.hide()
            row.deleteLater()
        self._rows = []
        for finding in findings:
            row = QWidget()
            line = QGridLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            symbol = QLabel(self.SYMBOLS[finding.level], objectName=self.STYLES[finding.level])
            symbol.setFixedWidth(18)
            text = QLabel(finding.text, wordWrap=True)
            line.addWidget(symbol, 0, 0, Qt.AlignmentFlag.AlignTop)
            line.addWidget(text, 0, 1)
            line.setColumnStretch(1, 1)
            self._layout.insertWidget(self._layout.count() - 1, row)  # above the button
            self._rows.append(row)

    def texts(self) -> list[str]:
        return [f.text for f in self.findings]
