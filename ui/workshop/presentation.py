"""Presentation mode: the gap view for the back of the room. Full screen, large type, dark
ink on white; one slide at a time — the radar of root-cause areas, then each question
largest gap first, then the decisions. Right, Down, Space or Page Down: next; Left, Up,
Backspace or Page Up: back; Home / End; Esc or F5: leave."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from workbench.workshop import Decision
from workbench.workshop_evidence import Evidence, WorkshopResults

from .gap_view import gap_height, paint_gap, paint_radar
from .theme import font, ink

NEXT = {Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Space, Qt.Key.Key_PageDown}
BACK = {Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_Backspace, Qt.Key.Key_PageUp}
LEAVE = {Qt.Key.Key_Escape, Qt.Key.Key_F5}


def evidence_said(found: Evidence) -> str:
    """Where the workbook's figure comes from, or why there is none."""
    if found.value is None:
        return f"Your data: — ({found.reason})"
    return f"Your data: {found.text} — {found.source}"


class PresentationWindow(QWidget):
    """A full-screen window showing the workshop's results slide by slide."""

    left = Signal()

    def __init__(self, results: WorkshopResults, decisions: Sequence[tuple[Decision, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Workshop — presentation")
        self.results, self.decisions = results, list(decisions)
        self.index = 0
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    @property
    def slide_count(self) -> int:
        return 2 + len(self.results.gaps)

    def slide_title(self) -> str:
        """What the slide in view shows, as its header says."""
        if self.index == 0:
            return "Root-cause areas by team"
        if self.index == self.slide_count - 1:
            return "Decisions and owners"
        return f"Question {self.index} of {len(self.results.gaps)}, largest gap first"

    def go(self, index: int) -> None:
        self.index = max(0, min(self.slide_count - 1, index))
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        key = Qt.Key(event.key())
        if key in NEXT:
            self.go(self.index + 1)
        elif key in BACK:
            self.go(self.index - 1)
        elif key == Qt.Key.Key_Home:
            self.go(0)
        elif key == Qt.Key.Key_End:
            self.go(self.slide_count - 1)
        elif key in LEAVE:
            self.close()
            self.left.emit()
        else:
            super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), ink("PAPER"))
        w, h = self.width(), self.height()
        s = min(w / 1280, h / 720) * 1.6
        margin = 40 * s / 1.6
        p.setPen(ink())
        p.setFont(font(15 * s, bold=True))
        p.drawText(QRectF(margin, margin * 0.5, w - 2 * margin, 34 * s),
                   Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.slide_title())
        p.setFont(font(7.5 * s))
        p.setPen(ink("MUTED"))
        p.drawText(QRectF(margin, h - 26 * s, w - 2 * margin, 20 * s),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                   f"{self.index + 1} / {self.slide_count}   ·   → or space: next   ·   "
                   "←: back   ·   Esc: leave")
        body = QRectF(margin, margin * 0.5 + 44 * s, w - 2 * margin, h - margin - 80 * s)
        if self.index == 0:
            paint_radar(p, body, self.results.areas, s * 1.05)
        elif self.index == self.slide_count - 1:
            self._paint_decisions(p, body, s)
        else:
            gap = self.results.gaps[self.index - 1]
            scale = min(body.width() / 620, body.height() * 0.8 / 130)
            height = gap_height(gap, self.index, body.width(), scale)
            rect = QRectF(body.left(), body.top() + max(0.0, (body.height() - height) / 3),
                          body.width(), height)
            found = self.results.evidence.get(gap.question.key)
            paint_gap(p, rect, gap, found, self.index, scale)
            if found is not None:
                p.setPen(ink())
                p.setFont(font(9.5 * scale))
                p.drawText(QRectF(rect.left() + 10 * scale, rect.bottom() + 12 * scale,
                                  rect.width() - 20 * scale, body.bottom() - rect.bottom()),
                           Qt.TextFlag.TextWordWrap, evidence_said(found))

    def _paint_decisions(self, p: QPainter, body: QRectF, s: float) -> None:
        if not self.decisions:
            p.setPen(ink("MUTED"))
            p.setFont(font(12 * s))
            p.drawText(body, Qt.AlignmentFlag.AlignCenter, "No decision recorded yet.")
            return
        top = body.top()
        for decision, settles in self.decisions:
            p.setPen(ink())
            p.setFont(font(11 * s, bold=True))
            text = QRectF(body.left(), top, body.width(), body.bottom() - top)
            used = p.boundingRect(text, Qt.TextFlag.TextWordWrap, f"• {decision.text}")
            p.drawText(text, Qt.TextFlag.TextWordWrap, f"• {decision.text}")
            top = used.bottom() + 2 * s
            p.setFont(font(8.5 * s))
            p.setPen(ink("MUTED"))
            detail = " · ".join(x for x in (f"owner: {decision.owner}" if decision.owner
                                            else "no owner yet", settles) if x)
            p.drawText(QRectF(body.left() + 18 * s, top, body.width(), 16 * s),
                       Qt.AlignmentFlag.AlignLeft, detail)
            top += 24 * s
            if top > body.bottom():
                break
