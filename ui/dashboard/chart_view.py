"""One dashboard chart as a card: title, legend, the plot (or why there is nothing to
plot), a caption, and buttons to copy the chart as an image or save it as PNG."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reports import palette
from workbench.chartdata import Chart, legend_reference

from .chart_plot import ChartPlot

EXPORT_SCALE = 2  # images are rendered at twice the screen size, sharp in slides and docs


def ask_png_path(parent: QWidget, suggested: str) -> str | None:
    """Where to save a chart; None when cancelled. Tests replace this."""
    path, _ = QFileDialog.getSaveFileName(parent, "Save chart as PNG", suggested,
                                          "PNG image (*.png)")
    return path or None


def _unbroken(text: str) -> str:
    return html.escape(text).replace(" ", "&nbsp;")


def legend_html(chart: Chart) -> str:
    """Coloured squares and series names, and the dashed reference line, for a label under
    the title; each entry stays on one line."""
    parts = [f'<span style="color:{palette.colour(s.colour)}">■</span>&nbsp;{_unbroken(s.name)}'
             for s in chart.series] if len(chart.series) > 1 else []
    reference = legend_reference(chart)
    if reference is not None:
        colour = palette.colour(reference.colour)
        parts.append(f'<span style="color:{colour}"><b>┄┄</b></span>&nbsp;'
                     f"{_unbroken(reference.label)}")
    return " &nbsp; ".join(parts)


class ChartView(QFrame):
    """A chart card; `chart` is the chart-data object it shows."""

    message = Signal(str)  # a status-bar message ("Chart copied", "Saved …")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.chart: Chart | None = None
        self.title = QLabel()
        self.title.setObjectName("cardTitle")
        self.title.setWordWrap(True)
        self.title.setMinimumWidth(120)
        self.copy_button = QToolButton()
        self.copy_button.setText("Copy")
        self.copy_button.setToolTip("Copy this chart as an image")
        self.copy_button.clicked.connect(self.copy_image)
        self.save_button = QToolButton()
        self.save_button.setText("Save PNG…")
        self.save_button.setToolTip("Save this chart as a PNG image")
        for button in (self.copy_button, self.save_button):
            button.setStyleSheet("font-size: 12px; padding: 3px 8px;")
        self.save_button.clicked.connect(self.save_png)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setStyleSheet("font-size: 12px;")
        self.legend.setMinimumWidth(120)
        self.plot = ChartPlot()
        self.plot.setMinimumHeight(170)
        self.empty = QLabel()
        self.empty.setObjectName("empty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.plot)
        self.stack.addWidget(self.empty)
        self.note = QLabel()
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("font-size: 12px;")
        self.note.setMinimumWidth(120)
        top = QHBoxLayout()
        top.setSpacing(4)
        top.addWidget(self.title, 1)
        top.addWidget(self.copy_button)
        top.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.legend)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.note)

    def show_chart(self, chart: Chart) -> None:
        self.chart = chart
        self.title.setText(chart.title)
        legend = legend_html(chart)
        self.legend.setText(legend)
        self.legend.setVisible(bool(legend) and chart.has_data)
        self.note.setText(chart.note)
        self.note.setVisible(bool(chart.note))
        if chart.has_data:
            self.plot.show_chart(chart)
            self.stack.setCurrentWidget(self.plot)
        else:
            self.empty.setText(f"— {chart.empty_reason or 'Nothing to show for this quarter.'}")
            self.stack.setCurrentWidget(self.empty)
        self.copy_button.setEnabled(chart.has_data)
        self.save_button.setEnabled(chart.has_data)

    def image(self, scale: int = EXPORT_SCALE) -> QImage:
        """The card (title, legend, plot, caption) without its buttons, as an image."""
        buttons = (self.copy_button, self.save_button)
        for button in buttons:
            button.setVisible(False)
        image = QImage(self.size() * scale, QImage.Format.Format_ARGB32)
        image.setDevicePixelRatio(scale)
        image.fill(Qt.GlobalColor.white)
        self.render(image)
        for button in buttons:
            button.setVisible(True)
        return image

    def copy_image(self) -> None:
        QGuiApplication.clipboard().setImage(self.image())
        self.message.emit(f"Copied “{self.title.text()}” as an image")

    def save_png(self) -> None:
        suggested = "".join(c if c.isalnum() else "-" for c in self.title.text()).strip("-")
        path = ask_png_path(self, f"{suggested.lower() or 'chart'}.png")
        if not path:
            return
        if not path.lower().endswith(".png"):
            path += ".png"
        if self.image().save(path, "PNG"):
            self.message.emit(f"Saved {Path(path).name}")
        else:
            self.message.emit(f"Could not save {path}")
