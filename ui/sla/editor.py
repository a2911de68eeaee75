"""The SLA editor column: the agreement's details, the required-term check, the essential
terms, the free clauses and the signatories of one version, as cards on the canvas.

Rows are rebuilt only when the version's structure changes (a term or signatory added,
moved or removed); otherwise each field reloads in place, so typing is never interrupted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from ui.context import AppContext
from workbench.identities import Identity
from workbench.model import Signatory, SlaTerm, SlaVersion
from workbench.sla_terms import ESSENTIAL_KEYS, SlaDocument

from .agreement import DetailsCard, ReadinessCard, card
from .exceptions import ask_exceptions
from .signatories import SignatoryRow, identity_for
from .terms import TermEditor

NEW_CLAUSE_TITLE = "New clause"
NEW_SIGNATORY_NAME = "New signatory"


@dataclass(frozen=True)
class VersionState:
    """Everything the editor shows of one version, read from the workbook at once."""

    version: SlaVersion
    terms: list[SlaTerm]
    signatories: list[Signatory]
    parameters: dict[str, str]
    document: SlaDocument | None
    identities: list[Identity]
    quarters: list[str]

    @property
    def read_only(self) -> bool:
        return self.version.status.value != "draft"


def _clear(widgets: dict[int, Any]) -> None:
    for widget in widgets.values():
        widget.hide()
        widget.deleteLater()
    widgets.clear()


class SlaEditor(QScrollArea):
    """Edits one SLA version through `AppContext.perform`."""

    create_identity_requested = Signal(int)  # signatory id
    import_identity_requested = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.state: VersionState | None = None
        self.details: DetailsCard | None = None
        self.readiness = ReadinessCard()
        self.readiness.exceptions_requested.connect(self.record_exceptions)
        self.term_editors: dict[int, TermEditor] = {}
        self.clause_editors: dict[int, TermEditor] = {}
        self.signatory_rows: dict[int, SignatoryRow] = {}
        self._structure: tuple[Any, ...] = ()
        self._focus_after: tuple[str, int] | None = None
        self._build()

    def _build(self) -> None:
        content = QWidget()
        self.column = QVBoxLayout(content)
        self.column.setContentsMargins(0, 0, 8, 0)
        self.column.setSpacing(12)
        self.terms_card, self.terms_layout = card(
            "Essential terms", subtitle="The agreed wording is yours to edit; the facts under "
            "each term come live from the workbook and change when the definitions do.")
        self.clauses_card, self.clauses_layout = card(
            "Further clauses", subtitle="Anything else both teams agree, in your own words.")
        self.add_clause_button = QPushButton("Add clause")
        self.add_clause_button.clicked.connect(self.add_clause)
        self.clauses_layout.addLayout(self._button_row(self.add_clause_button))
        self.signatories_card, self.signatories_layout = card(
            "Signatories", subtitle="They sign in this order. Each needs a signing identity: a "
            "certificate whose key only they can unlock.")
        self.add_signatory_button = QPushButton("Add signatory")
        self.add_signatory_button.clicked.connect(self.add_signatory)
        self.signatories_layout.addLayout(self._button_row(self.add_signatory_button))
        for widget in (self.readiness, self.terms_card, self.clauses_card,
                       self.signatories_card):
            self.column.addWidget(widget)
        self.column.addStretch(1)
        self.setWidget(content)

    @staticmethod
    def _button_row(button: QPushButton) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(button)
        row.addStretch(1)
        return row

    def record_exceptions(self) -> None:
        """Ask why both teams sign although definitions are not agreed; record it."""
        state, workbook = self.state, self.context.workbook
        if state is None or workbook is None or state.document is None or state.read_only:
            return
        texts = ask_exceptions(self, state.document.unagreed)
        if texts is not None:
            self.context.perform(workbook.sla.record_exceptions, state.version.id, texts)

    # -- showing --------------------------------------------------------------------------
    def show_version(self, state: VersionState) -> None:
        """Show `state`, rebuilding rows only where the structure changed."""
        previous, self.state = self._structure, state
        structure = (state.version.id, tuple(t.id for t in state.terms),
                     tuple(s.id for s in state.signatories))
        self._structure = structure
        if not previous or previous[0] != structure[0]:
            self._rebuild_details(state)
        if not previous or previous[:2] != structure[:2]:
            self._rebuild_terms(state)
        if not previous or previous[0] != structure[0] or previous[2] != structure[2]:
            self._rebuild_signatories(state)
        self._load(state)
        if self._focus_after is not None:
            QTimer.singleShot(0, self._focus_new_row)

    def _rebuild_details(self, state: VersionState) -> None:
        if self.details is not None:
            self.details.hide()
            self.details.deleteLater()
        self.details = DetailsCard(self.context, state.version)
        self.column.insertWidget(0, self.details)

    def _rebuild_terms(self, state: VersionState) -> None:
        _clear(self.term_editors)
        _clear(self.clause_editors)
        for term in state.terms:
            essential = term.key in ESSENTIAL_KEYS
            editor = TermEditor(self.context, term, essential=essential)
            if essential:
                self.terms_layout.addWidget(editor)
                self.term_editors[term.id] = editor
            else:
                self.clauses_layout.insertWidget(self.clauses_layout.count() - 1, editor)
                editor.move_requested.connect(self.move_clause)
                editor.delete_requested.connect(self.delete_clause)
                self.clause_editors[term.id] = editor

    def _rebuild_signatories(self, state: VersionState) -> None:
        _clear(self.signatory_rows)
        for signatory in state.signatories:
            row = SignatoryRow(self.context, signatory)
            row.move_requested.connect(self.move_signatory)
            row.remove_requested.connect(self.remove_signatory)
            row.create_identity_requested.connect(self.create_identity_requested)
            row.import_identity_requested.connect(self.import_identity_requested)
            self.signatories_layout.insertWidget(self.signatories_layout.count() - 1, row)
            self.signatory_rows[signatory.id] = row

    def _load(self, state: VersionState) -> None:
        read_only = state.read_only
        if self.details is not None:
            self.details.load(state.version, read_only=read_only)
        printed = {t.key: t for t in state.document.terms} if state.document else {}
        clauses = [t for t in state.terms if t.id in self.clause_editors]
        essentials = [t for t in state.terms if t.id in self.term_editors]
        for number, term in enumerate(essentials, start=1):
            self.term_editors[term.id].load(term, printed.get(term.key), state.parameters,
                                            read_only=read_only, number=f"1.{number}")
        for number, term in enumerate(clauses, start=1):
            self.clause_editors[term.id].load(
                term, printed.get(term.key), state.parameters, read_only=read_only,
                number=f"2.{number}", first=number == 1, last=number == len(clauses))
        self.clauses_card.setVisible(bool(clauses) or not read_only)
        for index, signatory in enumerate(state.signatories):
            self.signatory_rows[signatory.id].load(
                signatory, identity_for(signatory, state.identities), read_only=read_only,
                first=index == 0, last=index == len(state.signatories) - 1)
        self.add_clause_button.setVisible(not read_only)
        self.add_signatory_button.setVisible(not read_only)

    def _focus_new_row(self) -> None:
        kind, row_id = self._focus_after or ("", 0)
        self._focus_after = None
        if kind == "clause" and row_id in self.clause_editors:
            widget = self.clause_editors[row_id]
            editor = widget.title.editor
        elif kind == "signatory" and row_id in self.signatory_rows:
            widget = self.signatory_rows[row_id]
            editor = widget.fields["name"].editor
        else:
            return
        self.ensureWidgetVisible(widget, 0, 40)
        editor.setFocus()
        editor.selectAll()

    # -- actions --------------------------------------------------------------------------
    def _perform(self, mutation: Any, *args: Any) -> Any:
        return self.context.perform(mutation, *args, initiator=self)

    def add_clause(self) -> None:
        """Add a free clause at the end and put the cursor in its title."""
        if self.state is None:
            return
        result = self._perform(self.context.workbook.sla.add_clause, self.state.version.id,
                               NEW_CLAUSE_TITLE, "")
        if result:
            self._focus_after = ("clause", result[1])
            QTimer.singleShot(0, self._focus_new_row)

    def move_clause(self, term_id: int, delta: int) -> None:
        """Move a clause before the previous clause (-1) or after the next one (+1)."""
        if self.state is None:
            return
        ids = [t.id for t in self.state.terms]
        clauses = [t.id for t in self.state.terms if t.id in self.clause_editors]
        index = clauses.index(term_id) + delta
        if 0 <= index < len(clauses):
            self._perform(self.context.workbook.sla.move_term, term_id,
                          ids.index(clauses[index]))

    def delete_clause(self, term_id: int) -> None:
        self._perform(self.context.workbook.sla.delete_term, term_id)

    def add_signatory(self) -> None:
        """Add a signatory at the end of the signing order and put the cursor in the name."""
        if self.state is None:
            return
        version_id = self.state.version.id
        if self._perform(self.context.workbook.sla.add_signatory, version_id,
                         NEW_SIGNATORY_NAME, "", "shared", ""):
            newest = self.context.workbook.sla.signatories(version_id)[-1]
            self._focus_after = ("signatory", newest.id)
            QTimer.singleShot(0, self._focus_new_row)

    def move_signatory(self, signatory_id: int, delta: int) -> None:
        if self.state is None:
            return
        ids = [s.id for s in self.state.signatories]
        index = ids.index(signatory_id) + delta
        if 0 <= index < len(ids):
            self._perform(self.context.workbook.sla.move_signatory, signatory_id, index)

    def remove_signatory(self, signatory_id: int) -> None:
        self._perform(self.context.workbook.sla.remove_signatory, signatory_id)
