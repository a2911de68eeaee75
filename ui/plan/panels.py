"""The Plan screen's side panels: cards, notes, and the source mix editor with its split
(the forward check has its own module, `forward_panel`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QWidget,
)

from reports import palette
from ui.shell.blocks import card, note
from workbench.figure_text import format_percent
from workbench.planning.reverse import FunnelPlan

from .inputs import percent_text
from .tables import RIGHT, ReadOnlyTable, SourceSplitTable, cell


class SourceMixPanel(QWidget):
    """Shares per source (editable), their total, and the volume each source must bring."""

    apply_requested = Signal(object)  # {source: share as a fraction}, or the refusal text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shares = ReadOnlyTable(["Source", "Share %"])
        self.shares.setEditTriggers(self.shares.EditTrigger.AllEditTriggers)
        self.shares.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.shares.itemChanged.connect(self._update_total)
        self.total = QLabel()
        self.message = QLabel()
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.apply_button = QPushButton("Apply mix")
        self.apply_button.setObjectName("primary")
        self.apply_button.clicked.connect(self._apply)
        self.clear_button = QPushButton("No split")
        self.clear_button.clicked.connect(self._clear)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        holder = QWidget()
        holder.setLayout(buttons)
        self.split = SourceSplitTable()
        self.split_note = note("No split by source yet: type each source's share and "
                               "press Apply mix.")
        left = card("Source mix", note("Each source's share of every stage's volume; the "
                                       "shares add up to 100 %."),
                    self.shares, self.total, self.message, holder, stretch=self.shares)
        right = card("Volume per source", note("Each stage's volume × the source's share, "
                                               "rounded up."), self.split_note, self.split,
                     stretch=self.split)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(left, 2)
        layout.addWidget(right, 3)

    def show_mix(self, sources: Sequence[str], mix: Mapping[str, float],
                 funnel: FunnelPlan | None) -> None:
        self.shares.blockSignals(True)
        names = list(mix) + [s for s in sources if s not in mix]
        self.shares.setRowCount(len(names))
        for r, name in enumerate(names):
            self.shares.setItem(r, 0, cell(name))
            share = QTableWidgetItem(percent_text(mix.get(name)) if name in mix else "")
            share.setTextAlignment(RIGHT)
            self.shares.setItem(r, 1, share)
        self.shares.blockSignals(False)
        self.message.clear()
        self._update_total()
        self.split.show_split(funnel)
        has_split = bool(funnel and funnel.source_split)
        self.split.setVisible(has_split)
        problem = funnel.problem("source_mix") if funnel else None
        self.split_note.setText(problem.message if problem else
                                "No split by source yet: type each source's share and press "
                                "Apply mix.")
        self.split_note.setVisible(not has_split)

    def typed_mix(self) -> dict[str, float] | str:
        """The shares as typed, as fractions; or what is wrong with them."""
        mix = {}
        for r in range(self.shares.rowCount()):
            text = (self.shares.item(r, 1).text() if self.shares.item(r, 1) else "").strip()
            if not text:
                continue
            try:
                value = float(text.rstrip("%").strip().replace(",", ".")) / 100
            except ValueError:
                return f"“{text}” is not a percentage."
            if value:
                mix[self.shares.item(r, 0).text()] = value
        return mix

    def _update_total(self) -> None:
        mix = self.typed_mix()
        if isinstance(mix, str):
            self.total.setText(mix)
            return
        total = sum(mix.values())
        ok = not mix or abs(total - 1) <= 0.0005
        self.total.setText(f"Total: {format_percent(total)}" + ("" if ok else " — must be 100 %"))
        colour = palette.BAD if not ok else palette.GOOD if mix else palette.MUTED
        self.total.setStyleSheet(f"color: {colour};")

    def _apply(self) -> None:
        self.apply_requested.emit(self.typed_mix())

    def _clear(self) -> None:
        self.apply_requested.emit({})
