"""`ChecksPanel`: the definitions checker's findings, each a click away from the stage
and field it is about; a green tick when there is nothing to fix."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.words import counted
from workbench import checker
from workbench.checker import Problem
from workbench.workbook import Workbook

from . import theme

ROLE_PROBLEM = Qt.ItemDataRole.UserRole


def find_problems(workbook: Workbook) -> list[Problem] | None:
    """The checker's findings, or None while the checker is not available."""
    try:
        return checker.check_funnel(workbook)
    except NotImplementedError:
        return None


SHOWN_AT_LEAST = 3


class ChecksPanel(QWidget):
    """Lists problems; emits `problem_chosen(stage_id or -1, field or "")` on a click."""

    problem_chosen = Signal(int, str)
    # A finding whose fix lies on another screen: (area key, target), e.g. the MQL
    # threshold on the Scoring screen.
    elsewhere_chosen = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        top = QHBoxLayout()
        self.icon = QLabel()
        self.heading = QLabel()
        self.heading.setObjectName("cardTitle")
        top.addWidget(self.icon)
        top.addWidget(self.heading, 1)
        layout.addLayout(top)
        self.list = QListWidget()
        self.list.setIconSize(QSize(20, 20))
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setAccessibleName("Definition problems")
        self.list.itemClicked.connect(self._item_clicked)
        self.list.itemActivated.connect(self._item_clicked)
        layout.addWidget(self.list, 1)
        self.problems: list[Problem] = []

    def refresh(self, workbook: Workbook | None) -> None:
        """Run the checker again and show what it finds."""
        problems = find_problems(workbook) if workbook is not None else None
        self.list.clear()
        if workbook is None:
            self.problems = []
            self.icon.clear()
            self.heading.setText("No workbook open")
            self.list.hide()
            return
        if problems is None:
            self.problems = []
            self.icon.clear()
            self.heading.setText("Definitions checker not available in this build")
            self.list.hide()
            return
        self.problems = problems
        ok = not problems
        self.icon.setPixmap(theme.status_icon(ok, 12).pixmap(24, 24))
        count = len(problems)
        self.heading.setText("No problems found" if ok else
                             f"{counted(count, 'problem')} to settle")
        self.list.setVisible(not ok)
        warning = theme.status_icon(False, 10)
        for problem in problems:
            item = QListWidgetItem(warning, problem.message)
            item.setData(ROLE_PROBLEM, problem)
            item.setToolTip("Click to open the Scoring screen" if problem.target is not None
                            else "Click to go to the stage")
            self.list.addItem(item)
        self._fit_rows()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self._fit_rows)  # rows wrap anew at the new width

    def _fit_rows(self) -> None:
        """Room for the first three problems whole (on a 1366×768 laptop too), however
        their text wraps, not one and a half."""
        shown = range(min(self.list.count(), SHOWN_AT_LEAST))
        self.list.doItemsLayout()  # the rows as wrapped at the list's width now
        heights = [max(self.list.sizeHintForRow(row),
                       self.list.visualItemRect(self.list.item(row)).height()) for row in shown]
        self.list.setMinimumHeight(sum(heights) + 2 * self.list.frameWidth() + 4
                                   if heights else 0)

    def _item_clicked(self, item: QListWidgetItem) -> None:
        problem: Problem = item.data(ROLE_PROBLEM)
        if problem.target is not None:
            self.elsewhere_chosen.emit(*problem.target)
            return
        stage = -1 if problem.stage_id is None else int(problem.stage_id)
        self.problem_chosen.emit(stage, problem.field or "")
