"""`FunnelEditor`: the funnel screen. The diagram and the checker on the left, the
selected stage's card on the right; every edit goes through `AppContext.perform` and the
screen redraws from the `changed` signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from ui.present.presenter import Presenter
from ui.shell.held import HeldWhileHidden
from ui.shell.screen_sheets import style_screen
from workbench.changes import Changes
from workbench.errors import ValidationError
from workbench.model import Stage, StageId

from .checks import ChecksPanel
from .diagram import FunnelView
from .shape import plan_volumes
from .side_panel import StagePanel

if TYPE_CHECKING:
    from ui.present.canvas import Slide

NEW_STAGE_NAME = "New stage"


def confirm_delete(parent: QWidget, stage: Stage) -> bool:
    """Ask before deleting a stage that has actuals, lead dates or plan inputs."""
    answer = QMessageBox.question(
        parent, "Delete stage",
        f"“{stage.name}” has actuals, lead dates or plan figures. Deleting it deletes them "
        "too (Undo brings them back).\n\nDelete the stage?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Yes


def free_stage_name(taken: list[str]) -> str:
    """"New stage", or "New stage 2", 3, … when that name is taken (names are unique)."""
    used = {name.strip().lower() for name in taken}
    name, number = NEW_STAGE_NAME, 1
    while name.lower() in used:
        number += 1
        name = f"{NEW_STAGE_NAME} {number}"
    return name


def _card(*widgets: QWidget, margins: tuple[int, int, int, int] = (16, 14, 16, 14)) -> QFrame:
    card = QFrame()
    card.setObjectName("card")
    layout = QVBoxLayout(card)
    layout.setContentsMargins(*margins)
    layout.setSpacing(8)
    for widget in widgets:
        layout.addWidget(widget, 1 if isinstance(widget, FunnelView) else 0)
    return card


class FunnelEditor(QWidget):
    """The funnel editor screen for the context's workbook."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("FunnelEditor")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        style_screen(self, by_window=context.window_styles_screens)
        self.stages: list[Stage] = []
        self.selected_id: StageId | None = None
        self._selected_index = 0
        self._acting_on_diagram = False  # refusals then go to the banner, not a field
        self.view = FunnelView()
        self.checks = ChecksPanel()
        self.panel = StagePanel(context, self)
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self._banner_timer = QTimer(self, singleShot=True, interval=8000)
        self._banner_timer.timeout.connect(self.banner.hide)
        self.presenter = Presenter(self, "Funnel", self.presentation_slides, context)
        self._build_actions()
        self._build_layout()
        self._connect()
        self.reload()

    # -- building --------------------------------------------------------------------------
    def _build_actions(self) -> None:
        def action(text: str, tip: str, slot: object) -> QAction:
            act = QAction(text, self)
            act.setToolTip(tip)
            act.triggered.connect(slot)
            return act

        self.add_above_action = action("Add above", "Add a stage above the selected one",
                                       self.add_above)
        self.add_below_action = action("Add below", "Add a stage below the selected one",
                                       self.add_below)
        self.rename_action = action("Rename", "Rename the selected stage (F2)",
                                    self.rename_selected)
        self.delete_action = action("Delete", "Delete the selected stage (Delete key)",
                                    self.delete_selected)
        self.view.context_actions = [self.add_above_action, self.add_below_action,
                                     self.rename_action, self.delete_action]

    def _build_layout(self) -> None:
        title = QLabel("Funnel")
        title.setObjectName("screenTitle")
        subtitle = QLabel("Click to edit · drag to reorder · F2 renames")  # fits 1280 px
        subtitle.setObjectName("muted")
        header = QHBoxLayout()
        header.addWidget(title)
        header.addSpacing(12)
        header.addWidget(subtitle, 1, Qt.AlignmentFlag.AlignBottom)
        for act in self.view.context_actions:
            button = QToolButton()
            button.setDefaultAction(act)
            button.setObjectName(f"button_{act.text().lower().replace(' ', '_')}")
            header.addWidget(button)
        self.present_button = QToolButton()  # a tool button like its neighbours: 1280 px wide
        self.present_button.setText("Present")
        self.present_button.setToolTip("Full screen for the room, one slide at a time (F5)")
        self.present_button.clicked.connect(self.presenter.toggle)
        header.addWidget(self.present_button)
        left = QSplitter(Qt.Orientation.Vertical)
        left.setChildrenCollapsible(False)
        left.addWidget(_card(self.view, margins=(8, 8, 8, 8)))
        left.addWidget(_card(self.checks))
        left.setStretchFactor(0, 4)
        left.setStretchFactor(1, 1)
        left.setSizes([800, 130])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([1300, 520])
        self.panel.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)

    def _connect(self) -> None:
        self.held = HeldWhileHidden(self, self.context, changed=self._on_changed)
        self.context.refused.connect(self._on_refused)
        self.context.workbook_replaced.connect(self.reload)
        self.view.stage_clicked.connect(self.select_stage)
        self.view.step_requested.connect(self.step_selection)
        self.view.delete_requested.connect(self.delete_selected)
        self.view.move_requested.connect(self.move_stage)
        self.view.rename_requested.connect(self.rename_stage)
        self.checks.problem_chosen.connect(self.show_problem)
        self.checks.elsewhere_chosen.connect(self.context.area_requested)
        self.panel.form.drafts_changed.connect(self._show_unsaved)

    # -- drawing ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Draw everything again from the workbook (a new workbook was opened)."""
        self.selected_id, self._selected_index = None, 0
        self.panel.form.forget_drafts()
        self.refresh()

    def _show_unsaved(self) -> None:
        """Mark the bands whose stages have refused values waiting in the side panel."""
        self.view.funnel.set_unsaved(self.panel.form.draft_stages())

    def refresh(self) -> None:
        """Redraw the diagram, the selected stage's card and the checker."""
        workbook = self.context.workbook
        self.stages = workbook.funnel.stages() if workbook is not None else []
        ids = [s.id for s in self.stages]
        if self.selected_id not in ids:
            index = min(self._selected_index, len(ids) - 1)
            self.selected_id = ids[index] if ids else None
        self.view.funnel.selected = self.selected_id
        if workbook is not None:
            volumes = plan_volumes(workbook, self.stages)
            recycles = workbook.funnel.recycles()
            self.view.draw(self.stages, volumes.volumes, volumes.caption, recycles)
        else:
            self.view.draw([], None, "No workbook open", [])
        self._show_selected()
        self.checks.refresh(workbook)
        self._enable_actions()

    def presentation_slides(self) -> list[Slide]:
        """The funnel, then each stage, for presentation mode (`ui.present`)."""
        workbook = self.context.workbook
        if workbook is None:
            return []
        from ui.present.funnel import funnel_slides  # loaded when presenting

        volumes = plan_volumes(workbook, self.stages)
        return funnel_slides(self.stages, volumes.volumes, volumes.caption)

    def _show_selected(self) -> None:
        stage = next((s for s in self.stages if s.id == self.selected_id), None)
        if stage is not None:
            self._selected_index = self.stages.index(stage)
        self.panel.load(stage)

    def _enable_actions(self) -> None:
        has = self.selected_id is not None
        for act in (self.add_above_action, self.add_below_action, self.rename_action,
                    self.delete_action):
            act.setEnabled(has)

    def _on_changed(self, changes: Changes, initiator: object) -> None:
        if changes.funnel or changes.plan:
            if initiator is self:
                self.banner.hide()
            self.refresh()
        elif changes.scoring:  # the checker also asks whether the MQL threshold is reachable
            self.checks.refresh(self.context.workbook)
            self.panel.show_scoring_rule(next(
                (s for s in self.stages if s.id == self.selected_id), None))

    def _on_refused(self, error: ValidationError, initiator: object) -> None:
        if initiator is not self:
            return
        if self._acting_on_diagram or not self.panel.show_error(error.field, error.message):
            self.show_banner(error.message)

    def show_banner(self, message: str) -> None:
        """A refusal that belongs to no field (or to the diagram), above the diagram."""
        self.banner.setText(message)
        self.banner.show()
        self._banner_timer.start()

    # -- selection -------------------------------------------------------------------------
    def select_stage(self, stage_id: int) -> None:
        """Select a stage: outline its band and show it in the card."""
        if stage_id == self.selected_id or all(s.id != stage_id for s in self.stages):
            return
        self.selected_id = StageId(stage_id)
        self.view.funnel.select(self.selected_id)
        self._show_selected()
        self._enable_actions()

    def show_target(self, target: object) -> None:
        """A link from elsewhere (a workshop decision): select the stage with that id."""
        if isinstance(target, int):
            self.select_stage(target)

    def step_selection(self, delta: int) -> None:
        """Move the selection up (-1) or down (+1) the funnel."""
        if not self.stages:
            return
        index = max(0, min(self._selected_index + delta, len(self.stages) - 1))
        self.select_stage(self.stages[index].id)

    def show_problem(self, stage_id: int, field: str) -> None:
        """Go to what a checker finding is about."""
        if stage_id >= 0:
            self.select_stage(stage_id)
            self.panel.focus_field(field or None)

    # -- actions ---------------------------------------------------------------------------
    def _perform_on_diagram(self, mutation: Callable[..., Any], *args: Any, **kwargs: Any
                            ) -> Any:
        """Run a mutation asked for on the diagram (add, move, rename in place, delete)."""
        self._acting_on_diagram = True
        try:
            return self.context.perform(mutation, *args, initiator=self, **kwargs)
        finally:
            self._acting_on_diagram = False

    def add_above(self) -> None:
        self._add(0)

    def add_below(self) -> None:
        self._add(1)

    def _add(self, offset: int) -> None:
        funnel = self.context.workbook.funnel
        name = free_stage_name([s.name for s in self.stages])
        if self.selected_id is None:
            result = self._perform_on_diagram(funnel.add_stage, name)
        else:
            result = self._perform_on_diagram(funnel.add_stage_relative, self.selected_id, name,
                                              below=bool(offset))
        if result:
            self.select_stage(result[1])
            self.view.start_rename(result[1])

    def rename_selected(self) -> None:
        if self.selected_id is not None:
            self.view.start_rename(self.selected_id)

    def rename_stage(self, stage_id: int, name: str) -> None:
        self._perform_on_diagram(self.context.workbook.funnel.rename_stage, StageId(stage_id),
                                 name)

    def move_stage(self, stage_id: int, position: int) -> None:
        self._perform_on_diagram(self.context.workbook.funnel.move_stage, StageId(stage_id),
                                 position)

    def delete_selected(self) -> None:
        """Delete the selected stage, asking first when data hangs on it."""
        if self.selected_id is None:
            return
        funnel = self.context.workbook.funnel
        stage = next(s for s in self.stages if s.id == self.selected_id)
        if len(self.stages) > 1 and funnel.stage_has_data(stage.id) \
                and not confirm_delete(self, stage):
            return
        self._perform_on_diagram(funnel.delete_stage, stage.id)
