"""`ProposalsPanel`: "Marketing says / Sales says". Both teams' wordings side by side,
the agreed text and its status, adopting either wording, or writing a merged one."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reports import palette
from ui.context import AppContext
from workbench.model import Stage, StageId, Team

from .fields import CommitTextEdit, FieldRow

STATUS = (("Open", "open"), ("Agreed", "agreed"), ("Disputed", "disputed"))


def _heading(text: str, colour: str) -> QLabel:
    label = QLabel(f'<span style="color:{colour}">●</span>&nbsp;<b>{text}</b>')
    return label


class ProposalsPanel(QWidget):
    """Edits both teams' proposals of one stage and settles its agreed definition."""

    def __init__(self, context: AppContext, initiator: object,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context, self._initiator = context, initiator
        self.stage_id: StageId | None = None
        self._stored: dict[Team, str] = {}
        self._drafts: dict[StageId, str] = {}  # merged texts being written, per stage
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 8, 4, 8)
        layout.setSpacing(10)
        self.says: dict[Team, CommitTextEdit] = {}
        self.adopt: dict[Team, QPushButton] = {}
        layout.addLayout(self._side_by_side())
        layout.addWidget(QLabel("<b>Agreed definition</b>"))
        self.agreed = QLabel()
        self.agreed.setWordWrap(True)
        self.agreed.setObjectName("agreedText")
        layout.addWidget(self.agreed)
        status_line = QHBoxLayout()
        status_line.addWidget(QLabel("Status"))
        self.status = QComboBox()
        for label, value in STATUS:
            self.status.addItem(label, value)
        self.status.activated.connect(self._status_chosen)
        self.status_row = FieldRow(self.status)
        status_line.addWidget(self.status_row, 1)
        layout.addLayout(status_line)
        layout.addWidget(QLabel("<b>Merged text</b>"))
        self.merged = CommitTextEdit(lines=4)
        self.merged.setObjectName("merged")
        self.merged.setPlaceholderText("Write a wording both teams accept…")
        self.merged.textChanged.connect(self._merged_typed)
        layout.addWidget(self.merged)
        self.use_merged = QPushButton("Use merged text")
        self.use_merged.clicked.connect(self._use_merged)
        self.message = FieldRow(self.use_merged)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def _side_by_side(self) -> QGridLayout:
        """Marketing's wording left, sales' right, each with its Adopt button."""
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        for column, (team, title, button) in enumerate((
            (Team.MARKETING, "Marketing says", "Adopt marketing's"),
            (Team.SALES, "Sales says", "Adopt sales'"),
        )):
            grid.addWidget(_heading(title, palette.OWNER[team.value]), 0, column)
            edit = CommitTextEdit(lines=6)
            edit.setObjectName(f"proposal_{team.value}")
            edit.setAccessibleName(title)
            edit.setPlaceholderText(f"What {team.value} proposes…")
            edit.committed.connect(self._proposal_edited)
            grid.addWidget(edit, 1, column)
            adopt = QPushButton(button)
            adopt.setObjectName(f"adopt_{team.value}")
            adopt.clicked.connect(self._adopt_clicked)
            grid.addWidget(adopt, 2, column)
            self.says[team], self.adopt[team] = edit, adopt
        return grid

    # -- loading ---------------------------------------------------------------------------
    def load(self, stage: Stage | None) -> None:
        """Show a stage's proposals, agreed text and status."""
        switching = stage is None or stage.id != self.stage_id
        self.stage_id = stage.id if stage else None
        self.setEnabled(stage is not None)
        if stage is None:
            return
        proposals = self._context.workbook.funnel.proposals(stage.id)
        self._stored = {team: p.text for team, p in proposals.items()}
        for team, edit in self.says.items():
            stored = self._stored.get(team, "")
            if switching or not edit.hasFocus():
                if edit.text() != stored:
                    edit.setText(stored)
            self.adopt[team].setEnabled(bool(stored))
        self.agreed.setText(stage.definition or "<i>Nothing agreed yet.</i>")
        self.status.setCurrentIndex(self.status.findData(stage.agreement.value))
        if switching:
            self.message.clear_error()
            self.merged.blockSignals(True)
            self.merged.setText(self._drafts.get(stage.id, ""))
            self.merged.blockSignals(False)
        self.use_merged.setEnabled(bool(self.merged.text().strip()))

    # -- actions ---------------------------------------------------------------------------
    def _proposal_edited(self) -> None:
        edit = self.sender()
        team = next(t for t, e in self.says.items() if e is edit)
        text = edit.text()
        if self.stage_id is None or text.strip() == self._stored.get(team, "").strip():
            return
        self._context.perform(self._context.workbook.funnel.set_proposal, self.stage_id, team,
                              text, initiator=self._initiator)

    def _adopt_clicked(self) -> None:
        button = self.sender()
        team = next(t for t, b in self.adopt.items() if b is button)
        self.adopt_proposal(team)

    def adopt_proposal(self, team: Team) -> None:
        """Make a team's wording the agreed definition (after storing any edit to it)."""
        if self.stage_id is None:
            return
        self.says[team].committed.emit()
        self._context.perform(self._context.workbook.funnel.adopt_proposal, self.stage_id, team,
                              initiator=self._initiator)

    def _status_chosen(self, index: int) -> None:
        if self.stage_id is None:
            return
        self._context.perform(self._context.workbook.funnel.update_stage, self.stage_id,
                              agreement=self.status.itemData(index), initiator=self._initiator)

    def _merged_typed(self) -> None:
        if self.stage_id is not None:
            self._drafts[self.stage_id] = self.merged.text()
        self.use_merged.setEnabled(bool(self.merged.text().strip()))

    def _use_merged(self) -> None:
        text = self.merged.text().strip()
        if self.stage_id is None or not text:
            return
        done = self._context.perform(self._context.workbook.funnel.merge_definition,
                                     self.stage_id, text, initiator=self._initiator)
        if done is not None:
            self._drafts.pop(self.stage_id, None)
            self.merged.setText("")

    def show_error(self, field: str, message: str) -> bool:
        """Show a refusal that belongs to this panel (a proposal or the status)."""
        if field == "agreement":
            self.status_row.show_error(message)
        elif field in ("proposal", "team"):
            self.message.show_error(message)
        else:
            return False
        return True
