"""`Calibration`: from the leads' outcomes, each rule's lift (conversion where it fires
against where it does not), the rules whose points disagree with the outcomes, and the
threshold that keeps the MQLs a month within sales capacity."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from reports import palette
from ui.shell.blocks import card, note
from workbench.lead_scores import ModelScores
from workbench.score_figures import Suggestion, outcome, rule_lifts

from .tables import fill_table, read_only_table

DASH = "—"


class Calibration(QWidget):
    """Emits `apply_requested(threshold)` for the suggested MQL threshold."""

    apply_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lifts = read_only_table(["Rule", "Points", "Fires on", "Converts where it fires",
                                      "Converts elsewhere", "Lift", "Verdict"])
        self.outcome = note("")
        self.flags = QLabel()
        self.flags.setWordWrap(True)
        self.flags.setObjectName("fieldWarning")
        self.suggestion = QLabel()
        self.suggestion.setWordWrap(True)
        self.apply = QPushButton("Use this threshold")
        self.apply.setObjectName("primary")
        self.apply.clicked.connect(self._apply)
        self.suggested: int | None = None
        row = QHBoxLayout()
        row.addWidget(self.suggestion, 1)
        row.addWidget(self.apply)
        holder = QWidget()
        holder.setLayout(row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(card("Threshold for sales capacity", holder))
        layout.addWidget(card("Rule lift", self.outcome, self.flags, self.lifts,
                              stretch=self.lifts), 1)

    def show_scores(self, scores: ModelScores, suggestion: Suggestion, threshold: int) -> None:
        _, converted = outcome(scores)
        self.outcome.setText(f"Conversion: the share of leads that {converted}. Lift above 1: "
                             "the rule picks leads that convert more often than the rest.")
        lifts = rule_lifts(scores)
        fill_table(self.lifts, [
            (lift.rule.label or lift.rule.attribute, f"{lift.rule.points:+d}",
             f"{lift.fires.base:,}",
             DASH if lift.fires.rate is None else f"{lift.fires.rate:.1%}",
             DASH if lift.rest.rate is None else f"{lift.rest.rate:.1%}",
             DASH if lift.lift is None else f"{lift.lift:.2f}×", lift.verdict)
            for lift in lifts], numeric=(1, 2, 3, 4, 5))
        for row, lift in enumerate(lifts):
            if lift.verdict == "disagrees":
                for column in range(self.lifts.columnCount()):
                    self.lifts.item(row, column).setBackground(QColor("#FDECEA"))
        bad = [lift.rule.label or lift.rule.attribute for lift in lifts
               if lift.verdict == "disagrees"]
        self.flags.setText("Points disagree with outcomes: " + ", ".join(bad) + "."
                           if bad else "")
        self.flags.setVisible(bool(bad))
        self.suggested = suggestion.threshold
        if suggestion.threshold is None:
            self.suggestion.setText(f"Suggested MQL threshold: {DASH} ({suggestion.reason}).")
        else:
            per_month = f"{suggestion.mqls_per_month:,.1f}" if suggestion.mqls_per_month \
                is not None else DASH
            self.suggestion.setText(
                f"Suggested MQL threshold: {suggestion.threshold} points, the lowest that keeps "
                f"MQLs within sales capacity ({per_month} a month). Now: {threshold}.")
        self.apply.setEnabled(suggestion.threshold is not None
                              and suggestion.threshold != threshold)
        self.suggestion.setStyleSheet(f"color: {palette.INK};")

    def _apply(self) -> None:
        if self.suggested is not None:
            self.apply_requested.emit(self.suggested)
